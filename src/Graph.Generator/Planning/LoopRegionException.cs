namespace Graph.Generator.Planning;

/// <summary>
/// A loop region that buffer planning cannot lay out (a value the reverse loop reads that the forward loop cannot keep
/// per step); the compiler then unrolls the method's loops instead.
/// </summary>
internal sealed class LoopRegionException : Exception
{
    public LoopRegionException(string message)
        : base(message)
    {
    }
}
