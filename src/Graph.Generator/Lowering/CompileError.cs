using Graph.Generator.Spec;

namespace Graph.Generator.Lowering;

/// <summary>Stops compiling an entry point and carries the diagnostic that says why.</summary>
internal sealed class CompileError : Exception
{
    public CompileError(DiagnosticInfo diagnostic)
        : base(diagnostic.Id)
    {
        Diagnostic = diagnostic;
    }

    public DiagnosticInfo Diagnostic { get; }
}
