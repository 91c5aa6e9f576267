using System.Globalization;
using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>
/// The derivative of a <see cref="Scan"/> (input 0, the forward loop): a loop over the same steps, backwards. Its
/// carried values (the other inputs, their first values) are, in order, the adjoints of the forward loop's carried
/// values (<see cref="States"/> of them, carried from one reverse step to the one before) and one gradient accumulator
/// per parameter, captured value or first carried value of the forward loop that gets a gradient from the loop, which
/// starts as that value's adjoint when the reverse loop begins, so each step's contributions add to the same sum, in
/// the order a walk over the unrolled steps would add them.
/// <para>
/// A reverse body reads the forward body's nodes directly: those are the values of the forward step it reverses,
/// which the forward loop keeps for it. A carried value that has no adjoint yet (the state's adjoint before anything
/// has flowed into it, an accumulator before its first contribution) is absent rather than zero, so no step adds a
/// zero or multiplies by one; which values are present changes over the first steps only, so the steps are runs of
/// bodies (<see cref="Runs"/>: the first reverse steps may each have a body of their own, then one body repeats, and
/// the last step, which reverses the forward loop's first, adds the adjoints of the forward carried values' first
/// values to their accumulators instead of carrying them on). <see cref="Present"/>[r][k] says whether carried value k
/// holds a value as reverse step r begins (r = Steps: after the last step); an absent value's leaf is read by nothing
/// and is passed on as it is. <see cref="Reversed"/>[b] is the forward body that body b reverses.
/// </para>
/// </summary>
internal sealed record ReverseScan(
    Scan Forward,
    int States,
    IReadOnlyList<ScanBody> Bodies,
    IReadOnlyList<ScanBody> Reversed,
    IReadOnlyList<ReverseRun> Runs,
    IReadOnlyList<IReadOnlyList<bool>> PresenceByRun,
    IReadOnlyList<bool> PresentAfter) : LoopOp
{
    public override string Attributes =>
        $"{Forward.Loop.Steps.ToString(CultureInfo.InvariantCulture)} steps, {States.ToString(CultureInfo.InvariantCulture)} carried adjoints, {(PresentAfter.Count - States).ToString(CultureInfo.InvariantCulture)} accumulators, {Bodies.Count.ToString(CultureInfo.InvariantCulture)} bodies";

    public int Steps => Forward.Loop.Steps;

    /// <summary>
    /// The values of forward body <paramref name="forward"/> that the reverse bodies reversing it read: what the
    /// forward loop keeps, along a step axis, for each step it runs with that body. A parameter, a captured value or a
    /// constant is the same in every step and is read where it is; a carried leaf is the step before's carried value.
    /// </summary>
    public IReadOnlyList<Node> Stored(ScanBody forward)
    {
        var forwardNodes = new HashSet<Node>(forward.Nodes);
        var stored = new HashSet<Node>();
        for (int b = 0; b < Bodies.Count; b++)
        {
            if (Reversed[b] != forward)
            {
                continue;
            }

            foreach (var input in Bodies[b].Nodes.SelectMany(n => n.Inputs))
            {
                if (forwardNodes.Contains(input) && (input.Inputs.Count > 0 || input.Op is ScanCarry))
                {
                    stored.Add(input);
                }
            }
        }

        return forward.Nodes.Where(stored.Contains).ToList();
    }

    /// <summary>The forward step that reverse step <paramref name="step"/> reverses.</summary>
    public int ForwardStep(int step) => Steps - 1 - step;

    /// <summary>The body reverse step <paramref name="step"/> runs.</summary>
    public ScanBody BodyAt(int step) => Bodies[Runs[RunAt(step)].Body];

    /// <summary>Whether each carried value holds a value as reverse step <paramref name="step"/> begins.</summary>
    public IReadOnlyList<bool> Present(int step) => step == Steps ? PresentAfter : PresenceByRun[RunAt(step)];

    /// <summary>The index of the run that holds reverse step <paramref name="step"/>.</summary>
    private int RunAt(int step)
    {
        int start = 0;
        for (int run = 0; run < Runs.Count; run++)
        {
            if (step < start + Runs[run].Steps)
            {
                return run;
            }

            start += Runs[run].Steps;
        }

        throw new ArgumentOutOfRangeException(nameof(step), $"A reverse loop of {Steps} steps has no step {step}.");
    }

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        if (inputs.Count != 1 + PresentAfter.Count || inputs[0].Op is not Scan)
        {
            throw new InvalidOperationException($"A reverse scan of {PresentAfter.Count} carried values reads its forward scan and their first values; it was given {inputs.Count} inputs.");
        }

        return new TensorType(Shape.Scalar, Batched: false);
    }

    public override string Describe(Node node) => $"Reverse of the scan over {Forward.Loop.Header}";

    public override bool TakesIndices(int input) => true;
}

/// <summary><see cref="Steps"/> consecutive steps of a <see cref="ReverseScan"/> that run body number <see cref="Body"/>.</summary>
internal sealed record ReverseRun(int Body, int Steps);
