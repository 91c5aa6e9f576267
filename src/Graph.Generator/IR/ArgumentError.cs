using Graph.Generator.Common;

namespace Graph.Generator.IR;

/// <summary>
/// An argument an operation needs as a compile-time constant that is not one of the values it accepts (a dropout
/// rate, a window size, a dimension), or an operation the generator does not know.
/// </summary>
internal sealed class ArgumentError : ModelError
{
    public ArgumentError(string diagnosticId, params string[] arguments)
        : base(diagnosticId, arguments)
    {
    }
}
