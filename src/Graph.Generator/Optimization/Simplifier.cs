using Graph.Generator.IR;
using Graph.Generator.IR.Ops;

namespace Graph.Generator.Optimization;

/// <summary>
/// Stage 5a: rebuilds a graph keeping only what its outputs and its unrolled steps' carried values need (dead-code elimination), merging identical
/// nodes (common-subexpression elimination: the same op record on the same inputs) and applying exact algebraic
/// rewrites: x·1, x+0, --x, constant folding, no-op broadcasts/reductions/reshapes, and transposes folded into
/// matrix products. No rewrite changes the floating-point result, so compiled models reproduce reference
/// arithmetic bit for bit.
/// </summary>
internal static class Simplifier
{
    public static Computation Run(Computation graph)
    {
        // Rewriting can strand nodes (a folded transpose, an inner reshape); repeat until every node is used.
        for (int pass = 0; pass < 8; pass++)
        {
            var live = Live(graph);
            if (pass > 0 && live.All(l => l))
            {
                break;
            }

            graph = Rebuild(graph, live);
        }

        return graph;
    }

    private static bool[] Live(Computation graph)
    {
        // A step's carried values are computed as a loop region computes them: every one, every step.
        var live = new bool[graph.Nodes.Count];
        var stack = new Stack<Node>(graph.Outputs.Select(o => o.Node).Concat(graph.Nodes.Where(n => n.Op is StepBoundary)));
        do
        {
            while (stack.Count > 0)
            {
                var node = stack.Pop();
                if (!live[node.Id])
                {
                    live[node.Id] = true;
                    foreach (var input in node.Inputs)
                    {
                        stack.Push(input);
                    }
                }
            }

            // A region that computes a live value is live, its beginning and end too (a region that carries nothing
            // is read only through the values it keeps for every step).
            foreach (var marker in RegionMarkersOfLiveRegions(graph, live))
            {
                stack.Push(marker);
            }
        }
        while (stack.Count > 0);

        return live;
    }

    /// <summary>The <see cref="LoopBegin"/> and <see cref="LoopEnd"/> nodes, not yet live, of the regions holding a live node.</summary>
    private static IEnumerable<Node> RegionMarkersOfLiveRegions(Computation graph, bool[] live)
    {
        Node? begin = null;
        bool holdsLive = false;
        foreach (var node in graph.Nodes)
        {
            switch (node.Op)
            {
                case LoopBegin:
                    (begin, holdsLive) = (node, false);
                    break;
                case LoopEnd when begin is not null:
                    if (holdsLive && (!live[begin.Id] || !live[node.Id]))
                    {
                        yield return begin;
                        yield return node;
                    }

                    begin = null;
                    break;
                default:
                    holdsLive |= begin is not null && live[node.Id];
                    break;
            }
        }
    }

    private static Computation Rebuild(Computation graph, bool[] live)
    {
        var rebuilt = new Rebuilder();
        var map = new Node?[graph.Nodes.Count];
        foreach (var node in graph.Nodes)
        {
            if (live[node.Id])
            {
                map[node.Id] = Rewrite(rebuilt, node, node.Inputs.Select(i => map[i.Id]!).ToList());
            }
        }

        var outputs = graph.Outputs.Select(o => o with { Node = map[o.Node.Id]! }).ToList();
        return new Computation(rebuilt.Builder.Nodes, outputs);
    }

    private static Node Rewrite(Rebuilder rebuilt, Node node, List<Node> inputs)
    {
        bool SameAsNode(Node x) => x.Type.Equals(node.Type);
        bool IsConstant(Node x, double value) => x.Op is Constant constant && constant.Value.Equals(value);

        switch (node.Op)
        {
            case Multiply when IsConstant(inputs[1], 1) && SameAsNode(inputs[0]):
                return inputs[0];
            case Multiply when IsConstant(inputs[0], 1) && SameAsNode(inputs[1]):
                return inputs[1];
            case Add or Subtract when IsConstant(inputs[1], 0) && SameAsNode(inputs[0]):
                return inputs[0];
            case Add when IsConstant(inputs[0], 0) && SameAsNode(inputs[1]):
                return inputs[1];
            case Divide when IsConstant(inputs[1], 1) && SameAsNode(inputs[0]):
                return inputs[0];
            case StopGradient:
                // Differentiation is over by the time the graph is simplified: the value passes through.
                return inputs[0];
            case Prediction:
                // A mark only: a training method keeps the value as an output.
                return inputs[0];
            case Negate when inputs[0].Op is Negate:
                return inputs[0].Inputs[0];
            case Broadcast or ReduceSum or Reshape when SameAsNode(inputs[0]):
                return inputs[0];
            case Reshape when inputs[0].Op is Reshape:
                return rebuilt.Intern(node.Op, node.Origin, new[] { inputs[0].Inputs[0] });
            case Transpose when inputs[0].Op is Transpose:
                return inputs[0].Inputs[0];
            case MatMul product:
                return FoldTransposes(rebuilt, product, node.Origin, inputs);
            case Elementwise elementwise when inputs.Count > 0 && inputs.All(i => i.Op is Constant) && node.Shape.Rank == 0 && !node.Batched:
                // A scalar computed from constants is a constant, where the arithmetic is exact in double.
                var template = elementwise.Template(inputs.Count);
                if (template.IsLanewise)
                {
                    double value = template.Evaluate(i => ((Constant)inputs[i].Op).Value);
                    return rebuilt.Intern(new Constant(value), value.ToString("R", System.Globalization.CultureInfo.InvariantCulture), Array.Empty<Node>());
                }

                break;
        }

        return rebuilt.Intern(node.Op, node.Origin, inputs);
    }

    /// <summary>A product of a transpose reads the transpose's input with the transpose flag flipped.</summary>
    private static Node FoldTransposes(Rebuilder rebuilt, MatMul product, string origin, List<Node> inputs)
    {
        var (a, b) = (inputs[0], inputs[1]);
        if (a.Op is Transpose)
        {
            a = a.Inputs[0];
            product = product with { TransposeA = !product.TransposeA };
        }

        if (b.Op is Transpose)
        {
            b = b.Inputs[0];
            product = product with { TransposeB = !product.TransposeB };
        }

        return rebuilt.Intern(product, origin, new[] { a, b });
    }

    /// <summary>The rebuilt graph, where a node equal to one already built (the same op record on the same inputs) is that node.</summary>
    private sealed class Rebuilder
    {
        private readonly Dictionary<Key, Node> built = new();

        public GraphBuilder Builder { get; } = new();

        public Node Intern(Op op, string origin, IReadOnlyList<Node> inputs)
        {
            var key = new Key(op, string.Join(",", inputs.Select(i => i.Id)));
            if (!built.TryGetValue(key, out var node))
            {
                node = Builder.Apply(op, origin, inputs);
                built.Add(key, node);
            }

            return node;
        }

        private sealed record Key(Op Op, string Inputs);
    }
}
