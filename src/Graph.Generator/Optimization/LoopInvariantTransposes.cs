using Graph.Generator.IR;
using Graph.Generator.IR.Ops;

namespace Graph.Generator.Optimization;

/// <summary>
/// Stage 5a': moves the transposes of a loop's matrix products out of the loop. A product inside a loop region that
/// reads a matrix from outside the region transposed (<c>g·Wᵀ</c>, the gradient of <c>x·W</c> with respect to x) would
/// transpose that matrix again at every step; the matrix is the same at every step, so it is transposed once before
/// the region and the product reads the copy as it is, as do the products outside the loop that read the same matrix
/// transposed (the steps printed apart around it). The copy holds the same numbers in the order the product's kernel
/// would have copied them, so the result is bit for bit the same.
/// </summary>
internal static class LoopInvariantTransposes
{
    public static Computation Run(Computation graph)
    {
        var regions = LoopRegions.Of(graph.Nodes);
        bool ReadsTransposed(Node node) =>
            node.Op is MatMul { TransposeB: true } && regions.RegionOf(node.Inputs[1]) is null && node.Inputs[1].Shape.Rank == 2 && !node.Inputs[1].Batched;

        // The matrices a loop's products read transposed; every product that reads one so reads the one copy.
        var matrices = new HashSet<int>(graph.Nodes.Where(n => ReadsTransposed(n) && regions.RegionOf(n) is not null).Select(n => n.Inputs[1].Id));
        if (matrices.Count == 0)
        {
            return graph;
        }

        // Each copy is made before the first product that reads it, outside any loop.
        var firstReader = new Dictionary<int, int>();
        foreach (var node in graph.Nodes.Where(n => ReadsTransposed(n) && matrices.Contains(n.Inputs[1].Id)))
        {
            var at = regions.RegionOf(node) is { } region ? graph.Nodes.First(n => n.Op is LoopBegin begin && begin.Range.Id == region.Id) : node;
            if (!firstReader.ContainsKey(node.Inputs[1].Id))
            {
                firstReader[node.Inputs[1].Id] = at.Id;
            }
        }

        var builder = new GraphBuilder();
        var map = new Node[graph.Nodes.Count];
        var transposed = new Dictionary<int, Node>();
        foreach (var node in graph.Nodes)
        {
            foreach (var matrix in firstReader.Where(f => f.Value == node.Id).Select(f => graph.Nodes[f.Key]))
            {
                transposed[matrix.Id] = builder.Apply(new Transpose(), matrix.Origin + "ᵀ", new[] { map[matrix.Id] });
            }

            map[node.Id] = ReadsTransposed(node) && transposed.TryGetValue(node.Inputs[1].Id, out var copy)
                ? builder.Apply(((MatMul)node.Op) with { TransposeB = false }, node.Origin, new[] { map[node.Inputs[0].Id], copy })
                : builder.Apply(node.Op, node.Origin, node.Inputs.Select(i => map[i.Id]).ToList());
        }

        return new Computation(builder.Nodes, graph.Outputs.Select(o => o with { Node = map[o.Node.Id] }).ToList());
    }
}
