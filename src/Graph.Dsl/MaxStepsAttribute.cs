namespace Graph;

/// <summary>
/// Declares an <c>int</c> argument of a [Forward] or [Loss] method as a run-time step count: the bound of a loop
/// <c>for (int t = 0; t &lt; count; t++)</c> that runs <c>count</c> steps, at most <see cref="Max"/>. The loop is
/// compiled once, as a loop, and runs the steps asked for at each call; the buffers it keeps per step are sized for
/// <see cref="Max"/>. The compiled methods take the count as an <c>int</c> argument under the same name and throw if
/// it is out of range.
/// </summary>
/// <remarks>
/// A sequence shorter than its input's length (an <c>[Indices(6, Padded = true)]</c> sentence of 4 words) then runs
/// 4 steps instead of 6 with two padded ones. The count may bound loops only: anywhere else it is a compile-time error
/// (GRAPH047), as is a loop it bounds that cannot be compiled as a loop (one that appends rows with Concat, one inside
/// another loop, or any loop of a model declared <c>[Model(UnrollLoops = true)]</c>).
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter, Inherited = false)]
public sealed class MaxStepsAttribute : Attribute
{
    /// <summary>A count of at most <paramref name="max"/> steps.</summary>
    public MaxStepsAttribute(int max) => Max = max;

    /// <summary>The most steps a call may ask for.</summary>
    public int Max { get; }
}
