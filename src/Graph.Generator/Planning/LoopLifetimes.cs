using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Optimization;

namespace Graph.Generator.Planning;

/// <summary>
/// The lifetimes of a method's values, in kernel positions, with its loop regions taken into account: a region's
/// kernels run once per step, so a value from outside a region that it reads lives until the region ends, a carried
/// value lives from the region's start to its last reader after it, and a value a reverse loop reads of its forward
/// loop (through a <see cref="Recall"/>), or that a product after the loop reads at every step (through
/// <see cref="StepRows"/>), is kept for every step, from the region's start to the last reader.
/// </summary>
internal sealed class LoopLifetimes
{
    private readonly IReadOnlyList<Kernel> kernels;
    private readonly LoopRegions regions;
    private readonly Dictionary<int, int> beginAt = new();
    private readonly Dictionary<int, int> endAt = new();
    private readonly Dictionary<int, Node> ends = new();
    private readonly Dictionary<int, LoopRange> kept = new();
    private readonly IReadOnlyList<GraphOutput> outputs;
    private readonly IReadOnlyList<Node> nodes;

    public LoopLifetimes(Computation graph, IReadOnlyList<Kernel> kernels, LoopRegions regions)
    {
        this.kernels = kernels;
        this.regions = regions;
        outputs = graph.Outputs;
        nodes = graph.Nodes;
        for (int k = 0; k < kernels.Count; k++)
        {
            switch (kernels[k].Root.Op)
            {
                case LoopBegin begin:
                    beginAt[begin.Range.Id] = k;
                    break;
                case LoopEnd end:
                    endAt[end.Loop] = k;
                    ends[end.Loop] = kernels[k].Root;
                    break;
            }
        }

        foreach (var node in graph.Nodes.Where(n => n.Op is Recall or StepRows))
        {
            var value = BufferPlanner.AliasRoot(node.Inputs[0]);
            if (regions.RegionOf(value) is { } region && value.Op is not (LoopCarry or Recall or LoopResult))
            {
                kept[value.Id] = region;
            }
        }
    }

    /// <summary>The key of carried value <paramref name="index"/> of region <paramref name="loop"/> among the lifetimes (node ids are the others).</summary>
    public static int CarryKey(int loop, int index) => -1 - (loop << 16) - index;

    /// <summary>The position of region <paramref name="loop"/>'s <see cref="LoopBegin"/> kernel.</summary>
    public int BeginAt(int loop) => beginAt[loop];

    /// <summary>The <see cref="LoopEnd"/> node of region <paramref name="loop"/>.</summary>
    public Node End(int loop) => ends[loop];

    /// <summary>The region whose steps each keep a copy of <paramref name="root"/> for a reverse loop, or null.</summary>
    public LoopRange? Kept(Node root) => kept.TryGetValue(root.Id, out var region) ? region : null;

    /// <summary>
    /// The next values of carried values that are computed in the carried value's own memory, by the region and
    /// position of the carried value: an elementwise kernel's value that reads the carried value only element by
    /// element at its own position (of its own type), where no later kernel of the step reads the carried value, and
    /// the reverse loop keeps no copy of it: <c>sum = sum + x</c> overwrites sum as it goes, and no copy ends the step.
    /// </summary>
    public Dictionary<int, (int Loop, int Index)> ComputedInPlace()
    {
        var inPlace = new Dictionary<int, (int Loop, int Index)>();
        var kernelOf = new Dictionary<int, int>();
        for (int k = 0; k < kernels.Count; k++)
        {
            foreach (var node in kernels[k].Fused.Append(kernels[k].Root))
            {
                kernelOf[node.Id] = k;
            }
        }

        foreach (var end in ends)
        {
            var next = end.Value.Inputs.Skip(1).ToList();
            for (int index = 0; index < next.Count; index++)
            {
                var value = next[index];
                if (value.Op is not Elementwise || kept.ContainsKey(value.Id) || next.Count(n => n == value) > 1
                    || !kernelOf.TryGetValue(value.Id, out int k) || kernels[k].Root != value || regions.RegionOf(value)?.Id != end.Key)
                {
                    continue;
                }

                var readers = kernels.SelectMany((kernel, position) => kernel.Fused.Append(kernel.Root).Select(node => (node, position)))
                    .Where(r => r.node.Inputs.Any(i => i.Op is LoopCarry carry && carry.Loop == end.Key && carry.Index == index))
                    .ToList();
                bool elementwise = readers.All(r =>
                    r.position < k
                    || (r.position == k && r.node.Op is Elementwise
                        && r.node.Inputs.Where(i => i.Op is LoopCarry carry && carry.Loop == end.Key && carry.Index == index).All(i => i.Type.Equals(value.Type))));
                bool reshaped = nodes.Any(n => n.Op is Reshape or StepBoundary or Recall && n.Inputs[0].Op is LoopCarry carry && carry.Loop == end.Key && carry.Index == index);
                if (elementwise && !reshaped)
                {
                    inPlace[value.Id] = (end.Key, index);
                }
            }
        }

        return inPlace;
    }

    /// <summary>The position of the last kernel that reads each value (<see cref="Key"/>), outputs living to the end.</summary>
    public Dictionary<int, int> LastUses()
    {
        var lastUse = new Dictionary<int, int>();
        void Use(int key, int position) => lastUse[key] = lastUse.TryGetValue(key, out int known) ? Math.Max(known, position) : position;

        for (int k = 0; k < kernels.Count; k++)
        {
            foreach (var node in kernels[k].Fused.Append(kernels[k].Root))
            {
                var reader = regions.RegionOf(node);
                foreach (var input in node.Inputs)
                {
                    var (key, defined) = Key(input);
                    Use(key, reader is not null && defined != reader ? endAt[reader.Id] : k);
                }
            }
        }

        foreach (var end in ends)
        {
            for (int index = 0; index < end.Value.Inputs.Count - 1; index++)
            {
                Use(CarryKey(end.Key, index), endAt[end.Key]);
            }
        }

        foreach (var output in outputs)
        {
            Use(Key(output.Node).Key, kernels.Count);
        }

        return lastUse;
    }

    /// <summary>
    /// The lifetime a value's reads count toward, and the region that value is computed in: a reshape's input's, a
    /// recalled value's, or a carried value's.
    /// </summary>
    private (int Key, LoopRange? Defined) Key(Node value)
    {
        value = BufferPlanner.AliasRoot(value);
        while (value.Op is Recall or StepRows or StepRow)
        {
            value = BufferPlanner.AliasRoot(value.Inputs[0]);
        }

        return value.Op switch
        {
            LoopCarry carry => (CarryKey(carry.Loop, carry.Index), regions.Range(carry.Loop)),
            LoopResult result => (CarryKey(((LoopEnd)value.Inputs[0].Op).Loop, result.Index), null),
            _ => (value.Id, regions.RegionOf(value)),
        };
    }
}
