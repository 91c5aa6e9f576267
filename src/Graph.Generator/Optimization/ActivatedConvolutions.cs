using Graph.Generator.IR;
using Graph.Generator.IR.Ops;

namespace Graph.Generator.Optimization;

/// <summary>
/// Takes a tanh of a convolution computed from the image in the convolution's own kernel
/// (<see cref="Convolve.ThenTanh"/>): where a <see cref="Convolve"/>'s only reader is a <see cref="Tanh"/>, directly or
/// through a <see cref="Reshape"/> read by nothing else (<c>Tanh(Conv2d(...))</c> reads the [positions, count] product
/// as [height, width, count]), and the convolution is no output of the entry (no gradient reads it: tanh's derivative
/// reads tanh's value), the two become one node, reshaped as the tanh was, whose kernel takes each image's tanh while
/// the image's output is in the cache, instead of a second pass reading the whole batch's output back and writing it
/// again. The values are the same to the bit: the tanh is the buffer kernel's code, whose values do not depend on where
/// a buffer is cut.
/// </summary>
internal static class ActivatedConvolutions
{
    public static Computation Run(Computation graph)
    {
        var readers = new Dictionary<int, int>();
        foreach (var node in graph.Nodes)
        {
            foreach (var input in node.Inputs.Distinct())
            {
                readers[input.Id] = readers.TryGetValue(input.Id, out int count) ? count + 1 : 1;
            }
        }

        bool ReadOnlyOnce(Node node) => readers[node.Id] == 1 && !graph.Outputs.Any(o => o.Node == node);
        Node? FusedConvolution(Node tanh)
        {
            var input = tanh.Inputs[0];
            var through = input.Op is Reshape && ReadOnlyOnce(input) ? input.Inputs[0] : input;
            return through.Op is Convolve { ThenTanh: false } && ReadOnlyOnce(through) ? through : null;
        }

        var fused = graph.Nodes.Where(n => n.Op is Tanh).Select(n => (Tanh: n, Convolution: FusedConvolution(n)))
            .Where(f => f.Convolution is not null).ToDictionary(f => f.Tanh.Id, f => f.Convolution!);
        if (fused.Count == 0)
        {
            return graph;
        }

        // The convolutions (and reshapes) read only by a fused tanh are left without readers, and the simplifier drops them.
        var builder = new GraphBuilder();
        var map = new Node[graph.Nodes.Count];
        foreach (var node in graph.Nodes)
        {
            if (!fused.TryGetValue(node.Id, out var convolution))
            {
                map[node.Id] = builder.Apply(node.Op, node.Origin, node.Inputs.Select(i => map[i.Id]).ToList());
                continue;
            }

            var activated = builder.Apply(((Convolve)convolution.Op) with { ThenTanh = true }, node.Origin, convolution.Inputs.Select(i => map[i.Id]).ToList());
            map[node.Id] = node.Inputs[0] == convolution ? activated : builder.Apply(node.Inputs[0].Op, node.Inputs[0].Origin, new[] { activated });
        }

        return new Computation(builder.Nodes, graph.Outputs.Select(o => o with { Node = map[o.Node.Id] }).ToList());
    }
}
