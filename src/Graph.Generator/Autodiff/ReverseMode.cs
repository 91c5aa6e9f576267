using Graph.Generator.IR;
using Graph.Generator.IR.Ops;

namespace Graph.Generator.Autodiff;

/// <summary>
/// Stage 4: reverse-mode differentiation. Walks the forward nodes from the loss back to the parameters, applying
/// each op's derivative rule (<see cref="Op.Gradient"/>) and summing the contributions each node receives. Only
/// nodes that depend on a trainable parameter get an adjoint, so inputs (the data) never get a gradient. A loop
/// (<see cref="Scan"/>) is differentiated as a whole, into a reverse loop (<see cref="ScanGradient"/>), once every
/// reader of its results has sent back its adjoint.
/// </summary>
internal static class ReverseMode
{
    /// <summary>Adds the adjoint nodes to <paramref name="builder"/>; returns the gradient of each trainable parameter index.</summary>
    public static IReadOnlyDictionary<int, Node> Gradients(GraphBuilder builder, Node loss, ISet<int> trainable, bool seedLoopAdjoints = false)
    {
        int forwardCount = loss.Id + 1;
        var forward = builder.Nodes.Take(forwardCount).ToList();
        var dependsOnTrainable = new bool[forwardCount];
        var carriedDependence = new Dictionary<Node, IReadOnlyList<bool[]>>();
        foreach (var node in forward)
        {
            dependsOnTrainable[node.Id] = node.Op switch
            {
                Parameter parameter => trainable.Contains(parameter.Index),
                Scan => node.Inputs.Any(i => dependsOnTrainable[i.Id]) || LoopParameters(node).Any(p => trainable.Contains(((Parameter)p.Op).Index)),

                // A value after the loop depends on a parameter as its last step's value would.
                ScanResult result => CarriedDependence(node.Inputs[0])[((Scan)node.Inputs[0].Op).Loop.Steps][result.Index],
                _ => node.Inputs.Any(i => dependsOnTrainable[i.Id]),
            };
        }

        IReadOnlyList<bool[]> CarriedDependence(Node scan)
        {
            if (!carriedDependence.TryGetValue(scan, out var steps))
            {
                steps = ScanGradient.CarriedDependence(scan, n => dependsOnTrainable[n.Id], trainable);
                carriedDependence.Add(scan, steps);
            }

            return steps;
        }

        var adjoints = new Adjoints(forward, forward.Any(n => n.Op is Scan));
        adjoints.Set(loss, builder.At("d(" + loss.Origin + ")").Constant(1));
        for (int id = loss.Id; id >= 0; id--)
        {
            var node = forward[id];
            if (node.Op is Scan && dependsOnTrainable[id])
            {
                // The adjoints of its values after the last step, read once, since the loop holds the steps' sums.
                var results = new Node?[((Scan)node.Op).Body.Carried.Count];
                foreach (var result in forward.Skip(id + 1).Where(n => n.Op is ScanResult && n.Inputs[0] == node))
                {
                    int index = ((ScanResult)result.Op).Index;
                    var adjoint = adjoints.Get(result);
                    if (adjoint is not null && results[index] is not null)
                    {
                        throw new LoopNotReversedException($"The loop {node.Origin} has two readers of its carried value {index} after its last step.");
                    }

                    results[index] ??= adjoint;
                }

                if (results.Any(r => r is not null))
                {
                    ScanGradient.Differentiate(builder, node, results, n => dependsOnTrainable[n.Id], trainable, adjoints, seedLoopAdjoints);
                }

                continue;
            }

            var g = adjoints.Get(node);
            if (g is null || !dependsOnTrainable[id] || node.Op is ScanResult)
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
                var existing = adjoints.Get(input);
                adjoints.Set(input, existing is null ? contribution : at.Add(existing, contribution));
            }
        }

        var gradients = new SortedDictionary<int, Node>();
        void Gradient(Node node)
        {
            var at = builder.At("d(" + node.Origin + ")");
            gradients[((Parameter)node.Op).Index] = adjoints.Get(node) ?? at.Broadcast(at.Constant(0), node.Shape, batched: false);
        }

        foreach (var node in forward)
        {
            if (node.Op is Parameter parameter && trainable.Contains(parameter.Index))
            {
                Gradient(node);
            }
        }

        // A parameter read in a loop's body only.
        foreach (var node in forward.Where(n => n.Op is Scan).SelectMany(LoopParameters))
        {
            int index = ((Parameter)node.Op).Index;
            if (trainable.Contains(index) && !gradients.ContainsKey(index))
            {
                Gradient(node);
            }
        }

        return gradients;
    }

    /// <summary>The parameter nodes the bodies of a loop read, nested loops' included.</summary>
    private static IEnumerable<Node> LoopParameters(Node scanNode)
    {
        var scan = (Scan)scanNode.Op;
        foreach (var body in scan.First is null ? new[] { scan.Body } : new[] { scan.Body, scan.First })
        {
            foreach (var node in body.Nodes)
            {
                if (node.Op is Parameter)
                {
                    yield return node;
                }
                else if (node.Op is Scan)
                {
                    foreach (var inner in LoopParameters(node))
                    {
                        yield return inner;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The adjoint of each node of the graph around the loops; with loops, a parameter's is kept by its index, since
    /// the parameter read in a loop's body and around it is one value.
    /// </summary>
    private sealed class Adjoints : ScanGradient.IAdjoints
    {
        private readonly Node?[] byNode;
        private readonly Dictionary<int, Node>? byParameter;

        public Adjoints(IReadOnlyList<Node> forward, bool loops)
        {
            byNode = new Node?[forward.Count];
            byParameter = loops ? new Dictionary<int, Node>() : null;
        }

        public Node? Get(Node node) =>
            byParameter is not null && node.Op is Parameter parameter
                ? byParameter.TryGetValue(parameter.Index, out var adjoint) ? adjoint : null
                : byNode[node.Id];

        public void Set(Node node, Node adjoint)
        {
            if (byParameter is not null && node.Op is Parameter parameter)
            {
                byParameter[parameter.Index] = adjoint;
            }
            else
            {
                byNode[node.Id] = adjoint;
            }
        }
    }

    /// <summary>Sums a contribution that was broadcast (within the sample, or over the batch) back to the input's shape.</summary>
    internal static Node SumToShape(Site at, Node contribution, Node input) =>
        contribution.Shape.Equals(input.Shape) && contribution.Batched == input.Batched
            ? contribution
            : at.ReduceSum(contribution, input.Shape, input.Batched);
}
