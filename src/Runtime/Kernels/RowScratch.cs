namespace Graph.Runtime;

/// <summary>
/// Per-thread scratch buffers of the row kernels (<see cref="Kernels.SoftmaxCrossEntropy{T}"/>): grown when a call
/// needs more and then kept, so steady-state calls allocate nothing; each thread has its own.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal static class RowScratch<T>
{
    [ThreadStatic]
    private static T[]? t_exps;

    /// <summary>A buffer of <paramref name="length"/> elements for the shifted exponentials of a batch of rows (and
    /// their rows' sums and maxima).</summary>
    public static Span<T> Exps(int length)
    {
        if (t_exps is null || t_exps.Length < length)
        {
            t_exps = new T[length];
        }

        return t_exps.AsSpan(0, length);
    }
}
