using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>Swaps the two axes of a matrix (copied; simplification folds most transposes into the matrix product that reads them).</summary>
internal sealed record Transpose : Op
{
    public override TensorType Infer(IReadOnlyList<Node> inputs) => new(ShapeRules.Transpose(inputs[0].Shape), inputs[0].Batched);

    public override Node? Gradient(Site d, Node y, Node g, int input) => d.Transpose(g);
}

/// <summary><c>Transpose(x)</c> and <c>x.T</c>: the transpose of a matrix; a vector or scalar is its own transpose.</summary>
internal sealed class TransposeFunction : DslFunction
{
    public override string Name => "Transpose";

    public override Node Lower(DslCall call) => call.At.Transpose(call[0]);
}
