using Graph.Generator.IR;
using Graph.Generator.IR.Ops;

namespace Graph.Generator.Autodiff;

/// <summary>
/// Stage 4: reverse-mode differentiation. Walks the forward nodes from the loss back to the parameters, applying
/// each op's derivative rule (<see cref="Op.Gradient"/>) and summing the contributions each node receives. Only
/// nodes that depend on a trainable parameter get an adjoint, so inputs (the data) never get a gradient.
/// </summary>
internal static class ReverseMode
{
    /// <summary>Adds the adjoint nodes to <paramref name="builder"/>; returns the gradient of each trainable parameter index.</summary>
    public static IReadOnlyDictionary<int, Node> Gradients(GraphBuilder builder, Node loss, ISet<int> trainable)
    {
        int forwardCount = loss.Id + 1;
        var forward = builder.Nodes.Take(forwardCount).ToList();
        var dependsOnTrainable = new bool[forwardCount];
        foreach (var node in forward)
        {
            dependsOnTrainable[node.Id] = node.Op is Parameter parameter
                ? trainable.Contains(parameter.Index)
                : node.Inputs.Any(i => dependsOnTrainable[i.Id]);
        }

        var adjoints = new Node?[forwardCount];
        adjoints[loss.Id] = builder.At("d(" + loss.Origin + ")").Constant(1);
        for (int id = loss.Id; id >= 0; id--)
        {
            var node = forward[id];
            var g = adjoints[id];
            if (g is null || !dependsOnTrainable[id])
            {
                continue;
            }

            var d = builder.At("d(" + node.Origin + ")");
            for (int i = 0; i < node.Inputs.Count; i++)
            {
                var input = node.Inputs[i];
                if (!dependsOnTrainable[input.Id])
                {
                    continue;
                }

                var contribution = node.Op.Gradient(d, node, g, i);
                if (contribution is null)
                {
                    continue;
                }

                var at = builder.At("d(" + input.Origin + ")");
                contribution = SumToShape(at, contribution, input);
                var existing = adjoints[input.Id];
                adjoints[input.Id] = existing is null ? contribution : at.Add(existing, contribution);
            }
        }

        var gradients = new SortedDictionary<int, Node>();
        foreach (var node in forward)
        {
            if (node.Op is Parameter parameter && trainable.Contains(parameter.Index))
            {
                var at = builder.At("d(" + node.Origin + ")");
                gradients[parameter.Index] = adjoints[node.Id] ?? at.Broadcast(at.Constant(0), node.Shape, batched: false);
            }
        }

        return gradients;
    }

    /// <summary>Sums a contribution that was broadcast (within the sample, or over the batch) back to the input's shape.</summary>
    private static Node SumToShape(Site at, Node contribution, Node input) =>
        contribution.Shape.Equals(input.Shape) && contribution.Batched == input.Batched
            ? contribution
            : at.ReduceSum(contribution, input.Shape, input.Batched);
}
