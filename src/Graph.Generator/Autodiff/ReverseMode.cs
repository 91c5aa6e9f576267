using Graph.Generator.IR;

namespace Graph.Generator.Autodiff;

/// <summary>
/// Stage 4: reverse-mode differentiation. Walks the forward nodes from the loss back to the parameters,
/// applying <see cref="DerivativeRules"/> and summing the contributions each node receives. Only nodes that
/// depend on a trainable parameter get an adjoint, so inputs (the data) never get a gradient.
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
            dependsOnTrainable[node.Id] = node.Op == OpKind.Parameter
                ? trainable.Contains(node.Index)
                : node.Inputs.Any(i => dependsOnTrainable[i.Id]);
        }

        var adjoints = new Node?[forwardCount];
        adjoints[loss.Id] = builder.Constant(1);
        for (int id = loss.Id; id >= 0; id--)
        {
            var node = forward[id];
            var g = adjoints[id];
            if (g is null || !dependsOnTrainable[id])
            {
                continue;
            }

            for (int i = 0; i < node.Inputs.Count; i++)
            {
                var input = node.Inputs[i];
                if (!dependsOnTrainable[input.Id])
                {
                    continue;
                }

                var contribution = DerivativeRules.Contribution(builder, node, g, i);
                if (contribution is null)
                {
                    continue;
                }

                contribution = SumToShape(builder, contribution, input);
                var existing = adjoints[input.Id];
                adjoints[input.Id] = existing is null
                    ? contribution
                    : builder.Binary(OpKind.Add, existing, contribution, "d(" + input.Origin + ")");
            }
        }

        var gradients = new SortedDictionary<int, Node>();
        foreach (var node in forward.Where(n => n.Op == OpKind.Parameter && trainable.Contains(n.Index)))
        {
            gradients[node.Index] = adjoints[node.Id] ?? builder.Broadcast(builder.Constant(0), node.Shape, false, "d(" + node.Origin + ")");
        }

        return gradients;
    }

    /// <summary>Sums a contribution that was broadcast (within the sample, or over the batch) back to the input's shape.</summary>
    private static Node SumToShape(GraphBuilder builder, Node contribution, Node input) =>
        contribution.Shape.Equals(input.Shape) && contribution.Batched == input.Batched
            ? contribution
            : builder.ReduceSum(contribution, input.Shape, input.Batched, "d(" + input.Origin + ")");
}
