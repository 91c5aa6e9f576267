using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>The index of the largest element along the last axis (the first, on ties), as a number.</summary>
internal sealed record Argmax : KernelOp, IDirectOp
{
    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        ShapeRules.AlongLastAxis("take the argmax of", inputs[0].Shape);
        return new TensorType(inputs[0].Shape.WithoutLastAxis, inputs[0].Batched);
    }

    // Piecewise constant: its derivative is zero wherever it exists.
    public override Node? Gradient(Site d, Node y, Node g, int input) => null;

    public override KernelCall Call(Node node) => KernelCall.Of(
        "Argmax", KernelArgument.Read(node.Inputs[0]), KernelArgument.Write(node), KernelArgument.Rows(node.Inputs[0]), KernelArgument.LastAxis(node.Inputs[0]));
}
