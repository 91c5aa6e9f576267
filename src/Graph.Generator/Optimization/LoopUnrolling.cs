using System.Globalization;
using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Spec;

namespace Graph.Generator.Optimization;

/// <summary>
/// Unrolls loops: rebuilds a graph with each <see cref="Scan"/> replaced by a copy of its body per step, a step's
/// carried values the previous step's, each <see cref="StepSlice"/> the <see cref="PickIndex"/> or
/// <see cref="SelectRow"/> of its step's position, and each iteration label of the body's origins the step's value
/// of the loop variable (<c>words[t] [t = 2]</c>). Every other node is rebuilt as it was, in the same order, and a
/// parameter read in several steps is one node, so the unrolled graph is the one a loop written out by hand gives.
/// A <see cref="ReverseScan"/> is unrolled the same way, each step's copy reading the values of the forward step it
/// reverses. The compiler unrolls a forward method's loops at once and a loss's after differentiation: the scheduling
/// of a loop as a loop is not built yet.
/// </summary>
internal static class LoopUnrolling
{
    /// <summary>
    /// The graph of <paramref name="builder"/> with its loops unrolled (into a new builder where it has any), and the
    /// nodes <paramref name="roots"/> became.
    /// </summary>
    public static (GraphBuilder Builder, IReadOnlyList<Node> Roots) Run(GraphBuilder builder, params Node[] roots)
    {
        if (!builder.Nodes.Any(n => n.Op is Scan))
        {
            return (builder, roots);
        }

        var rebuild = new Rebuild(new GraphBuilder());
        var map = new Dictionary<Node, Node>();
        rebuild.Copy(builder.Nodes, map, new Dictionary<string, string>());
        return (rebuild.Builder, roots.Select(r => map[r]).ToList());
    }

    private sealed class Rebuild
    {
        private readonly Dictionary<int, Node> parameters = new();
        private readonly Dictionary<Node, IReadOnlyList<Node>> results = new();

        // What each forward step's body nodes became, by loop: the values its reverse loop reads.
        private readonly Dictionary<Node, List<Dictionary<Node, Node>>> forwardSteps = new();

        public Rebuild(GraphBuilder builder)
        {
            Builder = builder;
        }

        public GraphBuilder Builder { get; }

        /// <summary>
        /// Copies <paramref name="nodes"/> in order; <paramref name="map"/> holds what each node became (the body's
        /// leaves already mapped), <paramref name="labels"/> the value of each enclosing loop's variable by its placeholder.
        /// </summary>
        public void Copy(IReadOnlyList<Node> nodes, Dictionary<Node, Node> map, IReadOnlyDictionary<string, string> labels)
        {
            foreach (var node in nodes)
            {
                if (map.ContainsKey(node))
                {
                    continue;
                }

                switch (node.Op)
                {
                    case Parameter parameter:
                        if (!parameters.TryGetValue(parameter.Index, out var shared))
                        {
                            shared = Builder.Apply(parameter, node.Origin, Array.Empty<Node>());
                            parameters.Add(parameter.Index, shared);
                        }

                        map[node] = shared;
                        break;
                    case Scan scan:
                        results[node] = Unroll(node, scan, map, labels);
                        break;
                    case ReverseScan reverse:
                        results[node] = UnrollReverse(node, reverse, map, labels);
                        break;
                    case ScanResult result:
                        map[node] = results[node.Inputs[0]][result.Index];
                        break;
                    case StepSlice:
                        throw new InvalidOperationException("A step's slice is copied with its step.");
                    default:
                        map[node] = Builder.Apply(node.Op, Label(node.Origin, labels), node.Inputs.Select(i => map[i]).ToList());
                        break;
                }
            }
        }

        /// <summary>The steps of <paramref name="node"/>, one copy of the body each; returns the carried values after the last.</summary>
        private IReadOnlyList<Node> Unroll(Node node, Scan scan, Dictionary<Node, Node> outer, IReadOnlyDictionary<string, string> labels)
        {
            var carried = node.Inputs.Take(scan.Body.Carried.Count).Select(i => outer[i]).ToList();
            var steps = new List<Dictionary<Node, Node>>();
            forwardSteps[node] = steps;
            for (int step = 0; step < scan.Loop.Steps; step++)
            {
                var body = scan.BodyAt(step);
                var map = new Dictionary<Node, Node>();
                steps.Add(map);
                for (int k = 0; k < carried.Count; k++)
                {
                    map[body.Carried[k]] = carried[k];
                }

                var captured = scan.CapturedBy(node, body).ToList();
                for (int k = 0; k < captured.Count; k++)
                {
                    map[body.Captured[k]] = outer[captured[k]];
                }

                var stepLabels = StepLabels(labels, scan.Loop, step);
                foreach (var inner in body.Nodes)
                {
                    if (inner.Op is StepSlice slice)
                    {
                        var sequence = map[inner.Inputs[0]];
                        map[inner] = Builder.Apply(slice.AtStep(sequence, step), Label(inner.Origin, stepLabels), new[] { sequence });
                    }
                    else
                    {
                        Copy(new[] { inner }, map, stepLabels);
                    }
                }

                carried = body.Next.Select(n => map[n]).ToList();
            }

            return carried;
        }

        /// <summary>
        /// The steps of a reverse loop, last forward step first, one copy of its step's body each, reading the values
        /// of the forward step it reverses; returns the carried values after the last.
        /// </summary>
        private IReadOnlyList<Node> UnrollReverse(Node node, ReverseScan reverse, Dictionary<Node, Node> outer, IReadOnlyDictionary<string, string> labels)
        {
            var carried = node.Inputs.Skip(1).Select(i => outer[i]).ToList();
            var forward = forwardSteps[node.Inputs[0]];
            for (int step = 0; step < reverse.Steps; step++)
            {
                var body = reverse.BodyAt(step);
                int forwardStep = reverse.ForwardStep(step);
                var map = new Dictionary<Node, Node>(forward[forwardStep]);
                for (int k = 0; k < carried.Count; k++)
                {
                    map[body.Carried[k]] = carried[k];
                }

                var stepLabels = StepLabels(labels, reverse.Forward.Loop, forwardStep);
                if (forwardStep > 0)
                {
                    stepLabels[reverse.Forward.Loop.PreviousPlaceholder] = reverse.Forward.Loop.ValueAt(forwardStep - 1).ToString(CultureInfo.InvariantCulture);
                }

                Copy(body.Nodes, map, stepLabels);
                carried = body.Next.Select(n => map[n]).ToList();
            }

            return carried;
        }

        /// <summary>The labels of the enclosing loops with <paramref name="loop"/>'s variable at step <paramref name="step"/>.</summary>
        private static Dictionary<string, string> StepLabels(IReadOnlyDictionary<string, string> labels, LoopSpec loop, int step) =>
            new(labels.ToDictionary(p => p.Key, p => p.Value))
            {
                [loop.Placeholder] = loop.ValueAt(step).ToString(CultureInfo.InvariantCulture),
            };

        private static string Label(string origin, IReadOnlyDictionary<string, string> labels)
        {
            foreach (var label in labels)
            {
                origin = origin.Replace(label.Key, label.Value);
            }

            return origin;
        }
    }
}
