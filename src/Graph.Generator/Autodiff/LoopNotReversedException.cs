namespace Graph.Generator.Autodiff;

/// <summary>
/// A loop the reverse loop does not take yet (appended rows, a nested loop, a value carried twice, ...): the compiler
/// differentiates it through its unrolled steps instead. Its own type, so that no other failure is taken for it.
/// </summary>
internal sealed class LoopNotReversedException : Exception
{
    public LoopNotReversedException(string message)
        : base(message)
    {
    }
}
