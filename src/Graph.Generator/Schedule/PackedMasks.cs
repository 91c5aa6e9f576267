using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Pipeline;
using Graph.Generator.Planning;
using Graph.Generator.Spec;

namespace Graph.Generator.Schedule;

/// <summary>
/// The dropout masks of a training body that are packed: drawn by <c>Kernels.DropoutMaskPacked</c> and read by the
/// loops that apply them (<c>x * mask</c>, and <c>g * mask</c> in the gradient) through <c>Simd.PackedMask</c>. A
/// packed mask is kept in the form its element type reads fastest, which the runtime decides: one bit per element
/// for double (the chapter 10 CNN's 1.28M-element mask is then 160 KB instead of 10 MB, written once and read twice a
/// step), the values themselves for float, where turning bits into lanes costs more than the bytes save. Either way
/// each element is <c>1 / (1 - rate)</c> or 0, the values an unpacked mask holds, so no result changes.
/// </summary>
/// <remarks>
/// Only masks of at least <see cref="MinElements"/> elements per sample (named sizes at their defaults): in double the
/// chapter 10 CNN's step (10,000 per sample) ran 8-11% faster packed, the chapter 8 network's (a hidden layer of 100,
/// 1,000 or 4,000 behind its 784×hidden product) 1-3% slower, its mask a small part of what the step moves. Only where
/// every reader is an elementwise loop (a kernel call or a product would read the memory as values) and the
/// mask is neither an output nor copied (a reshape of it is the same memory, element for element); and only in the
/// training body, whose masks are always drawn (a method that runs without training fills its masks with ones, which
/// bits do not hold).
/// </remarks>
internal static class PackedMasks
{
    /// <summary>The fewest elements per sample of a mask worth packing.</summary>
    public const int MinElements = 8192;

    private static readonly IReadOnlyDictionary<int, double> None = new Dictionary<int, double>();

    /// <summary>The packed masks of <paramref name="entry"/> and their reshapes, by node id, with the value of their kept elements.</summary>
    public static IReadOnlyDictionary<int, double> Find(ModelSpec model, CompiledEntry entry)
    {
        if (entry.Kind != EntryKind.Backward)
        {
            return None;
        }

        var computed = entry.Kernels.SelectMany(k => k.Fused.Append(k.Root).Select(node => (Node: node, Loop: k.Root))).ToList();

        var outputs = new HashSet<int>(entry.Graph.Outputs.Select(o => BufferPlanner.AliasRoot(o.Node).Id));
        var copied = new HashSet<int>(entry.Plan.Copies.Select(c => BufferPlanner.AliasRoot(c.From).Id));
        var masks = new Dictionary<int, double>();
        foreach (var kernel in entry.Kernels)
        {
            var mask = kernel.Root;
            if (mask.Op is not DropoutMask dropout || kernel.Fused.Count > 0 || model.AtDefaults(mask.Shape.Size) < MinElements
                || outputs.Contains(mask.Id) || copied.Contains(mask.Id)
                || entry.Plan.StorageOf[mask.Id] is not { Kind: StorageKind.BatchBuffer or StorageKind.SharedBuffer, Step: null })
            {
                continue;
            }

            // A reshape of the mask is the mask in its storage, element for element; a loop's step boundary is not.
            var views = entry.Graph.Nodes.Where(n => n != mask && BufferPlanner.AliasRoot(n) == mask).ToList();
            var seen = new HashSet<Node>(views.Append(mask));
            var readers = computed.Where(c => c.Node.Inputs.Any(seen.Contains)).ToList();
            if (views.All(v => v.Op is Reshape) && readers.Count > 0 && readers.All(r => r.Loop.Op is Elementwise or ReduceSum))
            {
                foreach (var node in seen)
                {
                    masks[node.Id] = 1 / (1 - dropout.Rate);
                }
            }
        }

        return masks;
    }
}
