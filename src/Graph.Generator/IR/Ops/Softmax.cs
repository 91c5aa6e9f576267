using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>exp(x) / Σ exp(x) along the last axis.</summary>
internal sealed record Softmax : KernelOp, IDirectOp
{
    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        ShapeRules.AlongLastAxis("take the softmax of", inputs[0].Shape);
        return new TensorType(inputs[0].Shape, inputs[0].Batched);
    }

    // ∂x = y ⊙ (g - Σ g ⊙ y), the sum along the last axis.
    public override Node? Gradient(Site d, Node y, Node g, int input)
    {
        var dot = d.Broadcast(d.ReduceSum(d.Multiply(g, y), LastAxisSummed(y.Shape), y.Batched), y.Shape, y.Batched);
        return d.Multiply(y, d.Subtract(g, dot));
    }

    public override KernelCall Call(Node node) => KernelCall.Of(
        "Softmax", KernelArgument.Read(node.Inputs[0]), KernelArgument.Write(node), KernelArgument.Rows(node.Inputs[0]), KernelArgument.LastAxis(node.Inputs[0]));

    /// <summary>The shape with its last axis summed to one element: [10] → [1], [4,10] → [4,1].</summary>
    public static Shape LastAxisSummed(Shape shape) => new(shape.WithoutLastAxis.Dims.Append(Size.One));
}
