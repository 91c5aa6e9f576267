using Graph.Generator.Diagnostics;
using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>
/// op(A)·op(B) for per-sample matrices, op = transpose where <see cref="TransposeA"/> / <see cref="TransposeB"/>.
/// The result is batched when <see cref="Batched"/>; a shared result of a batched operand is the products summed
/// over the batch (the gradient of a shared weight). Computed by GEMM calls.
/// </summary>
internal sealed record MatMul(bool TransposeA, bool TransposeB, bool Batched) : Op
{
    public override string Attributes => TransposeA && TransposeB ? "Aᵀ, Bᵀ" : TransposeA ? "Aᵀ" : TransposeB ? "Bᵀ" : string.Empty;

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        var (a, b) = (inputs[0], inputs[1]);
        if (Batched && !a.Batched && !b.Batched)
        {
            throw new ShapeError(DiagnosticDescriptors.OperationShapeError.Id, "multiply matrices", $"{a.Shape} and {b.Shape}", "a product of values shared by the batch is shared too");
        }

        return new TensorType(ShapeRules.MatMul(a.Shape, b.Shape, TransposeA, TransposeB), Batched);
    }

    public override string Describe(Node node) =>
        $"MatMul{(TransposeA ? "(Aᵀ" : "(A")}, {(TransposeB ? "Bᵀ)" : "B)")}{(node.Inputs.Any(i => i.Batched) && !node.Batched ? " summed over the batch" : string.Empty)}";

    public override Node? Gradient(Site d, Node y, Node g, int input)
    {
        var (a, b) = (y.Inputs[0], y.Inputs[1]);
        if (input == 0)
        {
            // C = op(A)·op(B): ∂A = g·op(B)ᵀ, or op(B)·gᵀ when A is used transposed.
            return TransposeA ? d.MatMul(b, g, TransposeB, true, a.Batched) : d.MatMul(g, b, false, !TransposeB, a.Batched);
        }

        // ∂B = op(A)ᵀ·g, or gᵀ·op(A) when B is used transposed.
        return TransposeB ? d.MatMul(g, a, true, TransposeA, b.Batched) : d.MatMul(a, g, !TransposeA, false, b.Batched);
    }
}

/// <summary>
/// <c>Dot(a, b)</c>, <c>a.Dot(b)</c>, <c>MatMul</c>: numpy's <c>dot</c> on vectors and matrices, as reshapes around one
/// <see cref="MatMul"/> (a vector is a row on the left and a column on the right; the unit axis is dropped).
/// </summary>
internal sealed class DotFunction : DslFunction
{
    public override string Name => "Dot";

    public override Node Lower(DslCall call)
    {
        var (a, b, at) = (call[0], call[1], call.At);
        var plan = ShapeRules.Dot(a.Shape, b.Shape);
        var left = a.Shape.Equals(plan.Left) ? a : at.Reshape(a, plan.Left);
        var right = b.Shape.Equals(plan.Right) ? b : at.Reshape(b, plan.Right);
        var product = at.MatMul(left, right, transposeA: false, transposeB: false, a.Batched || b.Batched);
        return product.Shape.Equals(plan.Result) ? product : at.Reshape(product, plan.Result);
    }
}
