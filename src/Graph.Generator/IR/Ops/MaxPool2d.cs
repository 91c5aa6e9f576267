using Graph.Generator.Diagnostics;
using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>The largest element of each non-overlapping window of an image, per channel (NaN where a window holds one).</summary>
internal sealed record MaxPool2d(Window Window) : WindowOp(Window)
{
    public override TensorType Infer(IReadOnlyList<Node> inputs) => new(ShapeRules.SumPool2d(inputs[0].Shape, Window), inputs[0].Batched);

    // Each window's gradient goes to its largest element (the first, on ties).
    public override Node? Gradient(Site d, Node y, Node g, int input) => d.Apply(new MaxUnpool2d(Window), y.Inputs[0], g);

    protected override Node Image(Node node) => node.Inputs[0];
}

/// <summary>
/// The adjoint of <see cref="MaxPool2d"/>: zeros of the shape of the image input 0, with each element of the pooled
/// input 1 placed at the largest element of its window of the image (the first, on ties).
/// </summary>
internal sealed record MaxUnpool2d(Window Window) : KernelOp
{
    public override string Attributes => Window.ToString();

    public override string Describe(Node node) => $"{Name} {Window}";

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        var (image, pooled) = (inputs[0], inputs[1]);
        if (!ShapeRules.SumPool2d(image.Shape, Window).Equals(pooled.Shape) || image.Batched != pooled.Batched)
        {
            throw new ShapeError(DiagnosticDescriptors.WindowShapeError.Id, "spread", $"{pooled.Shape} over {image.Shape}", $"it is not the {Window} pooling of {image.Shape}");
        }

        return new TensorType(image.Shape, image.Batched);
    }

    // A max-unpooling is formed only by differentiation, and gradients are not differentiated again.
    public override Node? Gradient(Site d, Node y, Node g, int input) =>
        throw new InvalidOperationException("MaxUnpool2d is formed only by differentiation; the compiler does not differentiate a gradient.");

    public override KernelCall Call(Node node) => KernelCall.Of(
        Name,
        new[] { KernelArgument.Read(node.Inputs[0]), KernelArgument.Read(node.Inputs[1]), KernelArgument.Write(node), KernelArgument.Samples(node) }
            .Concat(WindowOp.Sizes(node.Shape, Window)).ToArray());
}

/// <summary><c>MaxPool2d(image, size)</c>: the largest element of each non-overlapping size × size window.</summary>
internal sealed class MaxPool2dFunction : DslFunction
{
    public override string Name => "MaxPool2d";

    public override Node Lower(DslCall call)
    {
        int size = call.PositiveInteger(1)
            ?? throw new ArgumentError(DiagnosticDescriptors.WindowShapeError.Id, "pool", call[0].Shape.ToString(), "the window size must be a positive integer constant");
        return call.At.Apply(new MaxPool2d(new Window(size, size)), call[0]);
    }
}
