using Graph.Generator.IR;
using Graph.Generator.IR.Ops;

namespace Graph.Generator.Optimization;

/// <summary>
/// Computes a convolution from its image in place where that is faster than im2col and a GEMM
/// (<see cref="DirectConvolution.Applies"/>: one channel, a small window). <c>Conv2d</c> lowers to the image's
/// <see cref="Im2Col"/> rows times the kernels' matrix, and its kernels' gradient is those rows, transposed, times the
/// output's gradient. Where every reader of such rows is one of these two products, the forward product becomes a
/// <see cref="Convolve"/> and the gradient a <see cref="ConvolutionKernelGradient"/>, both reading the image, and the
/// rows (a copy of every window, nine times the image for a 3×3 window) are no longer formed. Both kernels sum each
/// element in the order the GEMM on the rows does, so every result is the same to the bit.
/// </summary>
internal static class DirectConvolutions
{
    public static Computation Run(Computation graph)
    {
        var readers = new Dictionary<int, List<Node>>();
        foreach (var node in graph.Nodes)
        {
            foreach (var input in node.Inputs.Distinct())
            {
                if (!readers.TryGetValue(input.Id, out var list))
                {
                    readers[input.Id] = list = new List<Node>();
                }

                list.Add(node);
            }
        }

        // The rows to leave out: the windows of a single-channel image read only by the products a direct kernel computes.
        var rows = new HashSet<int>(graph.Nodes
            .Where(n => n.Op is Im2Col im2col && DirectConvolution.Applies(n.Inputs[0].Shape, im2col.Window) && !graph.Outputs.Any(o => o.Node == n))
            .Where(n => readers.TryGetValue(n.Id, out var list) && list.All(r => IsForward(r, n) || IsKernelGradient(r, n)))
            .Select(n => n.Id));
        if (rows.Count == 0)
        {
            return graph;
        }

        var builder = new GraphBuilder();
        var map = new Node[graph.Nodes.Count];
        foreach (var node in graph.Nodes)
        {
            var columns = node.Inputs.Count > 0 && rows.Contains(node.Inputs[0].Id) ? node.Inputs[0] : null;
            map[node.Id] = columns is null ? builder.Apply(node.Op, node.Origin, node.Inputs.Select(i => map[i.Id]).ToList())
                : builder.Apply(
                    IsForward(node, columns) ? new Convolve(((Im2Col)columns.Op).Window) : new ConvolutionKernelGradient(((Im2Col)columns.Op).Window),
                    node.Origin,
                    new[] { map[columns.Inputs[0].Id], map[node.Inputs[1].Id] });
        }

        return new Computation(builder.Nodes, graph.Outputs.Select(o => o with { Node = map[o.Node.Id] }).ToList());
    }

    /// <summary>The forward product: the rows times a kernel matrix shared by the batch.</summary>
    private static bool IsForward(Node node, Node columns) =>
        node.Op is MatMul { TransposeA: false, TransposeB: false } && node.Inputs[0] == columns && node.Inputs[1] != columns
        && !node.Inputs[1].Batched;

    /// <summary>The kernels' gradient: the rows transposed times the output's gradient, summed over the batch.</summary>
    private static bool IsKernelGradient(Node node, Node columns) =>
        node.Op is MatMul { TransposeA: true, TransposeB: false } && node.Inputs[0] == columns && node.Inputs[1] != columns
        && !node.Batched && node.Inputs[1].Batched == columns.Batched;
}
