using Graph.Generator.IR;
using Graph.Generator.IR.Ops;

namespace Graph.Generator.Optimization;

/// <summary>
/// After <see cref="LoopProductSums"/>: keeps the gradient of an embedding read at every step of a kept loop
/// row-sparse through the sum of its parts. Such a table receives one scatter of the loop's steps after it
/// (<see cref="ScatterAddOverSteps"/>, from <see cref="LoopProductSums"/>) and one per step laid out apart around the
/// loop, each zero except in the rows it read, and the gradient is their sum: dense, the sum would clear, add and step
/// every row of the table at every call. Each <see cref="Add"/> of two row-sparse tables of the same shape in a
/// parameter's gradient (a scatter, or such a sum) becomes an <see cref="AddScattered"/>, computed at the rows either
/// part lists only: there it is the same expression, element by element, and every other row is zero either way, so
/// the gradient is the dense sum's to the bit. A zero the sum starts from (a reverse loop's accumulator before its
/// first step) is left out: a scattered row is a sum added to a cleared row, never −0, so 0 + x is x there. A gradient
/// with a part that is not row-sparse stays as it is, and so does a sum with no loop's scatter (a table read in several
/// places of a model without loops, an unrolled loop), as the loop's unrolled twin computes it.
/// </summary>
internal static class SparseTableSums
{
    public static Computation Run(Computation graph)
    {
        var regions = LoopRegions.Of(graph.Nodes);
        var sparse = new Dictionary<int, bool>();
        bool RowSparse(Node node)
        {
            if (!sparse.TryGetValue(node.Id, out bool rowSparse))
            {
                rowSparse = regions.RegionOf(node) is null && !node.Batched && node.Shape.Rank == 2 && node.Op switch
                {
                    ScatterAdd or ScatterAddOverSteps or AddScattered => true,
                    Add => node.Inputs.Any(RowSparse) && node.Inputs.All(i => IsZero(i) || (RowSparse(i) && i.Shape.Equals(node.Shape))),
                    _ => false,
                };
                sparse[node.Id] = rowSparse;
            }

            return rowSparse;
        }

        // The sums to rewrite: every Add of a gradient's tree of row-sparse parts, one of them a loop's steps scattered
        // after it.
        var sums = new HashSet<int>();
        foreach (var output in graph.Outputs.Where(o => o.Kind == OutputKind.Gradient && o.Node.Op is Add && RowSparse(o.Node)))
        {
            var tree = new List<Node>();
            var parts = new List<Node>();
            Collect(output.Node, tree, parts);
            if (parts.Count >= 2 && parts.Any(p => p.Op is ScatterAddOverSteps))
            {
                sums.UnionWith(tree.Select(n => n.Id));
            }
        }

        if (sums.Count == 0)
        {
            return graph;
        }

        var builder = new GraphBuilder();
        var map = new Node[graph.Nodes.Count];
        foreach (var node in graph.Nodes)
        {
            map[node.Id] = !sums.Contains(node.Id) ? builder.Apply(node.Op, node.Origin, node.Inputs.Select(i => map[i.Id]).ToList())
                : IsZero(node.Inputs[0]) ? map[node.Inputs[1].Id]
                : IsZero(node.Inputs[1]) ? map[node.Inputs[0].Id]
                : builder.Apply(new AddScattered(node.Shape), node.Origin, new[] { map[node.Inputs[0].Id], map[node.Inputs[1].Id] });
        }

        return new Computation(builder.Nodes, graph.Outputs.Select(o => o with { Node = map[o.Node.Id] }).ToList());
    }

    /// <summary>The <see cref="Add"/> nodes of a tree of row-sparse sums (<paramref name="sums"/>) and its scattered parts (<paramref name="parts"/>).</summary>
    private static void Collect(Node node, List<Node> sums, List<Node> parts)
    {
        if (node.Op is not Add)
        {
            if (!IsZero(node))
            {
                parts.Add(node);
            }

            return;
        }

        sums.Add(node);
        Collect(node.Inputs[0], sums, parts);
        Collect(node.Inputs[1], sums, parts);
    }

    /// <summary>A +0 constant, or one broadcast: the zero a sum of gradients starts from.</summary>
    private static bool IsZero(Node node) => node.Op switch
    {
        Constant constant => BitConverter.DoubleToInt64Bits(constant.Value) == 0,
        Broadcast => IsZero(node.Inputs[0]),
        _ => false,
    };
}
