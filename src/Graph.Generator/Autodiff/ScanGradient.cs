using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Shapes;

namespace Graph.Generator.Autodiff;

/// <summary>
/// The derivative of a <see cref="Scan"/>: a <see cref="ReverseScan"/> whose bodies each reverse one forward body
/// with the derivative rules of its ops (<see cref="Op.Gradient"/>), so the gradient does not grow with the steps.
/// Every sum it forms is the sum a walk over the unrolled steps forms, in the same order: a step's nodes are walked
/// from last to first, the state's adjoint enters a step as the sum of what the step after it gave, and each
/// parameter, captured value or first carried value sums its contributions in one accumulator, seeded with its
/// adjoint as the reverse loop begins (what the nodes after the loop gave it), so the result is bit-identical to
/// differentiating the unrolled loop.
/// </summary>
internal static class ScanGradient
{
    /// <summary>Reads and replaces the adjoint of a node of the graph around the loop (a parameter's by its index).</summary>
    internal interface IAdjoints
    {
        Node? Get(Node node);

        void Set(Node node, Node adjoint);
    }

    /// <summary>
    /// Whether each carried value depends on a trainable parameter as each step begins (entry <c>Steps</c>: after the
    /// last step), stepped through exactly, as the unrolled steps would be.
    /// </summary>
    public static IReadOnlyList<bool[]> CarriedDependence(Node scanNode, Func<Node, bool> dependsOnTrainable, ISet<int> trainable)
    {
        var scan = (Scan)scanNode.Op;
        int carried = scan.Body.Carried.Count;
        var steps = new List<bool[]> { scanNode.Inputs.Take(carried).Select(dependsOnTrainable).ToArray() };
        for (int step = 0; step < scan.Loop.Steps; step++)
        {
            var body = scan.BodyAt(step);
            var dependence = BodyDependence(scanNode, body, steps[step], dependsOnTrainable, trainable);
            steps.Add(body.Next.Select(n => dependence[n]).ToArray());
        }

        return steps;
    }

    /// <summary>
    /// Adds the reverse loop of <paramref name="scanNode"/> to <paramref name="builder"/>, given the adjoints of its
    /// carried values after the last step (<paramref name="resultAdjoints"/>, null where none), and replaces the
    /// adjoints of the values the loop reads with their sums after it.
    /// </summary>
    public static void Differentiate(GraphBuilder builder, Node scanNode, IReadOnlyList<Node?> resultAdjoints, Func<Node, bool> dependsOnTrainable, ISet<int> trainable, IAdjoints adjoints, bool seedAdjoints = false)
    {
        var scan = (Scan)scanNode.Op;
        if (scan.Body.Appended.Any(a => a) || (scan.First?.Appended.Any(a => a) ?? false))
        {
            throw Unsupported(scanNode, "a value appended to in each step");
        }

        var carriedDependence = CarriedDependence(scanNode, dependsOnTrainable, trainable);
        var sources = Sources(scanNode, dependsOnTrainable, trainable);
        int states = scan.Body.Carried.Count;
        var at = builder.At("d(" + scanNode.Origin + ")");

        // The first values: the adjoints after the loop, absent (a zero never read) where there is none yet.
        var present = new bool[states + sources.Count];
        var first = new List<Node> { scanNode };
        var last = scan.BodyAt(scan.Loop.Steps - 1);
        for (int k = 0; k < states; k++)
        {
            present[k] = resultAdjoints[k] is not null;
            first.Add(resultAdjoints[k] ?? Zero(at, last.Next[k].Type));
        }

        for (int i = 0; i < sources.Count; i++)
        {
            var seed = adjoints.Get(sources[i].Value);
            present[states + i] = seed is not null;
            first.Add(seed ?? Zero(at, sources[i].Value.Type));
        }

        // Seeded, every value starts present (the zero where none came), so the last steps' reverse bodies may be the
        // others' and one reverse loop runs them all. A loop whose step count is known only at run time must be
        // seeded: its reverse loop starts at a step the generated code does not know (CheckRunTimeRuns checks that
        // every step it may start at has the same body). With seedAdjoints (a kept loop whose sums need not keep the
        // unrolled order) and long enough for its reverse steps to be a region (those after the forward loop's first, or
        // its first two where the first step has a body of its own), seeding is kept where it leaves the reverse loop
        // fewer runs of steps, so fewer steps are laid out apart around its region: every value, or only those the
        // first reverse step makes present (an accumulator no value after the loop adds to, while a carried adjoint
        // that no step sends on stays absent, as it is after the first step).
        var walk = Walk(scanNode, sources, dependsOnTrainable, trainable, carriedDependence, present);
        bool runTime = scan.Loop.Count is not null;
        int regionSteps = scan.Loop.Steps - (scan.FirstRegionStep + 1);
        if (runTime || (seedAdjoints && regionSteps >= Optimization.LoopUnrolling.MinimumKeptSteps))
        {
            var seeded = Walk(scanNode, sources, dependsOnTrainable, trainable, carriedDependence, present.Select(_ => true).ToArray());
            if (runTime)
            {
                CheckRunTimeRuns(scanNode, seeded.Runs, seeded.PresenceByRun);
            }

            var unseeded = walk;
            walk = runTime || seeded.Runs.Count < walk.Runs.Count ? seeded : walk;
            if (!runTime && unseeded.Runs.Count > 1 && unseeded.Runs[0].Steps == 1)
            {
                var afterFirst = unseeded.PresenceByRun[1];
                var settled = Walk(scanNode, sources, dependsOnTrainable, trainable, carriedDependence, present.Select((p, i) => p || afterFirst[i]).ToArray());
                walk = settled.Runs.Count < walk.Runs.Count ? settled : walk;
            }
        }

        var (reverse, runs, presenceByRun) = (walk.Reverse, walk.Runs, walk.PresenceByRun);
        present = walk.After;
        var op = new ReverseScan(scan, states, reverse.Bodies, reverse.Reversed, runs, presenceByRun, present);
        var reverseNode = at.Apply(op, first.ToArray());
        for (int i = 0; i < sources.Count; i++)
        {
            if (present[states + i])
            {
                adjoints.Set(sources[i].Value, builder.At("d(" + sources[i].Value.Origin + ")").Apply(new ScanResult(states + i), reverseNode));
            }
        }
    }

    /// <summary>The reverse loop's steps, last forward step first, from <paramref name="present"/> values present as it begins.</summary>
    private static (Reverse Reverse, List<ReverseRun> Runs, List<IReadOnlyList<bool>> PresenceByRun, bool[] After) Walk(
        Node scanNode, List<Source> sources, Func<Node, bool> dependsOnTrainable, ISet<int> trainable, IReadOnlyList<bool[]> carriedDependence, bool[] present)
    {
        var scan = (Scan)scanNode.Op;
        var reverse = new Reverse(scanNode, sources, dependsOnTrainable, trainable);
        var runs = new List<ReverseRun>();
        var presenceByRun = new List<IReadOnlyList<bool>>();
        for (int step = 0; step < scan.Loop.Steps; step++)
        {
            int forwardStep = scan.Loop.Steps - 1 - step;
            var previous = forwardStep == 0 ? null : scan.BodyAt(forwardStep - 1);
            var (body, after) = reverse.BodyFor(scan.BodyAt(forwardStep), previous, present, carriedDependence[forwardStep]);
            if (runs.Count > 0 && runs[runs.Count - 1].Body == body)
            {
                runs[runs.Count - 1] = runs[runs.Count - 1] with { Steps = runs[runs.Count - 1].Steps + 1 };
            }
            else
            {
                runs.Add(new ReverseRun(body, 1));
                presenceByRun.Add(present);
            }

            present = after;
        }

        return (reverse, runs, presenceByRun, present);
    }

    /// <summary>
    /// Checks that a reverse loop of a run-time step count can start at any step: every value present as each run
    /// begins, and one body for every step but the first one or two (the forward loop's first step, and the one after
    /// a first step apart), which the generated code lays out apart at their fixed positions.
    /// </summary>
    private static void CheckRunTimeRuns(Node scanNode, IReadOnlyList<ReverseRun> runs, IReadOnlyList<IReadOnlyList<bool>> presenceByRun)
    {
        var scan = (Scan)scanNode.Op;
        int apart = scan.FirstRegionStep + 1;
        if (presenceByRun.Any(p => p.Any(present => !present)) || (scan.Loop.Steps > apart && runs[0].Steps < scan.Loop.Steps - apart))
        {
            throw Unsupported(scanNode, "a run-time step count where its steps' derivatives differ beyond the first steps");
        }
    }

    /// <summary>The value of the graph around the loop that a body's leaf stands for, or null for a leaf that stands for none.</summary>
    private static Node? Outer(Node scanNode, ScanBody body, Node leaf) => leaf.Op switch
    {
        ScanCarry carry => scanNode.Inputs[carry.Index],
        ScanCapture capture => ((Scan)scanNode.Op).CapturedBy(scanNode, body).ElementAt(capture.Index),
        Parameter => leaf,
        _ => null,
    };

    /// <summary>
    /// The values a gradient accumulator is kept for, each once: the first carried values, then each body's captured
    /// values and parameters, where they depend on a trainable parameter. A parameter is one value whichever node reads it.
    /// </summary>
    private static List<Source> Sources(Node scanNode, Func<Node, bool> dependsOnTrainable, ISet<int> trainable)
    {
        var scan = (Scan)scanNode.Op;
        var sources = new List<Source>();
        void Add(Node value)
        {
            var source = Source.Of(value);
            bool depends = value.Op is Parameter parameter ? trainable.Contains(parameter.Index) : dependsOnTrainable(value);
            if (depends && !sources.Contains(source))
            {
                sources.Add(source);
            }
        }

        foreach (var input in scanNode.Inputs.Take(scan.Body.Carried.Count))
        {
            Add(input);
        }

        foreach (var body in scan.First is null ? new[] { scan.Body } : new[] { scan.Body, scan.First })
        {
            foreach (var leaf in body.Nodes.Where(n => n.Op is ScanCapture or Parameter))
            {
                Add(Outer(scanNode, body, leaf)!);
            }
        }

        return sources;
    }

    /// <summary>Whether each node of <paramref name="body"/> depends on a trainable parameter, given its carried values'.</summary>
    private static Dictionary<Node, bool> BodyDependence(Node scanNode, ScanBody body, IReadOnlyList<bool> carried, Func<Node, bool> dependsOnTrainable, ISet<int> trainable)
    {
        var dependence = new Dictionary<Node, bool>();
        foreach (var node in body.Nodes)
        {
            dependence[node] = node.Op switch
            {
                ScanCarry carry => carried[carry.Index],
                ScanCapture => dependsOnTrainable(Outer(scanNode, body, node)!),
                Parameter parameter => trainable.Contains(parameter.Index),
                Scan when node.Inputs.Any(i => dependence[i]) || ((Scan)node.Op).Body.Nodes.Any(n => n.Op is Parameter p && trainable.Contains(p.Index)) => true,
                _ => node.Inputs.Any(i => dependence[i]),
            };
        }

        return dependence;
    }

    private static Node Zero(Site at, TensorType type) => at.Broadcast(at.Constant(0), type.Shape, type.Batched);

    private static LoopNotReversedException Unsupported(Node scanNode, string what) =>
        new($"The loop {scanNode.Origin} is differentiated through its unrolled steps: its reverse loop does not take {what} yet.");

    /// <summary>A value an accumulator is kept for: a node of the graph around the loop, or a parameter by its index.</summary>
    private sealed record Source(Node Value, int Parameter)
    {
        public static Source Of(Node value) => value.Op is Parameter parameter ? new Source(value, parameter.Index) : new Source(value, -1);

        public bool Equals(Source? other) => other is not null && (Parameter >= 0 ? Parameter == other.Parameter : other.Parameter < 0 && ReferenceEquals(Value, other.Value));

        public override int GetHashCode() => Parameter >= 0 ? Parameter : System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(Value);
    }

    /// <summary>The reverse bodies of one loop, one per forward body, step kind and set of present values met.</summary>
    private sealed class Reverse
    {
        private readonly Node scanNode;
        private readonly List<Source> sources;
        private readonly Func<Node, bool> dependsOnTrainable;
        private readonly ISet<int> trainable;
        private readonly List<(ScanBody Forward, ScanBody? Previous, bool[] Present, bool[] Carried, bool[] After)> keys = new();

        public Reverse(Node scanNode, List<Source> sources, Func<Node, bool> dependsOnTrainable, ISet<int> trainable)
        {
            this.scanNode = scanNode;
            this.sources = sources;
            this.dependsOnTrainable = dependsOnTrainable;
            this.trainable = trainable;
        }

        public List<ScanBody> Bodies { get; } = new();

        /// <summary>The forward body each of <see cref="Bodies"/> reverses.</summary>
        public List<ScanBody> Reversed { get; } = new();

        private int States => ((Scan)scanNode.Op).Body.Carried.Count;

        /// <summary>
        /// The body that reverses <paramref name="forward"/>, run after <paramref name="previous"/> (null in the
        /// forward loop's first step), with <paramref name="present"/> values present, and which are present after it.
        /// </summary>
        public (int Body, bool[] After) BodyFor(ScanBody forward, ScanBody? previous, bool[] present, bool[] carried)
        {
            for (int b = 0; b < keys.Count; b++)
            {
                var key = keys[b];
                if (key.Forward == forward && key.Previous == previous && key.Present.SequenceEqual(present) && key.Carried.SequenceEqual(carried))
                {
                    return (b, key.After);
                }
            }

            var (body, after) = Build(forward, previous, present, carried);
            Bodies.Add(body);
            Reversed.Add(forward);
            keys.Add((forward, previous, present, carried, after));
            return (Bodies.Count - 1, after);
        }

        /// <summary>
        /// One reverse step: the forward body's nodes walked from last to first, each node's adjoint sent to its
        /// inputs by its op's rule. A carried value's leaf sends its sum to the step before (in the forward loop's
        /// first step, to its first value's accumulator), a captured value or parameter adds to its accumulator.
        /// </summary>
        private (ScanBody Body, bool[] After) Build(ScanBody forward, ScanBody? previous, bool[] present, bool[] carried)
        {
            bool firstStep = previous is null;
            var loop = ((Scan)scanNode.Op).Loop;
            var dependence = BodyDependence(scanNode, forward, carried, dependsOnTrainable, trainable);
            var builder = new GraphBuilder();
            var leaves = new List<Node>();
            for (int k = 0; k < States; k++)
            {
                leaves.Add(builder.Apply(new ScanCarry(k, forward.Next[k].Type), "d(" + forward.Next[k].Origin + ")", Array.Empty<Node>()));
            }

            for (int i = 0; i < sources.Count; i++)
            {
                leaves.Add(builder.Apply(new ScanCarry(States + i, sources[i].Value.Type), "d(" + sources[i].Value.Origin + ")", Array.Empty<Node>()));
            }

            var adjoints = new Dictionary<Node, Node>();
            for (int k = 0; k < States; k++)
            {
                var next = forward.Next[k];
                if (!dependence[next])
                {
                    continue;
                }

                if (next.Inputs.Count == 0 || forward.Next.Count(n => n == next) > 1)
                {
                    throw Unsupported(scanNode, "a carried value that a step leaves unchanged or carries twice");
                }

                if (present[k])
                {
                    adjoints[next] = leaves[k];
                }
            }

            var accumulators = new Node?[sources.Count];
            for (int i = 0; i < sources.Count; i++)
            {
                accumulators[i] = present[States + i] ? leaves[States + i] : null;
            }

            for (int n = forward.Nodes.Count - 1; n >= 0; n--)
            {
                var node = forward.Nodes[n];
                if (node.Inputs.Count == 0 || !dependence[node] || !adjoints.TryGetValue(node, out var g))
                {
                    continue;
                }

                if (node.Op is LoopOp)
                {
                    throw Unsupported(scanNode, node.Op is StepSlice ? "a trainable sequence read a row per step" : "a nested loop");
                }

                var d = builder.At("d(" + node.Origin + ")");
                for (int i = 0; i < node.Inputs.Count; i++)
                {
                    var input = node.Inputs[i];
                    if (!dependence[input])
                    {
                        continue;
                    }

                    var contribution = node.Op.Gradient(d, node, g, i);
                    if (contribution is null)
                    {
                        continue;
                    }

                    // Named as the unrolled walk names it: after the value the leaf stands for (a carried value
                    // after the expression that computed it in the step before).
                    var outer = input.Op is ScanCapture or Parameter || (firstStep && input.Op is ScanCarry) ? Outer(scanNode, forward, input) : null;
                    string named = outer?.Origin
                        ?? (input.Op is ScanCarry carry ? previous!.Next[carry.Index].Origin.Replace(loop.Placeholder, loop.PreviousPlaceholder) : input.Origin);
                    var at = builder.At("d(" + named + ")");
                    contribution = ReverseMode.SumToShape(at, contribution, input);
                    if (outer is not null)
                    {
                        int slot = sources.IndexOf(Source.Of(outer));
                        var sum = accumulators[slot];
                        accumulators[slot] = sum is null ? contribution : at.Add(sum, contribution);
                    }
                    else
                    {
                        adjoints[input] = adjoints.TryGetValue(input, out var sum) ? at.Add(sum, contribution) : contribution;
                    }
                }
            }

            var nextValues = new List<Node>();
            var after = new bool[leaves.Count];
            for (int k = 0; k < States; k++)
            {
                var adjoint = firstStep ? null : adjoints.TryGetValue(forward.Carried[k], out var sum) ? sum : null;
                after[k] = adjoint is not null;
                nextValues.Add(adjoint ?? leaves[k]);
            }

            for (int i = 0; i < sources.Count; i++)
            {
                after[States + i] = accumulators[i] is not null;
                nextValues.Add(accumulators[i] ?? leaves[States + i]);
            }

            var body = new ScanBody(builder.Nodes, leaves, Array.Empty<Node>(), nextValues, new bool[leaves.Count]);
            return (body, after);
        }
    }
}
