using Graph.Generator.Common;

namespace Graph.Generator.IR;

/// <summary>
/// Row indices used where values are needed, or values where indices are (GRAPH021 to GRAPH024), or a position
/// that is not in an index input or a value (GRAPH027).
/// </summary>
internal sealed class IndexError : ModelError
{
    public IndexError(string diagnosticId, params string[] arguments)
        : base(diagnosticId, arguments)
    {
    }
}
