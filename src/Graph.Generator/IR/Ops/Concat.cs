using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>
/// Input 0 and input 1 joined along their first axis, per sample: each sample's elements of input 0, then its
/// elements of input 1 (an input shared by the batch repeated for every sample).
/// </summary>
internal sealed record Concat : KernelOp, IDirectOp
{
    public override TensorType Infer(IReadOnlyList<Node> inputs) =>
        new(ShapeRules.Concat(inputs[0].Shape, inputs[1].Shape), inputs[0].Batched || inputs[1].Batched);

    // Each input receives its own part of the gradient: the first's elements, then the second's.
    public override Node? Gradient(Site d, Node y, Node g, int input) =>
        d.Apply(new Slice(input == 0 ? Size.Zero : y.Inputs[0].Shape.Size, y.Inputs[input].Shape), g);

    public override KernelCall Call(Node node)
    {
        var (first, second) = (node.Inputs[0], node.Inputs[1]);
        return KernelCall.Of(
            "Concat",
            KernelArgument.Read(first),
            KernelArgument.Elements(first),
            KernelArgument.Flag(!first.Batched),
            KernelArgument.Read(second),
            KernelArgument.Elements(second),
            KernelArgument.Flag(!second.Batched),
            KernelArgument.Write(node),
            KernelArgument.Samples(node));
    }
}

/// <summary>
/// A contiguous run of each sample's elements of input 0: <see cref="Shape"/>'s element count from element
/// <see cref="Offset"/> (the part of a <see cref="Concat"/> that one of its inputs gave, for its gradient).
/// </summary>
internal sealed record Slice(Size Offset, Shape Shape) : KernelOp
{
    public override string Attributes => $"{Shape} from {Offset}";

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        ShapeRules.Slice(inputs[0].Shape, Offset, Shape);
        return new TensorType(Shape, inputs[0].Batched);
    }

    // A slice appears only in the gradient of a Concat, and gradients are not differentiated again.
    public override Node? Gradient(Site d, Node y, Node g, int input) =>
        throw new InvalidOperationException("Slice is formed only by differentiation; the compiler does not differentiate a gradient.");

    public override KernelCall Call(Node node) => KernelCall.Of(
        "Slice",
        KernelArgument.Read(node.Inputs[0]),
        KernelArgument.Elements(node.Inputs[0]),
        KernelArgument.Count(Offset),
        KernelArgument.Write(node),
        KernelArgument.Elements(node),
        KernelArgument.Samples(node));
}
