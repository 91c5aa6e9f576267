using Graph.Generator.Spec;
using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Pipeline;
using Graph.Tests.Generator;
using Xunit;

namespace Graph.Tests.Compiler;

/// <summary>
/// Which convolutions the compiler computes from the image in place (<c>Optimization/DirectConvolutions</c>): a
/// single-channel image under a window of at most 25 taps, in every entry, with no im2col rows left; several channels
/// or a larger window keep im2col and the GEMMs. (That the two ways give the same bits is the runtime's
/// <c>ConvolutionKernelTests</c>; that the gradients are right, the gradient checks of <c>Gradients/WindowModels</c>.)
/// </summary>
public sealed class DirectConvolutionTests
{
    private const string Template = """
        [Model(typeof(double))]
        public partial class Convolution
        {
            [Param(KERNELS), InitUniform(-1, 1)] public partial Tensor Kernels { get; }
            [Forward] public Tensor Predict([Shape(IMAGE)] Tensor image) => Conv2d(image, Kernels);
            [Loss] public Tensor Loss([Shape(IMAGE)] Tensor image, [Shape(OUTPUT)] Tensor r) => Sum(Tanh(Conv2d(image, Kernels)) * r);
        }
        """;

    [Theory]
    [InlineData("27, 27", "3, 3, 16", "25, 25, 16")]
    [InlineData("9, 9", "5, 5, 2", "5, 5, 2")]
    [InlineData("6, 7, 1", "2, 3, 1, 4", "5, 5, 4")]
    public void ASingleChannelImageUnderASmallWindowIsConvolvedInPlace(string image, string kernels, string output)
    {
        foreach (var entry in Entries(image, kernels, output))
        {
            var ops = entry.Graph.Nodes.Select(n => n.Op).ToList();
            Assert.DoesNotContain(ops, op => op is Im2Col or MatMul);
            Assert.Single(ops, op => op is Convolve);
            Assert.Equal(entry.Kind == EntryKind.Backward ? 1 : 0, ops.Count(op => op is ConvolutionKernelGradient));
        }
    }

    [Theory]
    [InlineData("6, 7, 2", "2, 3, 2, 4", "5, 5, 4")]
    [InlineData("12, 12", "6, 5, 3", "7, 8, 3")]
    public void SeveralChannelsOrALargerWindowKeepIm2ColAndTheGemms(string image, string kernels, string output)
    {
        foreach (var entry in Entries(image, kernels, output))
        {
            var ops = entry.Graph.Nodes.Select(n => n.Op).ToList();
            Assert.DoesNotContain(ops, op => op is Convolve or ConvolutionKernelGradient);
            Assert.Single(ops, op => op is Im2Col);
            Assert.Equal(entry.Kind == EntryKind.Backward ? 2 : 1, ops.Count(op => op is MatMul));
        }
    }

    /// <summary>
    /// The loss reads the convolution only through its tanh, so there the tanh is taken in the convolution's kernel
    /// (<c>Optimization/ActivatedConvolutions</c>; tanh's derivative reads tanh's value, not the convolution's); the
    /// forward returns the convolution itself.
    /// </summary>
    [Fact]
    public void ATanhThatIsTheConvolutionsOnlyReaderIsTakenInItsKernel()
    {
        foreach (var entry in Entries("27, 27", "3, 3, 16", "25, 25, 16"))
        {
            var ops = entry.Graph.Nodes.Select(n => n.Op).ToList();
            bool activated = entry.Kind != EntryKind.Forward;
            Assert.Equal(activated, Assert.IsType<Convolve>(Assert.Single(ops, op => op is Convolve)).ThenTanh);
            Assert.DoesNotContain(ops, op => op is Tanh);
        }
    }

    [Fact]
    public void AConvolutionReadBesidesItsTanhKeepsTheTanhApart()
    {
        string source = Fill("27, 27", "3, 3, 16", "25, 25, 16")
            .Replace("Sum(Tanh(Conv2d(image, Kernels)) * r)", "Sum(Tanh(Conv2d(image, Kernels)) * r) + Sum(Conv2d(image, Kernels) * r)");
        foreach (var entry in Compile(source).Where(e => e.Kind != EntryKind.Forward))
        {
            var ops = entry.Graph.Nodes.Select(n => n.Op).ToList();
            Assert.False(Assert.IsType<Convolve>(Assert.Single(ops, op => op is Convolve)).ThenTanh);
            Assert.Single(ops, op => op is Tanh);
        }
    }

    [Fact]
    public void TheGeneratedCodeTakesTheTanhInTheConvolution()
    {
        var source = StageSnapshotTests.Usings + Fill("27, 27", "3, 3, 16", "25, 25, 16");
        var driver = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.Compile(source));
        string generated = string.Join("\n", driver.GetRunResult().GeneratedTrees.Select(t => t.ToString()));
        Assert.Contains("= Convolve 3x3 then Tanh, each image's in the cache: computed from the image, no im2col rows (one channel, 9 taps ≤ 25): Tanh(Conv2d(image, Kernels))", generated);
        Assert.Contains("global::Graph.Runtime.Kernels.ConvolveTanh<double>(image, this.valueKernels, ", generated);
        Assert.DoesNotContain("Kernels.Tanh<", generated);
    }

    [Fact]
    public void TheGeneratedCodeSaysWhyTheConvolutionIsDirect()
    {
        var source = StageSnapshotTests.Usings + Fill("27, 27", "3, 3, 16", "25, 25, 16");
        var driver = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.Compile(source));
        string generated = string.Join("\n", driver.GetRunResult().GeneratedTrees.Select(t => t.ToString()));
        Assert.Contains("= Convolve 3x3: computed from the image, no im2col rows (one channel, 9 taps ≤ 25): Conv2d(image, Kernels)", generated);
        Assert.Contains("global::Graph.Runtime.Kernels.Convolve<double>(image, this.valueKernels, ", generated);
        Assert.Contains("global::Graph.Runtime.Kernels.ConvolutionKernelGradient<double>(image, ", generated);
        Assert.DoesNotContain("Im2Col", generated);
    }

    private static string Fill(string image, string kernels, string output) =>
        Template.Replace("KERNELS", kernels).Replace("IMAGE", image).Replace("OUTPUT", output);

    private static IReadOnlyList<CompiledEntry> Entries(string image, string kernels, string output) =>
        Compile(Fill(image, kernels, output));

    private static IReadOnlyList<CompiledEntry> Compile(string model)
    {
        var spec = ScanTests.Spec(StageSnapshotTests.Usings + model);
        var diagnostics = new List<DiagnosticInfo>();
        var entries = ModelCompiler.Entries(spec, diagnostics);
        Assert.Empty(diagnostics);
        Assert.Equal(3, entries.Count);
        return entries;
    }
}
