namespace Graph.Runtime;

/// <summary>A compiled gradient disagrees with central finite differences (<see cref="GradientCheckResult.ThrowIfFailed"/>).</summary>
public sealed class GradientCheckException : Exception
{
    /// <summary>Creates the exception with the check's summary.</summary>
    public GradientCheckException(string message)
        : base(message)
    {
    }
}
