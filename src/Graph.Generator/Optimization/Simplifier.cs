using System.Globalization;
using System.Text;
using Graph.Generator.IR;

namespace Graph.Generator.Optimization;

/// <summary>
/// Stage 5a: rebuilds a graph keeping only what its outputs need (dead-code elimination), merging identical
/// nodes (common-subexpression elimination) and applying exact algebraic rewrites: x·1, x+0, --x, constant
/// folding, no-op broadcasts/reductions/reshapes, and transposes folded into matrix products. No rewrite changes
/// the floating-point result, so compiled models reproduce reference arithmetic bit for bit.
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
        var live = new bool[graph.Nodes.Count];
        var stack = new Stack<Node>(graph.Outputs.Select(o => o.Node));
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

        return live;
    }

    private static Computation Rebuild(Computation graph, bool[] live)
    {
        var builder = new GraphBuilder();
        var seen = new Dictionary<string, Node>(StringComparer.Ordinal);
        var map = new Node?[graph.Nodes.Count];
        foreach (var node in graph.Nodes)
        {
            if (live[node.Id])
            {
                map[node.Id] = Rewrite(builder, seen, node, node.Inputs.Select(i => map[i.Id]!).ToList());
            }
        }

        var outputs = graph.Outputs.Select(o => o with { Node = map[o.Node.Id]! }).ToList();
        return new Computation(builder.Nodes, outputs);
    }

    private static Node Rewrite(GraphBuilder builder, Dictionary<string, Node> seen, Node node, List<Node> inputs)
    {
        var simpler = Simplify(builder, seen, node, inputs);
        if (simpler is not null)
        {
            return simpler;
        }

        if (node.Op == OpKind.MatMul)
        {
            return Intern(builder, seen, FoldTransposes(node, inputs));
        }

        return Intern(builder, seen, new Candidate(node, inputs));
    }

    private static Node? Simplify(GraphBuilder builder, Dictionary<string, Node> seen, Node node, List<Node> inputs)
    {
        bool SameAsNode(Node x) => x.Shape.Equals(node.Shape) && x.Batched == node.Batched;
        bool IsConstant(Node x, double value) => x.Op == OpKind.Constant && x.Value.Equals(value);

        switch (node.Op)
        {
            case OpKind.Multiply when IsConstant(inputs[1], 1) && SameAsNode(inputs[0]):
                return inputs[0];
            case OpKind.Multiply when IsConstant(inputs[0], 1) && SameAsNode(inputs[1]):
                return inputs[1];
            case OpKind.Add or OpKind.Subtract when IsConstant(inputs[1], 0) && SameAsNode(inputs[0]):
                return inputs[0];
            case OpKind.Add when IsConstant(inputs[0], 0) && SameAsNode(inputs[1]):
                return inputs[1];
            case OpKind.Divide when IsConstant(inputs[1], 1) && SameAsNode(inputs[0]):
                return inputs[0];
            case OpKind.StopGradient:
                // Differentiation is over by the time the graph is simplified: the value passes through.
                return inputs[0];
            case OpKind.Negate when inputs[0].Op == OpKind.Negate:
                return inputs[0].Inputs[0];
            case OpKind.Broadcast or OpKind.ReduceSum or OpKind.Reshape when SameAsNode(inputs[0]):
                return inputs[0];
            case OpKind.Reshape when inputs[0].Op == OpKind.Reshape:
                return Intern(builder, seen, new Candidate(node, new List<Node> { inputs[0].Inputs[0] }));
            case OpKind.Transpose when inputs[0].Op == OpKind.Transpose:
                return inputs[0].Inputs[0];
        }

        // Only the operations Fold evaluates exactly are folded; the others (Sigmoid(500)) stay nodes.
        if (OpKinds.IsElementwise(node.Op) && node.Op != OpKind.Broadcast && inputs.All(i => i.Op == OpKind.Constant)
            && Fold(node.Op, inputs.Select(i => i.Value).ToArray()) is double folded)
        {
            return Intern(builder, seen, new Candidate(node, new List<Node>()) { Folded = folded });
        }

        return null;
    }

    private static Candidate FoldTransposes(Node node, List<Node> inputs)
    {
        bool transposeA = node.TransposeA;
        bool transposeB = node.TransposeB;
        var a = inputs[0];
        var b = inputs[1];
        if (a.Op == OpKind.Transpose)
        {
            a = a.Inputs[0];
            transposeA = !transposeA;
        }

        if (b.Op == OpKind.Transpose)
        {
            b = b.Inputs[0];
            transposeB = !transposeB;
        }

        return new Candidate(node, new List<Node> { a, b }) { TransposeA = transposeA, TransposeB = transposeB };
    }

    private static double? Fold(OpKind op, double[] v) => op switch
    {
        OpKind.Add => v[0] + v[1],
        OpKind.Subtract => v[0] - v[1],
        OpKind.Multiply => v[0] * v[1],
        OpKind.Divide => v[0] / v[1],
        OpKind.Negate => -v[0],
        OpKind.Square => v[0] * v[0],
        OpKind.Relu => v[0] > 0 ? v[0] : 0,
        OpKind.Step => v[0] > 0 ? 1 : 0,
        _ => null,
    };

    private static Node Intern(GraphBuilder builder, Dictionary<string, Node> seen, Candidate candidate)
    {
        string key = candidate.Key();
        if (seen.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var original = candidate.Original;
        Node created;
        if (candidate.Folded is double folded)
        {
            created = builder.Constant(folded);
        }
        else if (original.Op == OpKind.MatMul)
        {
            created = builder.MatMul(candidate.Inputs[0], candidate.Inputs[1], candidate.TransposeA, candidate.TransposeB, original.Batched, original.Origin);
        }
        else
        {
            created = builder.Recreate(original, candidate.Inputs);
        }

        seen[key] = created;
        return created;
    }

    /// <summary>A node about to be created: what makes two nodes the same value.</summary>
    private sealed class Candidate
    {
        public Candidate(Node original, List<Node> inputs)
        {
            Original = original;
            Inputs = inputs;
            TransposeA = original.TransposeA;
            TransposeB = original.TransposeB;
        }

        public Node Original { get; }

        public List<Node> Inputs { get; }

        public bool TransposeA { get; init; }

        public bool TransposeB { get; init; }

        public double? Folded { get; init; }

        public string Key()
        {
            var key = new StringBuilder();
            if (Folded is double folded)
            {
                return "const " + folded.ToString("R", CultureInfo.InvariantCulture);
            }

            var o = Original;
            if (o.Op == OpKind.Constant)
            {
                return "const " + o.Value.ToString("R", CultureInfo.InvariantCulture);
            }

            key.Append(o.Op).Append(' ').Append(o.Shape).Append(o.Batched ? " b" : " s");
            if (o.Op == OpKind.DropoutMask)
            {
                // Every mask is its own draw, never merged with another of the same shape.
                key.Append(" #").Append(o.Id);
            }

            key.Append(' ').Append(o.Index).Append(' ').Append(o.Value.ToString("R", CultureInfo.InvariantCulture)).Append(' ').Append(o.Extent);
            key.Append(o.Window is null ? string.Empty : " w" + o.Window);
            key.Append(TransposeA ? " tA" : string.Empty).Append(TransposeB ? " tB" : string.Empty);
            foreach (var input in Inputs)
            {
                key.Append(" %").Append(input.Id);
            }

            return key.ToString();
        }
    }
}
