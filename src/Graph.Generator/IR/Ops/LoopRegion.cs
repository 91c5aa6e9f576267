using System.Globalization;
using Graph.Generator.Shapes;
using Graph.Generator.Spec;

namespace Graph.Generator.IR.Ops;

/// <summary>
/// The loop of a loop region (<see cref="LoopBegin"/> to <see cref="LoopEnd"/>): the nodes between them are computed
/// once per step of the loop variable, which runs over the forward steps <see cref="First"/> to <see cref="Last"/>
/// (steps counted from 0), upwards, or downwards for a reverse loop (<see cref="Backwards"/>). <see cref="Id"/> tells
/// the regions of one graph apart; a region holds no region.
/// </summary>
internal sealed record LoopRange(int Id, LoopSpec Spec, int First, int Last, bool Backwards)
{
    /// <summary>The number of steps, or the most it may run where it ends at a run-time count.</summary>
    public int Count => Last - First + 1;

    /// <summary>
    /// Whether the region ends at its loop's run-time step count (<see cref="LoopSpec.Count"/>): it then runs the
    /// steps <see cref="First"/> to count - 1, those of <see cref="First"/> to <see cref="Last"/> that the call asks for.
    /// </summary>
    public bool EndsAtCount => Spec.Count is not null && Last == Spec.Steps - 1;

    /// <summary>How comments name the loop: <c>t = 1..24</c>, or <c>t = 24..1</c> for a reverse loop (<c>t = 1..length - 1</c> at a run-time count).</summary>
    public string Label => Backwards
        ? $"{Spec.Variable} = {LastLabel}..{Spec.ValueAt(First).ToString(CultureInfo.InvariantCulture)}"
        : $"{Spec.Variable} = {Spec.ValueAt(First).ToString(CultureInfo.InvariantCulture)}..{LastLabel}";

    /// <summary>How the loop variable's value in the last step reads.</summary>
    public string LastLabel => EndsAtCount ? Spec.Count + " - 1" : Spec.ValueAt(Last).ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Starts a loop region: the nodes after it up to its <see cref="LoopEnd"/> are computed once per step of
/// <see cref="Range"/>. Its inputs are the carried values' first values, which <see cref="LoopCarry"/> nodes read as
/// each step begins. Its own type is an empty scalar that nothing but the region's nodes reads.
/// </summary>
internal sealed record LoopBegin(LoopRange Range) : LoopOp
{
    public override string Attributes => $"{Range.Label}, {(Range.EndsAtCount ? "at most " : string.Empty)}{Range.Count.ToString(CultureInfo.InvariantCulture)} steps";

    public override TensorType Infer(IReadOnlyList<Node> inputs) => new(Shape.Scalar, Batched: false);

    public override string Describe(Node node) => $"loop over {Range.Label}";

    public override bool TakesIndices(int input) => true;
}

/// <summary>In a loop region (input 0, its <see cref="LoopBegin"/>): carried value <see cref="Index"/> as a step begins.</summary>
internal sealed record LoopCarry(int Loop, int Index, TensorType Carries) : LoopOp
{
    public override string Attributes => $"loop {Loop.ToString(CultureInfo.InvariantCulture)}, {Index.ToString(CultureInfo.InvariantCulture)}";

    public override TensorType Infer(IReadOnlyList<Node> inputs) => Carries;
}

/// <summary>
/// Ends loop region <see cref="Loop"/>: input 0 is its <see cref="LoopBegin"/>, input k + 1 carried value k as the
/// step ends, which the next step's <see cref="LoopCarry"/> k reads.
/// </summary>
internal sealed record LoopEnd(int Loop) : LoopOp
{
    public override string Attributes => $"loop {Loop.ToString(CultureInfo.InvariantCulture)}";

    public override TensorType Infer(IReadOnlyList<Node> inputs) => new(Shape.Scalar, Batched: false);

    public override bool TakesIndices(int input) => true;
}

/// <summary>Carried value <see cref="Index"/> of a loop region after its last step (input 0, its <see cref="LoopEnd"/>).</summary>
internal sealed record LoopResult(int Index) : LoopOp
{
    public override string Attributes => Index.ToString(CultureInfo.InvariantCulture);

    public override TensorType Infer(IReadOnlyList<Node> inputs) => inputs[0].Inputs[Index + 1].Type;

    public override bool TakesIndices(int input) => true;
}

/// <summary>
/// The value node input 0, a node of the region of loop <see cref="Loop"/>, held at a forward step: the enclosing
/// region's step plus <see cref="Offset"/> where <see cref="Relative"/>, else step <see cref="Offset"/>. The forward
/// loop keeps such a value along a step axis, one copy per step, for the reverse loop that reads it.
/// </summary>
internal sealed record Recall(int Loop, bool Relative, int Offset) : LoopOp
{
    public override string Attributes => Relative
        ? $"loop {Loop.ToString(CultureInfo.InvariantCulture)}, step{(Offset == 0 ? string.Empty : Offset.ToString("+0;-0", CultureInfo.InvariantCulture))}"
        : $"loop {Loop.ToString(CultureInfo.InvariantCulture)}, step {Offset.ToString(CultureInfo.InvariantCulture)}";

    public override TensorType Infer(IReadOnlyList<Node> inputs) => inputs[0].Type;

    public override bool TakesIndices(int input) => true;
}

/// <summary>
/// In loop region <see cref="Loop"/>: the row a step reads of input 0, a sequence, at position
/// <see cref="Coefficient"/> × step + <see cref="Offset"/> (one index per sample of an [Indices(n)] input, or a row of
/// a dense value along its first per-sample axis): a <see cref="StepSlice"/> kept in a loop.
/// </summary>
internal sealed record LoopSlice(int Loop, int Coefficient, int Offset) : KernelOp
{
    public override string Attributes => $"{Coefficient.ToString(CultureInfo.InvariantCulture)}·step + {Offset.ToString(CultureInfo.InvariantCulture)}";

    public override TensorType Infer(IReadOnlyList<Node> inputs) => new StepSlice(Coefficient, Offset).Infer(inputs);

    public override bool TakesIndices(int input) => true;

    public override Node? Gradient(Site d, Node y, Node g, int input) =>
        throw new InvalidOperationException("A loop region is formed after differentiation.");

    public override KernelCall Call(Node node)
    {
        var sequence = node.Inputs[0];
        if (sequence.IsIndices)
        {
            return KernelCall.Of("PickIndices", KernelArgument.Read(sequence), KernelArgument.LastAxis(sequence), new StepPositionArgument(Coefficient, Offset, Size.One), KernelArgument.Write(node)) with { Generic = false };
        }

        return KernelCall.Of(
            "SelectRow",
            KernelArgument.Read(sequence),
            KernelArgument.Elements(sequence),
            new StepPositionArgument(Coefficient, Offset, node.Shape.Size),
            KernelArgument.Elements(node),
            KernelArgument.Write(node),
            KernelArgument.Samples(node));
    }
}

/// <summary>
/// A carried value as an unrolled step of a loop ends: the value itself (it shares its input's storage, as a
/// reshape does), kept in memory as a loop region keeps it, so no kernel of the next step or after the loop computes
/// it inside its own loop. A step written out computes every value as the loop's step computes it, bit for bit.
/// </summary>
internal sealed record StepBoundary : LoopOp
{
    public override TensorType Infer(IReadOnlyList<Node> inputs) => inputs[0].Type;

    public override bool TakesIndices(int input) => true;

    public override Node? Gradient(Site d, Node y, Node g, int input) => g;
}

/// <summary>
/// How many steps a region that ends at its loop's run-time count runs: the count (the method's argument
/// <see cref="Count"/>) less <see cref="Before"/>, the steps before the region's first. The values the region keeps
/// for every step fill that many steps' parts of their buffers, sized for the most steps.
/// </summary>
internal sealed record RunTimeSteps(string Count, int Before)
{
    /// <summary>How listings name it: <c>, length - 2 of them</c>; nothing where the steps are a constant number.</summary>
    public static string Label(RunTimeSteps? steps) =>
        steps is null ? string.Empty : $", {steps.Count} - {steps.Before.ToString(CultureInfo.InvariantCulture)} of them";

    /// <summary>The steps of <paramref name="range"/> that run, where it ends at a run-time count; null for a constant number.</summary>
    public static RunTimeSteps? Of(LoopRange range) => range.EndsAtCount ? new RunTimeSteps(range.Spec.Count!, range.First) : null;
}

/// <summary>
/// In a loop region: a copy of input 0, a carried value as the step begins, computed into memory of its own, so the
/// region can keep it for every step (a carried value lives in one buffer, which each step overwrites) for a sum
/// after the loop (<c>Optimization/LoopProductSums</c>). The same numbers: it has no derivative, being formed after
/// differentiation.
/// </summary>
internal sealed record CarriedCopy : UnaryElementwise
{
    public override Scalar Compute(Scalar x) => x;

    public override Node? Gradient(Site d, Node y, Node g) =>
        throw new InvalidOperationException("A carried value's copy is formed after differentiation.");
}

/// <summary>
/// After loop region <see cref="Loop"/>: the copies of input 0, a value of the region kept for every step, that
/// forward steps <see cref="First"/> to <see cref="Last"/> computed, as one value whose rows are each step's rows:
/// a per-sample matrix <c>[r, c]</c> becomes <c>[steps·r, c]</c>. The copies lie step after step, each step's samples
/// together, so only a product that sums over every row and sample (<c>Σ over steps of xᵀ·d</c>, read as one
/// <c>[steps·batch·r, c]</c> matrix) reads one; the row order it sums in is the steps' order, not the samples'. Where
/// the region ends at a run-time count, <see cref="RunTime"/> says how many of those steps ran: the rows of the
/// steps from <see cref="First"/> on that did.
/// </summary>
internal sealed record StepRows(int Loop, int First, int Last, RunTimeSteps? RunTime = null) : LoopOp
{
    /// <summary>The number of steps, or the most there may be where <see cref="RunTime"/> gives them.</summary>
    public int Count => Last - First + 1;

    public override string Attributes => $"loop {Loop.ToString(CultureInfo.InvariantCulture)}, steps {First.ToString(CultureInfo.InvariantCulture)}..{Last.ToString(CultureInfo.InvariantCulture)}{RunTimeSteps.Label(RunTime)}";

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        var rows = inputs[0];
        if (rows.Shape.Rank != 2 || !rows.Batched)
        {
            throw new InvalidOperationException($"Only a per-sample matrix is read as rows over a loop's steps, not {rows.Type}.");
        }

        return new TensorType(Shape.Of(rows.Shape[0] * Count, rows.Shape[1]), Batched: true);
    }

    public override string Describe(Node node) => $"the rows of steps {First.ToString(CultureInfo.InvariantCulture)}..{Last.ToString(CultureInfo.InvariantCulture)}";

    public override bool TakesIndices(int input) => true;
}

/// <summary>
/// In loop region <see cref="Loop"/>: the rows of input 0 at a step, where input 0 is a value computed before the
/// region whose rows are those of the forward steps <see cref="First"/> onwards, one step after the other (a product
/// over a loop's every step, <see cref="StepRows"/> times a matrix): the step's own rows, a per-sample
/// <see cref="Rows"/>, at the region's step plus <see cref="Offset"/> where <see cref="Relative"/>, else at step
/// <see cref="Offset"/>.
/// </summary>
internal sealed record StepRow(int Loop, bool Relative, int Offset, int First, Shape Rows) : LoopOp
{
    public override string Attributes => Relative
        ? $"loop {Loop.ToString(CultureInfo.InvariantCulture)}, step{(Offset == 0 ? string.Empty : Offset.ToString("+0;-0", CultureInfo.InvariantCulture))} of steps {First.ToString(CultureInfo.InvariantCulture)}.."
        : $"loop {Loop.ToString(CultureInfo.InvariantCulture)}, step {Offset.ToString(CultureInfo.InvariantCulture)} of steps {First.ToString(CultureInfo.InvariantCulture)}..";

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        var steps = inputs[0];
        if (!steps.Batched || steps.Shape.Rank != Rows.Rank || Rows.Rank != 2 || !steps.Shape[1].Equals(Rows[1]))
        {
            throw new InvalidOperationException($"A step's {Rows} rows are read of a value whose rows are those of every step, not of {steps.Type}.");
        }

        return new TensorType(Rows, Batched: true);
    }

    public override string Describe(Node node) => $"the rows of {(Relative ? "the step" : "step " + Offset.ToString(CultureInfo.InvariantCulture))}";

    public override bool TakesIndices(int input) => true;
}
