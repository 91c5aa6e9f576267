using Graph.Generator.IR;
using Graph.Generator.IR.Ops;

namespace Graph.Generator.Optimization;

/// <summary>
/// Before fusion: an elementwise node read only through a reshape is computed in the reshaped shape instead, its
/// operands reshaped (<c>Reshape(g * mask)</c> becomes <c>Reshape(g) * Reshape(mask)</c>), so the elementwise node that
/// reads the reshape can fuse it into its own loop. The chapter 10 CNN's backward pass multiplies the hidden layer's
/// gradient by the dropout mask as a flat <c>[10000]</c> and then by the tanh derivative as <c>[25,25,16]</c>: two passes
/// over 1.28M floats at batch 128, one after this stage. Only where no operand broadcasts within a sample (each has the
/// node's shape, per sample or shared by the batch, or is a scalar, which broadcasts the same way in any shape), and where the node and the loop that reads the reshape
/// are both plain loops (neither a transcendental with a runtime kernel of its own, which a fused loop computes in
/// another form): every element is then the same expression of the same operand elements, in the same order, so the
/// values are unchanged to the bit.
/// </summary>
internal static class ElementwiseReshapes
{
    public static Computation Run(Computation graph)
    {
        // A chain of such nodes moves one node per pass; the simplifier drops the node each pass leaves unread.
        for (int pass = 0; pass < 8 && Once(graph) is { } moved; pass++)
        {
            graph = Simplifier.Run(moved);
        }

        return graph;
    }

    /// <summary>The graph with each elementwise node read only through a reshape computed in its shape; null where there is none.</summary>
    private static Computation? Once(Computation graph)
    {
        var users = new int[graph.Nodes.Count];
        var user = new Node?[graph.Nodes.Count];
        foreach (var node in graph.Nodes)
        {
            foreach (var input in node.Inputs)
            {
                users[input.Id]++;
                user[input.Id] = node;
            }
        }

        foreach (var output in graph.Outputs)
        {
            users[output.Node.Id] += 2;
        }

        // Both loops plain ones (no op with a runtime kernel of its own, such as tanh's, whose last bit a loop's form
        // would change), the reshape read once, by the loop that will take the node in.
        var regions = LoopRegions.Of(graph.Nodes);
        // A broadcast's shape is its own, not its operand's: it is not moved.
        bool Plain(Node node) => node.Op is Elementwise { BufferKernel: null } and not Broadcast;
        bool Moves(Node reshape) =>
            reshape.Op is Reshape && reshape.Inputs[0] is var value && Plain(value) && value.Shape.Rank > 0 && users[value.Id] == 1
            && users[reshape.Id] == 1 && user[reshape.Id] is { } reader && Plain(reader)
            && regions.RegionOf(value) == regions.RegionOf(reshape) && regions.RegionOf(reader) == regions.RegionOf(reshape)
            && value.Inputs.All(i => i.Shape.Rank == 0 || i.Shape.Equals(value.Shape));

        if (!graph.Nodes.Any(Moves))
        {
            return null;
        }

        var builder = new GraphBuilder();
        var map = new Node[graph.Nodes.Count];
        foreach (var node in graph.Nodes)
        {
            if (Moves(node))
            {
                var value = node.Inputs[0];
                var at = builder.At(value.Origin);
                var operands = value.Inputs.Select(i => i.Shape.Rank == 0 ? map[i.Id] : at.Reshape(map[i.Id], node.Shape)).ToList();
                map[node.Id] = builder.Apply(value.Op, value.Origin, operands);
                if (!map[node.Id].Type.Equals(node.Type))
                {
                    throw new InvalidOperationException($"{value} computed as {node.Shape} has the type {map[node.Id].Type}.");
                }
            }
            else
            {
                map[node.Id] = builder.Apply(node.Op, node.Origin, node.Inputs.Select(i => map[i.Id]).ToList());
            }
        }

        return new Computation(builder.Nodes, graph.Outputs.Select(o => o with { Node = map[o.Node.Id] }).ToList());
    }
}
