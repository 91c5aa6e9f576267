using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>
/// Swaps the two axes of a matrix (copied by the runtime's blocked <c>Kernels.Transpose</c>; simplification folds most
/// transposes into the matrix product that reads them).
/// </summary>
internal sealed record Transpose : KernelOp
{
    public override TensorType Infer(IReadOnlyList<Node> inputs) => new(ShapeRules.Transpose(inputs[0].Shape), inputs[0].Batched);

    public override Node? Gradient(Site d, Node y, Node g, int input) => d.Transpose(g);

    public override KernelCall Call(Node node)
    {
        var matrix = node.Inputs[0];
        return KernelCall.Of("Transpose", KernelArgument.Read(matrix), KernelArgument.Write(node), KernelArgument.Count(matrix.Shape[0]), KernelArgument.Count(matrix.Shape[1]), KernelArgument.Samples(node));
    }
}

/// <summary><c>Transpose(x)</c> and <c>x.T</c>: the transpose of a matrix; a vector or scalar is its own transpose.</summary>
internal sealed class TransposeFunction : DslFunction
{
    public override string Name => "Transpose";

    public override Node Lower(DslCall call) => call.At.Transpose(call[0]);
}
