namespace Graph.Samples.Examples;

/// <summary>
/// An option that a file named on the same command line contradicts, found only once the example reads the file
/// (a <c>--load</c> checkpoint holding another rule's optimizer state than <c>--optimizer</c> gives). The command
/// line reports it as a usage error: one line, no stack trace.
/// </summary>
public sealed class ConflictingOptionException : Exception
{
    public ConflictingOptionException(string message)
        : base(message)
    {
    }

    public ConflictingOptionException()
    {
    }

    public ConflictingOptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
