using System.Globalization;
using Graph.Generator.Shapes;
using Graph.Generator.Spec;

namespace Graph.Generator.IR.Ops;

/// <summary>
/// An operation of a loop (<see cref="Scan"/>, <see cref="ScanResult"/>, <see cref="StepSlice"/>,
/// <see cref="ReverseScan"/>): it stands for a computation repeated once per step, which the compiler either unrolls
/// (a copy of the body per step) or keeps as a loop. A loop is differentiated as a whole
/// (<c>Autodiff/ScanGradient</c>), so none of these has a derivative rule of its own, except the carried value an
/// unrolled step ends with (<see cref="StepBoundary"/>), which passes its adjoint on.
/// </summary>
internal abstract record LoopOp : Op
{
    public override Node? Gradient(Site d, Node y, Node g, int input) =>
        throw new InvalidOperationException($"{Name} has no derivative rule of its own: ReverseMode differentiates a loop as a whole (ScanGradient), or its unrolled steps.");
}

/// <summary>
/// The body of a <see cref="Scan"/>: one step of the loop as a computation of its own. Its leaves are the carried
/// values as a step begins (<see cref="Carried"/>, <see cref="ScanCarry"/> leaves), the values of the graph around the
/// loop that it reads (<see cref="Captured"/>, <see cref="ScanCapture"/> leaves), parameters and constants; the rows a
/// step reads of a sequence are <see cref="StepSlice"/>s of a captured sequence. <see cref="Next"/> are the carried
/// values as the step ends, each of the type of its <see cref="Carried"/> leaf, except a value the loop
/// <see cref="Appended"/> to: <c>rows = Concat(rows, row)</c>, its <see cref="Carried"/> leaf read by that
/// <see cref="Concat"/> only, which grows by one row a step (the loop's per-step outputs, stacked after a first value).
/// </summary>
internal sealed class ScanBody
{
    public ScanBody(IReadOnlyList<Node> nodes, IReadOnlyList<Node> carried, IReadOnlyList<Node> captured, IReadOnlyList<Node> next, IReadOnlyList<bool> appended)
    {
        Nodes = nodes;
        Carried = carried;
        Captured = captured;
        Next = next;
        Appended = appended;
    }

    /// <summary>
    /// True where carried value k is <see cref="Next"/>[k] = <c>Concat(Carried[k], row)</c> and <see cref="Carried"/>[k]
    /// is read by nothing else: a stack of per-step rows, which may grow.
    /// </summary>
    public IReadOnlyList<bool> Appended { get; }

    /// <summary>True when carried value <paramref name="index"/> of a body whose step ends with <paramref name="next"/> is appended to and read by nothing else.</summary>
    public static bool IsAppended(IReadOnlyList<Node> nodes, Node carried, Node next) =>
        next.Op is Concat && next.Inputs[0] == carried && next.Inputs[1] != carried
        && nodes.Count(n => n.Inputs.Contains(carried)) == 1;

    /// <summary>The body's nodes in evaluation order, leaves included.</summary>
    public IReadOnlyList<Node> Nodes { get; }

    public IReadOnlyList<Node> Carried { get; }

    public IReadOnlyList<Node> Captured { get; }

    public IReadOnlyList<Node> Next { get; }
}

/// <summary>
/// A loop of <see cref="Loop"/>.Steps steps (a constant count, or the most a run-time count may ask for where
/// <see cref="LoopSpec.Count"/> names it; the body is the same either way). Each step runs <see cref="Body"/>, except the first where
/// <see cref="First"/> is given: a body lowered for the carried values' first types, where a step changes them (a
/// state that starts at a parameter shared by the batch is a value per sample after one step; the ops of a body are
/// chosen for its operands' types; a running sum from a constant starts at the constant broadcast instead and needs
/// no first body). The inputs are the carried values' first values, then the values
/// <see cref="Body"/> captures, then those <see cref="First"/> captures, each in its body's order. The Scan's values
/// are the carried values after the last step, read through <see cref="ScanResult"/> nodes; the Scan node's own type
/// is the empty scalar it is given here and is read by nothing else.
/// </summary>
internal sealed record Scan(LoopSpec Loop, ScanBody Body, ScanBody? First) : LoopOp
{
    public override string Attributes => $"{Loop.Steps.ToString(CultureInfo.InvariantCulture)} steps, {Body.Carried.Count} carried" + (First is null ? string.Empty : ", first step apart");

    /// <summary>
    /// The first step a loop region may hold: a first step with a body of its own runs apart, before the region. A
    /// reverse region starts one step later (its first step recalls the carried values as the forward region began).
    /// </summary>
    public int FirstRegionStep => First is null ? 0 : 1;

    /// <summary>The body step <paramref name="step"/> runs.</summary>
    public ScanBody BodyAt(int step) => step == 0 && First is not null ? First : Body;

    /// <summary>The inputs of the Scan node that <paramref name="body"/>'s <see cref="ScanBody.Captured"/> leaves stand for.</summary>
    public IEnumerable<Node> CapturedBy(Node scan, ScanBody body) =>
        scan.Inputs.Skip(Body.Carried.Count + (body == Body ? 0 : Body.Captured.Count)).Take(body.Captured.Count);

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        if (inputs.Count != Body.Carried.Count + Body.Captured.Count + (First?.Captured.Count ?? 0))
        {
            throw new InvalidOperationException($"A scan of {Body.Carried.Count} carried and {Body.Captured.Count} captured values was given {inputs.Count} inputs.");
        }

        return new TensorType(Shape.Scalar, Batched: false);
    }

    public override string Describe(Node node) => $"Scan over {Loop.Header}";

    // The body reads what it is given: an index input's rows through its slices, a carried value as it is.
    public override bool TakesIndices(int input) => true;
}

/// <summary>Carried value number <see cref="Index"/> of the <see cref="Scan"/> or <see cref="ReverseScan"/> input 0 after its last step.</summary>
internal sealed record ScanResult(int Index) : LoopOp
{
    public override string Attributes => Index.ToString(CultureInfo.InvariantCulture);

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        if (inputs[0].Op is ReverseScan reverse)
        {
            return reverse.BodyAt(reverse.Steps - 1).Next[Index].Type;
        }

        var scan = inputs[0].Op as Scan ?? throw new InvalidOperationException("A ScanResult reads a Scan or a ReverseScan.");
        var last = scan.BodyAt(scan.Loop.Steps - 1);
        if (!last.Appended[Index])
        {
            return last.Next[Index].Type;
        }

        // The first value with each step's row after it.
        var first = inputs[0].Inputs[Index].Type;
        var shape = first.Shape;
        bool batched = first.Batched;
        for (int step = 0; step < scan.Loop.Steps; step++)
        {
            var row = scan.BodyAt(step).Next[Index].Inputs[1].Type;
            shape = ShapeRules.Concat(shape, row.Shape);
            batched |= row.Batched;
        }

        return new TensorType(shape, batched);
    }

    public override bool TakesIndices(int input) => true;
}

/// <summary>
/// In a <see cref="ScanBody"/>: the row a step reads of a captured sequence, at position
/// <see cref="Coefficient"/> × step + <see cref="Offset"/> (steps counted from 0): one index per sample of an
/// [Indices(n)] input (<c>chars[t]</c>, a <see cref="PickIndex"/> once the step is known), or a row of a dense value
/// along its first per-sample axis (<c>x[t]</c>, a <see cref="SelectRow"/>).
/// </summary>
internal sealed record StepSlice(int Coefficient, int Offset) : LoopOp
{
    public override string Attributes => $"{Coefficient.ToString(CultureInfo.InvariantCulture)}·step + {Offset.ToString(CultureInfo.InvariantCulture)}";

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        // The positions every step reads are checked where the loop is lowered (IndexAtFunction.Problem).
        var sequence = inputs[0];
        return sequence.IsIndices
            ? new TensorType(Shape.Of(1), sequence.Batched, sequence.Type.Elements)
            : new TensorType(new Shape(sequence.Shape.Dims.Skip(1)), sequence.Batched);
    }

    public override bool TakesIndices(int input) => true;

    public int Position(int step) => (Coefficient * step) + Offset;

    /// <summary>The operation the slice is at step <paramref name="step"/>.</summary>
    public Op AtStep(Node sequence, int step) => sequence.IsIndices ? new PickIndex(Position(step)) : new SelectRow(Position(step));
}

/// <summary>In a <see cref="ScanBody"/>: carried value number <see cref="Index"/> as a step begins.</summary>
internal sealed record ScanCarry(int Index, TensorType Carries) : Leaf
{
    public override TensorType Type => Carries;

    public override string Attributes => Index.ToString(CultureInfo.InvariantCulture);
}

/// <summary>In a <see cref="ScanBody"/>: captured value number <see cref="Index"/>, a value of the graph around the loop.</summary>
internal sealed record ScanCapture(int Index, TensorType Captures) : Leaf
{
    public override TensorType Type => Captures;

    public override string Attributes => Index.ToString(CultureInfo.InvariantCulture);
}
