using System.Globalization;
using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Planning;
using Graph.Generator.Spec;

namespace Graph.Generator.Optimization;

/// <summary>
/// Unrolls loops: rebuilds a graph with each <see cref="Scan"/> replaced by a copy of its body per step, a step's
/// carried values the previous step's, each <see cref="StepSlice"/> the <see cref="PickIndex"/> or
/// <see cref="SelectRow"/> of its step's position, and each iteration label of the body's origins the step's value
/// of the loop variable (<c>words[t] [t = 2]</c>). Every other node is rebuilt as it was, in the same order, and a
/// parameter read in several steps is one node, so the unrolled graph is the one a loop written out by hand gives.
/// A <see cref="ReverseScan"/> is unrolled the same way, each step's copy reading the values of the forward step it
/// reverses. A loop the compiler keeps becomes a loop region instead: one copy of its body between a
/// <see cref="LoopBegin"/> and a <see cref="LoopEnd"/>, computed once per step, its carried values read through
/// <see cref="LoopCarry"/> nodes, its rows through <see cref="LoopSlice"/>s, and the forward values a reverse step
/// reads through <see cref="Recall"/>s of the forward region's nodes.
/// </summary>
internal static class LoopUnrolling
{
    /// <summary>
    /// The graph of <paramref name="builder"/> with its loops unrolled (into a new builder where it has any), and the
    /// nodes <paramref name="roots"/> became.
    /// </summary>
    public static (GraphBuilder Builder, IReadOnlyList<Node> Roots) Run(GraphBuilder builder, params Node[] roots) => Run(builder, keepLoops: false, roots);

    /// <summary>
    /// As <see cref="Run(GraphBuilder, Node[])"/>; with <paramref name="keepLoops"/>, a loop of at least
    /// <see cref="MinimumKeptSteps"/> steps becomes a loop region instead (<see cref="LoopBegin"/> to
    /// <see cref="LoopEnd"/>: one copy of its body, computed once per step), as does each run of a reverse loop's steps
    /// that repeats one body over steps its forward loop keeps as a region; the steps around them are unrolled.
    /// </summary>
    public static (GraphBuilder Builder, IReadOnlyList<Node> Roots) Run(GraphBuilder builder, bool keepLoops, params Node[] roots)
    {
        if (!builder.Nodes.Any(n => n.Op is Scan))
        {
            return (builder, roots);
        }

        var rebuild = new Rebuild(new GraphBuilder(), keepLoops);
        var map = new Dictionary<Node, Node>();
        rebuild.Copy(builder.Nodes, map, new Dictionary<string, string>());
        return (rebuild.Builder, roots.Select(r => map[r]).ToList());
    }

    /// <summary>The fewest steps a loop keeps as a loop; a shorter one is unrolled.</summary>
    public const int MinimumKeptSteps = 4;

    /// <summary>
    /// What a forward loop's steps became: each unrolled step's map from the body's nodes (null for a step of the
    /// region), and the region, if any: its id, range, the carried values as it begins, and its body's nodes.
    /// </summary>
    private sealed class ForwardLoop
    {
        public ForwardLoop(int steps)
        {
            Steps = new Dictionary<Node, Node>?[steps];
        }

        public Dictionary<Node, Node>?[] Steps { get; }

        public LoopRange? Region { get; set; }

        public IReadOnlyList<Node> RegionStart { get; set; } = Array.Empty<Node>();

        public Dictionary<Node, Node> RegionMap { get; set; } = new();
    }

    private sealed class Rebuild
    {
        private readonly Dictionary<int, Node> parameters = new();
        private readonly Dictionary<Node, IReadOnlyList<Node>> results = new();
        private readonly bool keepLoops;
        private int regions;

        // What each forward loop's steps became, by its Scan node: the values its reverse loop reads.
        private readonly Dictionary<Node, ForwardLoop> forwardLoops = new();

        public Rebuild(GraphBuilder builder, bool keepLoops)
        {
            Builder = builder;
            this.keepLoops = keepLoops;
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

        /// <summary>
        /// The steps of <paramref name="node"/>: one copy of the body each, or, for a loop it keeps, the first step
        /// apart (where it has one) and a region for the rest; returns the carried values after the last.
        /// </summary>
        private IReadOnlyList<Node> Unroll(Node node, Scan scan, Dictionary<Node, Node> outer, IReadOnlyDictionary<string, string> labels)
        {
            var carried = node.Inputs.Take(scan.Body.Carried.Count).Select(i => outer[i]).ToList();
            var loop = new ForwardLoop(scan.Loop.Steps);
            forwardLoops[node] = loop;
            int regionFirst = scan.FirstRegionStep;
            bool region = Keeps(scan, scan.Loop.Steps - regionFirst);
            if (scan.Loop.Count is not null && (!region || scan.Loop.Steps <= regionFirst))
            {
                // A run-time count stops the loop at a step the generated code does not know: only a region can.
                throw new LoopRegionException($"The loop {scan.Loop.Header} runs '{scan.Loop.Count}' steps, known only at run time, so it must be compiled as a loop, but its {(region ? "steps after the first" : "body")} cannot be.");
            }

            int unrolled = region ? regionFirst : scan.Loop.Steps;
            for (int step = 0; step < unrolled; step++)
            {
                var body = scan.BodyAt(step);
                var map = new Dictionary<Node, Node>();
                loop.Steps[step] = map;
                for (int k = 0; k < carried.Count; k++)
                {
                    map[body.Carried[k]] = carried[k];
                }

                MapCaptured(node, scan, body, map, outer);
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

                carried = Boundary(body.Next.Select(n => map[n]));
            }

            if (!region)
            {
                return carried;
            }

            var range = new LoopRange(regions++, scan.Loop, regionFirst, scan.Loop.Steps - 1, Backwards: false);
            loop.Region = range;
            loop.RegionStart = carried;
            var regionMap = new Dictionary<Node, Node>();
            loop.RegionMap = regionMap;
            var regionLabels = RangeLabels(labels, range);
            var begin = Builder.Apply(new LoopBegin(range), Label(scan.Loop.Header, regionLabels), carried);
            for (int k = 0; k < carried.Count; k++)
            {
                regionMap[scan.Body.Carried[k]] = Builder.Apply(new LoopCarry(range.Id, k, scan.Body.Carried[k].Type), Label(scan.Body.Carried[k].Origin, regionLabels), new[] { begin });
            }

            MapCaptured(node, scan, scan.Body, regionMap, outer);
            foreach (var inner in scan.Body.Nodes)
            {
                if (inner.Op is StepSlice slice)
                {
                    regionMap[inner] = Builder.Apply(new LoopSlice(range.Id, slice.Coefficient, slice.Offset), Label(inner.Origin, regionLabels), new[] { regionMap[inner.Inputs[0]] });
                }
                else
                {
                    Copy(new[] { inner }, regionMap, regionLabels);
                }
            }

            return EndRegion(range, begin, scan.Body.Next.Select(n => regionMap[n]).ToList(), scan.Loop.Header, regionLabels);
        }

        /// <summary>The carried values as an unrolled step ends, kept in memory as a loop region keeps them.</summary>
        private List<Node> Boundary(IEnumerable<Node> next) =>
            next.Select(n => n.Inputs.Count == 0 || n.Op is StepBoundary ? n : Builder.Apply(new StepBoundary(), n.Origin, new[] { n })).ToList();

        /// <summary>Whether a loop of <paramref name="steps"/> steps of <paramref name="scan"/>'s body stays a loop.</summary>
        private bool Keeps(Scan scan, int steps) =>
            keepLoops && (steps >= MinimumKeptSteps || scan.Loop.Count is not null)
            && !scan.Body.Appended.Any(a => a)
            && !scan.Body.Nodes.Any(n => n.Op is Scan or ReverseScan);

        /// <summary>Maps each captured leaf of <paramref name="body"/> to the value of the graph around the loop it stands for.</summary>
        private static void MapCaptured(Node node, Scan scan, ScanBody body, Dictionary<Node, Node> map, Dictionary<Node, Node> outer)
        {
            var captured = scan.CapturedBy(node, body).ToList();
            for (int k = 0; k < captured.Count; k++)
            {
                map[body.Captured[k]] = outer[captured[k]];
            }
        }

        /// <summary>Closes a region with its carried values as a step ends; returns its values after the last step.</summary>
        private IReadOnlyList<Node> EndRegion(LoopRange range, Node begin, IReadOnlyList<Node> next, string origin, IReadOnlyDictionary<string, string> labels)
        {
            var end = Builder.Apply(new LoopEnd(range.Id), Label(origin, labels), next.Prepend(begin).ToList());
            return next.Select((n, k) => Builder.Apply(new LoopResult(k), n.Origin, new[] { end })).ToList();
        }

        /// <summary>
        /// The steps of a reverse loop, last forward step first, one copy of its step's body each, reading the values
        /// of the forward step it reverses; a run of steps that repeats one body over steps its forward loop keeps in
        /// a region (all but the region's first) is a region of its own. Returns the carried values after the last.
        /// </summary>
        private IReadOnlyList<Node> UnrollReverse(Node node, ReverseScan reverse, Dictionary<Node, Node> outer, IReadOnlyDictionary<string, string> labels)
        {
            IReadOnlyList<Node> carried = node.Inputs.Skip(1).Select(i => outer[i]).ToList();
            var forward = forwardLoops[node.Inputs[0]];
            var forwardSpec = reverse.Forward.Loop;
            int step = 0;
            for (int run = 0; run < reverse.Runs.Count; run++)
            {
                int runSteps = reverse.Runs[run].Steps;
                var body = reverse.Bodies[reverse.Runs[run].Body];

                // The forward steps this run reverses, high to low, that the forward region holds apart from its first.
                int high = reverse.ForwardStep(step);
                int low = reverse.ForwardStep(step + runSteps - 1);
                if (forward.Region is { } forwardRange && !body.Nodes.Any(n => n.Op is Scan or ReverseScan))
                {
                    int regionLow = Math.Max(low, forwardRange.First + 1);
                    if (high - regionLow + 1 >= (forwardSpec.Count is null ? MinimumKeptSteps : 1))
                    {
                        carried = ReverseRegion(forward, body, reverse.Reversed[reverse.Runs[run].Body], new LoopRange(regions++, forwardSpec, regionLow, high, Backwards: true), carried, labels);
                        step += high - regionLow + 1;
                        runSteps -= high - regionLow + 1;
                    }
                }

                for (int s = 0; s < runSteps; s++, step++)
                {
                    int forwardStep = reverse.ForwardStep(step);
                    var stepLabels = StepLabels(labels, forwardSpec, forwardStep);
                    if (forwardStep > 0)
                    {
                        stepLabels[forwardSpec.PreviousPlaceholder] = forwardSpec.ValueAt(forwardStep - 1).ToString(CultureInfo.InvariantCulture);
                    }

                    var map = ForwardValues(forward, reverse.Reversed[reverse.Runs[run].Body], forwardStep, range: null, stepLabels);
                    for (int k = 0; k < carried.Count; k++)
                    {
                        map[body.Carried[k]] = carried[k];
                    }

                    Copy(body.Nodes, map, stepLabels);
                    carried = body.Next.Select(n => map[n]).ToList();
                }
            }

            return carried;
        }

        /// <summary>
        /// A run of a reverse loop's steps as a region over <paramref name="range"/>: the carried values that the
        /// body passes on as they are stay outside it, the others are carried.
        /// </summary>
        private IReadOnlyList<Node> ReverseRegion(ForwardLoop forward, ScanBody body, ScanBody reversed, LoopRange range, IReadOnlyList<Node> carried, IReadOnlyDictionary<string, string> labels)
        {
            var regionLabels = RangeLabels(labels, range);
            regionLabels[range.Spec.PreviousPlaceholder] = $"{range.Spec.ValueAt(range.Last - 1).ToString(CultureInfo.InvariantCulture)}..{range.Spec.ValueAt(range.First - 1).ToString(CultureInfo.InvariantCulture)}";
            var kept = Enumerable.Range(0, carried.Count).Where(k => body.Next[k] != body.Carried[k]).ToList();
            var begin = Builder.Apply(new LoopBegin(range), Label("d(" + range.Spec.Header + ")", regionLabels), kept.Select(k => carried[k]).ToList());
            var map = ForwardValues(forward, reversed, step: null, range, regionLabels);
            for (int k = 0; k < carried.Count; k++)
            {
                int position = kept.IndexOf(k);
                map[body.Carried[k]] = position < 0
                    ? carried[k]
                    : Builder.Apply(new LoopCarry(range.Id, position, body.Carried[k].Type), Label(body.Carried[k].Origin, regionLabels), new[] { begin });
            }

            Copy(body.Nodes, map, regionLabels);
            var after = EndRegion(range, begin, kept.Select(k => map[body.Next[k]]).ToList(), "d(" + range.Spec.Header + ")", regionLabels);
            return Enumerable.Range(0, carried.Count).Select(k => kept.IndexOf(k) is int position and >= 0 ? after[position] : carried[k]).ToList();
        }

        /// <summary>
        /// What the nodes of <paramref name="body"/>, a forward body, are for a reverse step reading forward step
        /// <paramref name="step"/> (or, with <paramref name="range"/>, for each step of a reverse region): an unrolled
        /// step's own nodes, else the forward region's values kept for that step (<see cref="Recall"/>), the carried
        /// value as a step begins being the step before's, a step's slice read again, and a value that passes its
        /// input on (a reshape, a stopped gradient) that of its input's value.
        /// </summary>
        private Dictionary<Node, Node> ForwardValues(ForwardLoop forward, ScanBody body, int? step, LoopRange? range, IReadOnlyDictionary<string, string> labels)
        {
            if (step is int unrolled && forward.Steps[unrolled] is { } own)
            {
                return new Dictionary<Node, Node>(own);
            }

            var region = forward.Region!;
            var map = new Dictionary<Node, Node>();
            foreach (var node in body.Nodes)
            {
                var value = forward.RegionMap[node];
                map[node] = node.Op switch
                {
                    ScanCarry carry when step == region.First => forward.RegionStart[carry.Index],
                    ScanCarry carry => Recalled(region, body.Next[carry.Index], step, -1, forward),
                    StepSlice slice when range is not null => Builder.Apply(new LoopSlice(range.Id, slice.Coefficient, slice.Offset), Label(node.Origin, labels), new[] { value.Inputs[0] }),
                    StepSlice slice => Builder.Apply(slice.AtStep(value.Inputs[0], step!.Value), Label(node.Origin, labels), new[] { value.Inputs[0] }),
                    Reshape or StopGradient or Prediction => Builder.Apply(node.Op, value.Origin, new[] { map[node.Inputs[0]] }),
                    _ when node.Inputs.Count == 0 => value,
                    _ => Builder.Apply(new Recall(region.Id, step is null, step ?? 0), value.Origin, new[] { value }),
                };
            }

            return map;
        }

        /// <summary>The forward region's value of body node <paramref name="next"/> at the step <paramref name="delta"/> from the reverse step's.</summary>
        private Node Recalled(LoopRange region, Node next, int? step, int delta, ForwardLoop forward)
        {
            var value = forward.RegionMap[next];
            return Builder.Apply(new Recall(region.Id, step is null, (step ?? 0) + delta), value.Origin, new[] { value });
        }

        /// <summary>The labels of the enclosing loops with <paramref name="loop"/>'s variable at step <paramref name="step"/>.</summary>
        private static Dictionary<string, string> StepLabels(IReadOnlyDictionary<string, string> labels, LoopSpec loop, int step) =>
            new(labels.ToDictionary(p => p.Key, p => p.Value))
            {
                [loop.Placeholder] = loop.ValueAt(step).ToString(CultureInfo.InvariantCulture),
            };

        /// <summary>The labels of the enclosing loops with the variable of <paramref name="range"/>'s loop as its range of values.</summary>
        private static Dictionary<string, string> RangeLabels(IReadOnlyDictionary<string, string> labels, LoopRange range) =>
            new(labels.ToDictionary(p => p.Key, p => p.Value))
            {
                [range.Spec.Placeholder] = range.Backwards
                    ? $"{range.Spec.ValueAt(range.Last).ToString(CultureInfo.InvariantCulture)}..{range.Spec.ValueAt(range.First).ToString(CultureInfo.InvariantCulture)}"
                    : $"{range.Spec.ValueAt(range.First).ToString(CultureInfo.InvariantCulture)}..{range.Spec.ValueAt(range.Last).ToString(CultureInfo.InvariantCulture)}",
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
