using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary><c>x - log Σ exp(x)</c> along the last axis (with the maximum subtracted first, for range).</summary>
internal sealed record LogSoftmax : KernelOp, IDirectOp
{
    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        ShapeRules.AlongLastAxis("take the log-softmax of", inputs[0].Shape);
        return new TensorType(inputs[0].Shape, inputs[0].Batched);
    }

    // ∂x = g - softmax(x) · Σ g, the sum along the last axis; softmax(x) = exp(y).
    public override Node? Gradient(Site d, Node y, Node g, int input)
    {
        var sum = d.Broadcast(d.ReduceSum(g, Softmax.LastAxisSummed(y.Shape), y.Batched), y.Shape, y.Batched);
        return d.Subtract(g, d.Multiply(d.Apply(new Exp(), y), sum));
    }

    public override KernelCall Call(Node node) => KernelCall.Of(
        "LogSoftmax", KernelArgument.Read(node.Inputs[0]), KernelArgument.Write(node), KernelArgument.Rows(node.Inputs[0]), KernelArgument.LastAxis(node.Inputs[0]));
}
