using Graph.Generator.Planning;
using Graph.Generator.Shapes;

namespace Graph.Generator.Schedule;

/// <summary>
/// Hands a dropout mask to the loop that applies it as the mask is drawn, where the loop can take it a chunk at a time:
/// a loop split across threads by fixed chunks over exactly the mask's elements (a single loop, no reduction), reading
/// the mask once, at its own position, and writing memory of its own. The mask's kernel then runs each chunk of the
/// loop on the thread that drew its elements, as soon as they are drawn and while they are in its cache, instead of
/// the loop reading the whole mask back in a pass of its own (the chapter 10 CNN's 1.28M elements: 5 MB in float). The
/// scheduler pairs a mask with the loop right after it in a training body, whose masks are always drawn, so that every
/// other value the loop reads is computed before the mask.
/// </summary>
internal static class MaskConsumers
{
    /// <summary>Whether <paramref name="loop"/> can take the mask in <paramref name="mask"/>, of <paramref name="elements"/> elements, a chunk at a time.</summary>
    public static bool Takes(Storage mask, Size elements, LoopStep loop)
    {
        if (loop.Split is not { Chunk: int } || loop.Trips.Count != 1 || !loop.Trips[0].Equals(elements) || loop.Reduce || loop.ClearCount is not null
            || mask.Step is not null || loop.Target.Storage == mask || loop.Target.Storage.Step is not null || !loop.Target.Strides[0].IsOne
            || loop.Operands.Any(o => o.Storage.Step is not null))
        {
            return false;
        }

        var reading = loop.Operands.Where(o => o.Storage == mask).ToList();
        return reading.Count == 1 && reading[0].Strides[0].IsOne;
    }
}
