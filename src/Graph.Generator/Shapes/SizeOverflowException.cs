namespace Graph.Generator.Shapes;

/// <summary>
/// A size whose number part does not fit an int: a tensor with more elements than a .NET array can hold. The
/// pipeline reports it as GRAPH040 on the method being compiled.
/// </summary>
internal sealed class SizeOverflowException : Exception
{
    public SizeOverflowException(string arithmetic)
        : base(arithmetic + " does not fit an int")
    {
        Arithmetic = arithmetic;
    }

    /// <summary>The arithmetic that overflowed, such as <c>65536 * 65536 = 4294967296</c>.</summary>
    public string Arithmetic { get; }
}
