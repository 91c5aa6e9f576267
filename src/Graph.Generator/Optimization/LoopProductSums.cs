using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Planning;
using Graph.Generator.Shapes;

namespace Graph.Generator.Optimization;

/// <summary>
/// Stage 5a'': a loop's sums over its steps as one operation after the loop. A loop region that adds a product
/// summed over the batch to a carried sum at every step (<c>dW = dW + xᵀ·d</c>, the gradient of a weight read in every
/// step of the loop, a <see cref="ReverseScan"/>'s accumulator) computes, per step, a product of k = batch rows that
/// reads and writes the whole weight. Both factors are values of a step (a value of the region, or a forward value the
/// region recalls), so the loop keeps each of them for every step instead and, after the loop, one product over the
/// rows of all its steps (<see cref="StepRows"/>: k = steps × batch) gives the sum of them all, which is added to the
/// sum's value before the loop. An embedding read once per step (<c>dE = dE + scatter(g, chars[t])</c>) cleared and
/// added a whole table at every step; its rows are kept the same way and scattered once after the loop
/// (<see cref="ScatterAddOverSteps"/>), at the positions each step read; rows that are the region's carried value (a
/// state's adjoint) are copied at each step to be kept (<see cref="CarriedCopy"/>). A region that ends at a run-time
/// count moves its scatters, over the steps that ran (<see cref="RunTimeSteps"/>), and keeps its products, whose depth
/// would be a run-time count. The terms are the same; their order is not
/// (the product's or the scatter's, not step after step), so the sum may differ in the last bits: a model declared
/// <c>[Model(ExactLoopSums = true)]</c> skips this stage.
/// </summary>
internal static class LoopProductSums
{
    public static Computation Run(Computation graph)
    {
        var regions = LoopRegions.Of(graph.Nodes);
        if (!regions.Any)
        {
            return graph;
        }

        var users = new int[graph.Nodes.Count];
        foreach (var input in graph.Nodes.SelectMany(n => n.Inputs))
        {
            users[input.Id]++;
        }

        foreach (var output in graph.Outputs)
        {
            users[output.Node.Id] += 2;
        }

        var carries = graph.Nodes.Where(n => n.Op is LoopCarry).ToLookup(n => (((LoopCarry)n.Op).Loop, ((LoopCarry)n.Op).Index));
        var results = graph.Nodes.Where(n => n.Op is LoopResult).ToLookup(n => (((LoopEnd)n.Inputs[0].Op).Loop, ((LoopResult)n.Op).Index));
        var moved = new Dictionary<(int Loop, int Index), MovedSum>();
        foreach (var end in graph.Nodes.Where(n => n.Op is LoopEnd))
        {
            int loop = ((LoopEnd)end.Op).Loop;
            var range = regions.Range(loop);
            if (range.Spec.Count is not null && !range.EndsAtCount)
            {
                continue;
            }

            for (int index = 0; index < end.Inputs.Count - 1; index++)
            {
                if (carries[(loop, index)].Count() == 1 && results[(loop, index)].Count() == 1
                    && Match(end.Inputs[index + 1], carries[(loop, index)].Single(), range, regions, users) is { } sum)
                {
                    moved[(loop, index)] = sum;
                }
            }
        }

        return moved.Count == 0 ? graph : Rebuild(graph, moved);
    }

    /// <summary>A carried sum <c>next = carry + term</c> whose term's operands are kept for every step.</summary>
    private abstract record MovedSum(Node Next, Node Term, bool CarryFirst)
    {
        /// <summary>The operands kept for every step.</summary>
        public abstract IEnumerable<StepValue> Operands { get; }

        /// <summary>The sum of the terms of every step, computed after the loop, reading the values <paramref name="kept"/> gives.</summary>
        public abstract Node AfterLoop(GraphBuilder builder, Func<StepValue, Node> kept, Func<Node, Node> mapped);
    }

    /// <summary>A product whose two factors are kept for every step: one product over every step's rows.</summary>
    private sealed record MovedProduct(Node Next, Node Term, bool CarryFirst, StepValue A, StepValue B) : MovedSum(Next, Term, CarryFirst)
    {
        public override IEnumerable<StepValue> Operands => new[] { A, B };

        public override Node AfterLoop(GraphBuilder builder, Func<StepValue, Node> kept, Func<Node, Node> mapped) =>
            builder.At(Term.Origin).MatMul(Rows(builder, A, A.Factor.Shape, kept), Rows(builder, B, B.Factor.Shape, kept), transposeA: true, transposeB: false, batched: false);
    }

    /// <summary>A scatter of a row per sample at the step's index: one scatter of every step's rows.</summary>
    private sealed record MovedScatter(Node Next, Node Term, bool CarryFirst, StepValue Rows, Node Sequence, ScatterAddOverSteps Scatter) : MovedSum(Next, Term, CarryFirst)
    {
        public override IEnumerable<StepValue> Operands => new[] { Rows };

        public override Node AfterLoop(GraphBuilder builder, Func<StepValue, Node> kept, Func<Node, Node> mapped) =>
            builder.At(Term.Origin).Apply(Scatter, LoopProductSums.Rows(builder, Rows, Shape.Of(Size.One, Rows.Factor.Shape[0]), kept), mapped(Sequence));
    }

    /// <summary>
    /// An operand of a moved term (<see cref="Factor"/>): <see cref="Value"/>, kept by region <see cref="Loop"/>, at
    /// steps <see cref="First"/>..<see cref="Last"/> (of which <see cref="RunTime"/> ran, where the region ends at a
    /// run-time count). A <see cref="Carried"/> value is the region's carried value as a step begins, which the
    /// region copies at each step to keep it (<see cref="CarriedCopy"/>).
    /// </summary>
    private sealed record StepValue(Node Value, Node Factor, int Loop, int First, int Last, RunTimeSteps? RunTime, bool Carried = false);

    private static MovedSum? Match(Node next, Node carry, LoopRange range, LoopRegions regions, int[] users)
    {
        if (next.Op is not Add || users[next.Id] != 1 || users[carry.Id] != 1 || regions.RegionOf(next)?.Id != range.Id)
        {
            return null;
        }

        bool carryFirst = next.Inputs[0] == carry;
        var term = carryFirst ? next.Inputs[1] : next.Inputs[0];
        if (term.Inputs.Count != 2)
        {
            return null;
        }

        if (!carryFirst && next.Inputs[1] != carry)
        {
            return null;
        }

        if (users[term.Id] != 1 || regions.RegionOf(term)?.Id != range.Id || !term.Type.Equals(next.Type))
        {
            return null;
        }

        // A product: the gradient of a weight shared by the batch: Σ over samples of aᵀ·b, with a and b per-sample [r, ·].
        // Over a run-time number of steps its depth would be a run-time count: such a sum stays in the loop.
        if (term.Op is MatMul { TransposeA: true, TransposeB: false, Batched: false } && range.Spec.Count is null
            && term.Inputs.All(i => i.Batched && i.Shape.Rank == 2) && term.Inputs[0].Shape[0].Equals(term.Inputs[1].Shape[0]))
        {
            return StepValueOf(term.Inputs[0], range, regions) is { } a && StepValueOf(term.Inputs[1], range, regions) is { } b
                ? new MovedProduct(next, term, carryFirst, a, b)
                : null;
        }

        // A scatter: the gradient of an embedding bag of one index per sample, the step's row of an index input. Its rows
        // may be a carried value (the state's adjoint, where the embedded row is added to the state as it is).
        var (rows, indices) = (term.Inputs[0], term.Inputs[1]);
        if (term.Op is ScatterAdd scatter && rows.Batched && rows.Shape.Rank == 1
            && indices.Op is LoopSlice slice && slice.Loop == range.Id && indices.Shape.Size.IsOne && indices.Inputs[0].Op is IndexInput)
        {
            return (StepValueOf(rows, range, regions) ?? CarriedValueOf(rows, range)) is { } g
                ? new MovedScatter(next, term, carryFirst, g, indices.Inputs[0], new ScatterAddOverSteps(scatter.Table, slice.Coefficient, slice.Offset, range.First, range.Last, RunTimeSteps.Of(range)))
                : null;
        }

        return null;
    }

    /// <summary>
    /// What a factor read in region <paramref name="reader"/> is at each of its steps: a value the region computes, or
    /// the value of another region that it recalls at its own step plus an offset; null for anything else (a carried
    /// value, which no step keeps as it is: <see cref="CarriedValueOf"/>).
    /// </summary>
    private static StepValue? StepValueOf(Node factor, LoopRange reader, LoopRegions regions)
    {
        var value = factor;
        while (value.Op is Reshape)
        {
            value = value.Inputs[0];
        }

        if (value.Op is Recall { Relative: true } recall)
        {
            var kept = BufferPlanner.AliasRoot(value.Inputs[0]);
            var defined = regions.RegionOf(kept);
            int first = reader.First + recall.Offset;
            int last = reader.Last + recall.Offset;
            return defined is not null && defined.Id == recall.Loop && !defined.Backwards && first >= defined.First && last <= defined.Last && Stepped(kept)
                ? new StepValue(value.Inputs[0], factor, defined.Id, first, last, RunTimeSteps.Of(reader))
                : null;
        }

        return regions.RegionOf(value)?.Id == reader.Id && Stepped(value)
            ? new StepValue(value, factor, reader.Id, reader.First, reader.Last, RunTimeSteps.Of(reader))
            : null;
    }

    /// <summary>A factor that is region <paramref name="reader"/>'s carried value as a step begins, which the region can copy at each step; null for anything else.</summary>
    private static StepValue? CarriedValueOf(Node factor, LoopRange reader)
    {
        var value = factor;
        while (value.Op is Reshape)
        {
            value = value.Inputs[0];
        }

        return value.Op is LoopCarry carry && carry.Loop == reader.Id
            ? new StepValue(value, factor, reader.Id, reader.First, reader.Last, RunTimeSteps.Of(reader), Carried: true)
            : null;
    }

    /// <summary>Whether a region's value is computed into memory of its own, which a step-axis buffer can hold.</summary>
    private static bool Stepped(Node value) => value.Inputs.Count > 0 && value.Op is not (LoopOp or StepBoundary);

    /// <summary>
    /// The graph with each moved sum's carried value out of its region (the region's other carried values renumbered)
    /// and its value after the region the sum before it plus the product over every step's rows.
    /// </summary>
    private static Computation Rebuild(Computation graph, Dictionary<(int Loop, int Index), MovedSum> moved)
    {
        int NewIndex(int loop, int index) => index - moved.Keys.Count(m => m.Loop == loop && m.Index < index);
        var skipped = new HashSet<Node>(moved.Values.SelectMany(m => new[] { m.Next, m.Term }));
        var beginOf = new Dictionary<int, Node>();
        var builder = new GraphBuilder();
        var map = new Node?[graph.Nodes.Count];
        Node Mapped(Node node) => map[node.Id] ?? throw new InvalidOperationException($"{node} was moved out of its loop, yet is read.");

        // A carried operand is copied where its term was, as the step reads it; a carried value read by several terms, once.
        var copies = new Dictionary<Node, Node>();
        var carriedAt = moved.Values.SelectMany(m => m.Operands.Where(o => o.Carried).Select(o => (m.Term, Operand: o))).ToLookup(c => c.Term, c => c.Operand);
        Node Kept(StepValue value) => value.Carried ? copies[value.Value] : Mapped(value.Value);

        foreach (var node in graph.Nodes)
        {
            if (skipped.Contains(node))
            {
                foreach (var operand in carriedAt[node].Where(o => !copies.ContainsKey(o.Value)))
                {
                    copies[operand.Value] = builder.Apply(new CarriedCopy(), operand.Factor.Origin, new[] { Mapped(operand.Value) });
                }

                continue;
            }

            switch (node.Op)
            {
                case LoopBegin begin:
                    beginOf[begin.Range.Id] = node;
                    map[node.Id] = builder.Apply(node.Op, node.Origin, node.Inputs.Where((_, k) => !moved.ContainsKey((begin.Range.Id, k))).Select(Mapped).ToList());
                    break;
                case LoopCarry carry when moved.ContainsKey((carry.Loop, carry.Index)):
                    break;
                case LoopCarry carry:
                    map[node.Id] = builder.Apply(carry with { Index = NewIndex(carry.Loop, carry.Index) }, node.Origin, new[] { Mapped(node.Inputs[0]) });
                    break;
                case LoopEnd end:
                    map[node.Id] = builder.Apply(node.Op, node.Origin, node.Inputs.Where((_, k) => k == 0 || !moved.ContainsKey((end.Loop, k - 1))).Select(Mapped).ToList());
                    break;
                case LoopResult result when moved.TryGetValue((((LoopEnd)node.Inputs[0].Op).Loop, result.Index), out var sum):
                    var before = Mapped(beginOf[((LoopEnd)node.Inputs[0].Op).Loop].Inputs[result.Index]);
                    var steps = sum.AfterLoop(builder, Kept, Mapped);
                    map[node.Id] = builder.Apply(sum.Next.Op, sum.Next.Origin, sum.CarryFirst ? new[] { before, steps } : new[] { steps, before });
                    break;
                case LoopResult result:
                    map[node.Id] = builder.Apply(result with { Index = NewIndex(((LoopEnd)node.Inputs[0].Op).Loop, result.Index) }, node.Origin, new[] { Mapped(node.Inputs[0]) });
                    break;
                default:
                    map[node.Id] = builder.Apply(node.Op, node.Origin, node.Inputs.Select(Mapped).ToList());
                    break;
            }
        }

        return new Computation(builder.Nodes, graph.Outputs.Select(o => o with { Node = Mapped(o.Node) }).ToList());
    }

    /// <summary>An operand's copies at every step it was read, each read as a per-sample <paramref name="shape"/>, as the rows of one value.</summary>
    private static Node Rows(GraphBuilder builder, StepValue value, Shape shape, Func<StepValue, Node> keptOf)
    {
        var kept = keptOf(value);
        var at = builder.At(value.Factor.Origin);
        var rows = kept.Shape.Equals(shape) ? kept : at.Reshape(kept, shape);
        return at.Apply(new StepRows(value.Loop, value.First, value.Last, value.RunTime), rows);
    }
}
