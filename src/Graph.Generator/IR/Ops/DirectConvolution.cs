using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>
/// A convolution's product computed from the image in place (<c>Kernels.Convolve</c>): the image (input 0) with the
/// kernels' [taps, count] matrix (input 1), giving [positions, count] as the product of the image's <see cref="Im2Col"/>
/// rows with that matrix does, element for element, without forming the rows
/// (<c>Optimization/DirectConvolutions</c>). With <see cref="ThenTanh"/> it gives the tanh of that product, each
/// image's taken while its output is in the cache (<c>Kernels.ConvolveTanh</c>,
/// <c>Optimization/ActivatedConvolutions</c>), the same values as the product followed by <see cref="Tanh"/>.
/// </summary>
internal sealed record Convolve(Window Window, bool ThenTanh = false) : KernelOp
{
    public override string Attributes => ThenTanh ? $"{Window}, then tanh" : Window.ToString();

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        var (image, kernels) = (inputs[0], inputs[1]);
        var rows = ShapeRules.Im2Col(image.Shape, Window);
        if (kernels.Batched || kernels.Shape.Rank != 2 || !kernels.Shape[0].Equals(rows[1]))
        {
            throw new InvalidOperationException($"A {Window} convolution of {image.Type} takes a [{rows[1]}, count] kernel matrix, not {kernels.Type}.");
        }

        return new TensorType(Shape.Of(rows[0], kernels.Shape[1]), image.Batched);
    }

    public override Node? Gradient(Site d, Node y, Node g, int input) =>
        throw new InvalidOperationException("A direct convolution is formed after differentiation.");

    public override string Describe(Node node) => ThenTanh
        ? $"Convolve {Window} then Tanh, each image's in the cache: {DirectConvolution.Choice(Window)}"
        : $"Convolve {Window}: {DirectConvolution.Choice(Window)}";

    public override KernelCall Call(Node node) => KernelCall.Of(
        ThenTanh ? "ConvolveTanh" : "Convolve",
        new[] { KernelArgument.Read(node.Inputs[0]), KernelArgument.Read(node.Inputs[1]), KernelArgument.Write(node), KernelArgument.Samples(node.Inputs[0]) }
            .Concat(WindowOp.Sizes(node.Inputs[0].Shape, Window))
            .Append(KernelArgument.LastAxis(node))
            .ToArray());
}

/// <summary>
/// The kernels' gradient of a convolution computed from the image in place (<c>Kernels.ConvolutionKernelGradient</c>):
/// the image (input 0) and the output's gradient [positions, count] (input 1), giving the [taps, count] sum over the
/// batch that the transposed product of the image's <see cref="Im2Col"/> rows with that gradient gives, element for
/// element, without forming the rows (<c>Optimization/DirectConvolutions</c>).
/// </summary>
internal sealed record ConvolutionKernelGradient(Window Window) : KernelOp
{
    public override string Attributes => Window.ToString();

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        var (image, gradient) = (inputs[0], inputs[1]);
        var rows = ShapeRules.Im2Col(image.Shape, Window);
        if (gradient.Batched != image.Batched || gradient.Shape.Rank != 2 || !gradient.Shape[0].Equals(rows[0]))
        {
            throw new InvalidOperationException($"The kernels' gradient of a {Window} convolution of {image.Type} takes a [{rows[0]}, count] gradient of the same batch, not {gradient.Type}.");
        }

        return new TensorType(Shape.Of(rows[1], gradient.Shape[1]), Batched: false);
    }

    public override Node? Gradient(Site d, Node y, Node g, int input) =>
        throw new InvalidOperationException("A direct convolution's gradient is formed after differentiation.");

    public override string Describe(Node node) => $"ConvolutionKernelGradient {Window}: {DirectConvolution.Choice(Window)}";

    public override KernelCall Call(Node node) => KernelCall.Of(
        "ConvolutionKernelGradient",
        new[] { KernelArgument.Read(node.Inputs[0]), KernelArgument.Read(node.Inputs[1]), KernelArgument.Write(node), KernelArgument.Samples(node.Inputs[0]) }
            .Concat(WindowOp.Sizes(node.Inputs[0].Shape, Window))
            .Append(KernelArgument.LastAxis(node))
            .ToArray());
}

/// <summary>When a convolution is computed from the image in place rather than as im2col and a GEMM.</summary>
internal static class DirectConvolution
{
    /// <summary>
    /// The most taps a direct convolution's window may have: with one channel and up to 25 taps both kernels ran faster
    /// than im2col and the GEMMs (docs/performance.md, the bench's <c>convolutions</c>); with two or three channels the
    /// GEMMs did, and larger windows were not measured.
    /// </summary>
    public const int MaxTaps = 25;

    /// <summary>Whether a convolution of <paramref name="image"/> by <paramref name="window"/> is computed directly.</summary>
    public static bool Applies(Shape image, Window window) =>
        ShapeRules.Image("convolve", image).Channels == 1 && window.Height * window.Width <= MaxTaps;

    /// <summary>The reason printed beside the kernel in the generated code.</summary>
    public static string Choice(Window window) =>
        $"computed from the image, no im2col rows (one channel, {window.Height * window.Width} taps ≤ {MaxTaps})";
}
