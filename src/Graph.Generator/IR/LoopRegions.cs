using Graph.Generator.IR.Ops;

namespace Graph.Generator.IR;

/// <summary>
/// The loop regions of a computation: the nodes between each <see cref="LoopBegin"/> and its <see cref="LoopEnd"/>,
/// which are computed once per step of the region's loop. A node outside every region has none, and so has a leaf
/// (a parameter, an input, a constant) wherever it stands: nothing computes it, so it is the same at every step.
/// </summary>
internal sealed class LoopRegions
{
    private readonly Dictionary<int, LoopRange> regionOf = new();
    private readonly Dictionary<int, LoopRange> ranges = new();

    private LoopRegions()
    {
    }

    public static LoopRegions Of(IReadOnlyList<Node> nodes)
    {
        var regions = new LoopRegions();
        LoopRange? open = null;
        foreach (var node in nodes)
        {
            switch (node.Op)
            {
                case LoopBegin begin when open is null:
                    open = begin.Range;
                    regions.ranges[begin.Range.Id] = begin.Range;
                    break;
                case LoopBegin:
                    throw new InvalidOperationException("A loop region holds no loop region.");
                case LoopEnd end when open is not null && end.Loop == open.Id:
                    open = null;
                    break;
                case LoopEnd:
                    throw new InvalidOperationException("A loop region ends where none begins.");
                default:
                    if (open is not null && node.Op is not Leaf)
                    {
                        regions.regionOf[node.Id] = open;
                    }

                    break;
            }
        }

        return open is null ? regions : throw new InvalidOperationException("A loop region does not end.");
    }

    /// <summary>True when the computation has a loop region.</summary>
    public bool Any => ranges.Count > 0;

    /// <summary>The region a node is computed in once per step, or null.</summary>
    public LoopRange? RegionOf(Node node) => regionOf.TryGetValue(node.Id, out var range) ? range : null;

    /// <summary>The region with id <paramref name="id"/>.</summary>
    public LoopRange Range(int id) => ranges[id];
}
