namespace Graph.Generator.Shapes;

/// <summary>A shape error found while building the graph: the diagnostic id and its message arguments.</summary>
internal sealed class ShapeException : Exception
{
    public ShapeException(string diagnosticId, params string[] arguments)
        : base(diagnosticId + ": " + string.Join("; ", arguments))
    {
        DiagnosticId = diagnosticId;
        Arguments = arguments;
    }

    public string DiagnosticId { get; }

    public IReadOnlyList<string> Arguments { get; }
}
