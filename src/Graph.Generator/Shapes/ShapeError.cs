using Graph.Generator.Common;

namespace Graph.Generator.Shapes;

/// <summary>Operands whose shapes an operation does not accept (mismatched, of the wrong rank, not fitting a window).</summary>
internal sealed class ShapeError : ModelError
{
    public ShapeError(string diagnosticId, params string[] arguments)
        : base(diagnosticId, arguments)
    {
    }
}
