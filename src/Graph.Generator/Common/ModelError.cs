namespace Graph.Generator.Common;

/// <summary>
/// A problem in the user's model found while compiling it: the diagnostic id and its message arguments. The stage
/// that knows the source expression turns it into a diagnostic at that expression.
/// </summary>
internal abstract class ModelError : Exception
{
    protected ModelError(string diagnosticId, string[] arguments)
        : base(diagnosticId + ": " + string.Join("; ", arguments))
    {
        DiagnosticId = diagnosticId;
        Arguments = arguments;
    }

    public string DiagnosticId { get; }

    public IReadOnlyList<string> Arguments { get; }
}
