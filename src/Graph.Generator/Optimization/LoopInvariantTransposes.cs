using Graph.Generator.IR;
using Graph.Generator.IR.Ops;

namespace Graph.Generator.Optimization;

/// <summary>
/// Stage 5a': moves the transposes of a loop's matrix products out of the loop. A product inside a loop region that
/// reads a matrix from outside the region transposed (<c>g·Wᵀ</c>, the gradient of <c>x·W</c> with respect to x) would
/// transpose that matrix again at every step; the matrix is the same at every step, so it is transposed once before
/// the region and the product reads the copy as it is. The copy holds the same numbers in the order the product's
/// kernel would have copied them, so the result is bit for bit the same.
/// </summary>
internal static class LoopInvariantTransposes
{
    public static Computation Run(Computation graph)
    {
        var regions = LoopRegions.Of(graph.Nodes);
        bool Hoisted(Node node) =>
            node.Op is MatMul { TransposeB: true } && regions.RegionOf(node) is not null
            && regions.RegionOf(node.Inputs[1]) is null && node.Inputs[1].Shape.Rank == 2 && !node.Inputs[1].Batched;

        if (!regions.Any || !graph.Nodes.Any(Hoisted))
        {
            return graph;
        }

        var builder = new GraphBuilder();
        var map = new Node[graph.Nodes.Count];
        var transposed = new Dictionary<(int Loop, int Matrix), Node>();
        foreach (var node in graph.Nodes)
        {
            if (node.Op is LoopBegin begin)
            {
                // Each matrix the region's products read transposed, once, before its first step.
                foreach (var product in graph.Nodes.Where(n => Hoisted(n) && regions.RegionOf(n)!.Id == begin.Range.Id))
                {
                    var matrix = product.Inputs[1];
                    if (!transposed.ContainsKey((begin.Range.Id, matrix.Id)))
                    {
                        transposed[(begin.Range.Id, matrix.Id)] = builder.Apply(new Transpose(), matrix.Origin + "ᵀ", new[] { map[matrix.Id] });
                    }
                }
            }

            map[node.Id] = Hoisted(node)
                ? builder.Apply(((MatMul)node.Op) with { TransposeB = false }, node.Origin, new[] { map[node.Inputs[0].Id], transposed[(regions.RegionOf(node)!.Id, node.Inputs[1].Id)] })
                : builder.Apply(node.Op, node.Origin, node.Inputs.Select(i => map[i.Id]).ToList());
        }

        return new Computation(builder.Nodes, graph.Outputs.Select(o => o with { Node = map[o.Node.Id] }).ToList());
    }
}
