namespace Graph.Generator.Spec;

/// <summary>
/// The names Discovery records for the operators and members of <c>Tensor</c> (every <c>Graph.Ops</c> method is
/// recorded by its own name). Lowering finds the function of each name among the op definitions.
/// </summary>
internal static class Ops
{
    public const string Add = "Add";
    public const string Subtract = "Subtract";
    public const string Multiply = "Multiply";
    public const string Divide = "Divide";
    public const string Negate = "Negate";
    public const string Dot = "Dot";
    public const string Transpose = "Transpose";

    /// <summary><c>x[t]</c>: position t (a constant) of an index input's indices, or row t of a dense value.</summary>
    public const string IndexAt = "IndexAt";
}
