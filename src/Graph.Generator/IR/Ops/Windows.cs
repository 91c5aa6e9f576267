using Graph.Generator.Diagnostics;
using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>
/// An operation on the windows of an image <c>[h, w]</c> or <c>[h, w, c]</c> (channels last, constant dimensions),
/// computed by the runtime kernel of its name.
/// </summary>
internal abstract record WindowOp(Window Window) : KernelOp
{
    public override string Attributes => Window.ToString();

    public override string Describe(Node node) => $"{Name} {Window}";

    /// <summary>The image whose height, width and channels the kernel takes: the input, or, for an adjoint, the result.</summary>
    protected abstract Node Image(Node node);

    public sealed override KernelCall Call(Node node) => KernelCall.Of(
        Name,
        new[] { KernelArgument.Read(node.Inputs[0]), KernelArgument.Write(node), KernelArgument.Samples(node) }.Concat(Sizes(Image(node).Shape, Window)).ToArray());

    /// <summary>The sizes a window kernel takes after its values and count: the image's height, width and channels, the window's height and width.</summary>
    public static IEnumerable<KernelArgument> Sizes(Shape image, Window window) => new[]
    {
        KernelArgument.Integer(image[0].Value),
        KernelArgument.Integer(image[1].Value),
        KernelArgument.Integer(image.Rank == 3 ? image[2].Value : 1),
        KernelArgument.Integer(window.Height),
        KernelArgument.Integer(window.Width),
    };
}

/// <summary>
/// The sliding windows of an image as rows (im2col): one row per window position, row-major over the
/// (h - kh + 1) × (w - kw + 1) positions, each row the window's elements in (row, column, channel) order; stride 1,
/// no padding.
/// </summary>
internal sealed record Im2Col(Window Window) : WindowOp(Window)
{
    public override TensorType Infer(IReadOnlyList<Node> inputs) => new(ShapeRules.Im2Col(inputs[0].Shape, Window), inputs[0].Batched);

    // Linear: the adjoint adds each window's gradient back onto the pixels it read.
    public override Node? Gradient(Site d, Node y, Node g, int input) => d.Apply(new Col2Im(Window, y.Inputs[0].Shape), g);

    protected override Node Image(Node node) => node.Inputs[0];
}

/// <summary>The adjoint of <see cref="Im2Col"/> (col2im): each row's elements added back onto the positions of an image of shape <see cref="ImageShape"/>.</summary>
internal sealed record Col2Im(Window Window, Shape ImageShape) : WindowOp(Window)
{
    public override string Attributes => $"{Window} onto {ImageShape}";

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        ShapeRules.Col2Im(inputs[0].Shape, ImageShape, Window);
        return new TensorType(ImageShape, inputs[0].Batched);
    }

    public override Node? Gradient(Site d, Node y, Node g, int input) => d.Apply(new Im2Col(Window), g);

    protected override Node Image(Node node) => node;
}

/// <summary>Sums each non-overlapping window of an image, per channel.</summary>
internal sealed record SumPool2d(Window Window) : WindowOp(Window)
{
    public override TensorType Infer(IReadOnlyList<Node> inputs) => new(ShapeRules.SumPool2d(inputs[0].Shape, Window), inputs[0].Batched);

    // Every pixel of a window contributes once to its sum.
    public override Node? Gradient(Site d, Node y, Node g, int input) => d.Apply(new Upsample2d(Window, y.Inputs[0].Shape), g);

    protected override Node Image(Node node) => node.Inputs[0];
}

/// <summary>The adjoint of <see cref="SumPool2d"/>: each element repeated over its window of an image of shape <see cref="ImageShape"/>.</summary>
internal sealed record Upsample2d(Window Window, Shape ImageShape) : WindowOp(Window)
{
    public override string Attributes => $"{Window} onto {ImageShape}";

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        ShapeRules.Upsample2d(inputs[0].Shape, ImageShape, Window);
        return new TensorType(ImageShape, inputs[0].Batched);
    }

    public override Node? Gradient(Site d, Node y, Node g, int input) => d.Apply(new SumPool2d(Window), g);

    protected override Node Image(Node node) => node;
}

/// <summary>
/// <c>Conv2d(image, kernels)</c>: a valid, stride-1 convolution as one matrix product, the image's windows as rows
/// (im2col) times the kernels viewed as a [kh·kw·c, count] matrix, giving [positions, count], viewed as [oh, ow, count].
/// </summary>
internal sealed class Conv2dFunction : DslFunction
{
    public override string Name => "Conv2d";

    public override Node Lower(DslCall call)
    {
        var (image, kernels, at) = (call[0], call[1], call.At);
        var plan = ShapeRules.Convolution(image.Shape, kernels.Shape);
        var columns = at.Apply(new Im2Col(plan.Window), image);
        var matrix = at.Reshape(kernels, Shape.Of(plan.WindowSize, plan.Count));
        var product = at.MatMul(columns, matrix, transposeA: false, transposeB: false, image.Batched || kernels.Batched);
        return at.Reshape(product, Shape.Of(plan.OutputHeight, plan.OutputWidth, plan.Count));
    }
}

/// <summary><c>SumPool2d(image, size)</c>: the sum of each non-overlapping size × size window.</summary>
internal sealed class SumPool2dFunction : DslFunction
{
    public override string Name => "SumPool2d";

    public override Node Lower(DslCall call) => Of(call);

    public static Node Of(DslCall call)
    {
        int size = call.PositiveInteger(1)
            ?? throw new ArgumentError(DiagnosticDescriptors.WindowShapeError.Id, "pool", call[0].Shape.ToString(), "the window size must be a positive integer constant");
        return call.At.Apply(new SumPool2d(new Window(size, size)), call[0]);
    }
}

/// <summary><c>MeanPool2d(image, size)</c>: <see cref="SumPool2d"/> divided by the window's element count.</summary>
internal sealed class MeanPool2dFunction : DslFunction
{
    public override string Name => "MeanPool2d";

    public override Node Lower(DslCall call)
    {
        var pooled = SumPool2dFunction.Of(call);
        var window = ((SumPool2d)pooled.Op).Window;
        return call.At.Divide(pooled, call.At.Constant(window.Height * window.Width));
    }
}
