using Graph.Runtime;
using Graph.Tests.Gradients;
using Graph.Tests.Generator;
using Xunit;

namespace Graph.Tests.Fusion;

/// <summary>
/// <c>Optimization/ElementwiseReshapes</c>: an elementwise value read only through a reshape, by another elementwise
/// loop, is computed in the reshaped shape so that the loop takes it in. <see cref="FlattenedProduct"/>'s gradient
/// multiplies by V, reshapes and multiplies by the tanh derivative in one loop, and its loss and gradients are the
/// bits of <see cref="ShapedProduct"/>, the same arithmetic written with the reshapes on the factors.
/// </summary>
public sealed class ElementwiseReshapesTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TheLossAndTheGradientsAreTheReshapedFormsBits(int batch)
    {
        var (flattened, shaped) = (new FlattenedProduct(), new ShapedProduct());
        var random = new NumpyRandom(7);
        foreach (var (f, s) in flattened.Parameters.Zip(shaped.Parameters))
        {
            double[] values = GradientCheck.Draw(random, f.Size);
            f.CopyFrom(values);
            s.CopyFrom(values);
        }

        double[] x = GradientCheck.Draw(random, 24 * batch), r = GradientCheck.Draw(random, 24 * batch);
        Assert.Equal(Bits(shaped.Backward(x, r, batch)), Bits(flattened.Backward(x, r, batch)));
        foreach (var (f, s) in flattened.Parameters.Zip(shaped.Parameters))
        {
            Assert.Contains(f.Gradient, g => g != 0);
            Assert.Equal(s.Gradient.Select(Bits), f.Gradient.Select(Bits));
        }
    }

    [Fact]
    public void TheGradientsProductsAreComputedInOneLoop()
    {
        var result = GeneratorHarness.Run(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "tests", "Graph.Tests", "Fusion", "ReshapedProductModels.cs")));
        Assert.Empty(result.Diagnostics);
        string source = result.Sources.Single(s => s.Key.EndsWith(".FlattenedProduct.g.cs", StringComparison.Ordinal)).Value;
        string backward = source[source.IndexOf(" BackwardCore(global::", StringComparison.Ordinal)..];
        backward = backward[..backward.IndexOf("\n        }\n", StringComparison.Ordinal)];

        // d(Tanh(x * W)) is V times the flat product's gradient, reshaped, times 1 - t²: computed inside the sum over
        // the batch that gives d(W), with no loop of its own over the flat [24] values.
        var kernels = backward.Split('\n').Where(l => l.TrimStart().StartsWith("// %", StringComparison.Ordinal)).ToList();
        Assert.Contains(kernels, l => l.Contains("[2,3,4] = ReduceSum: d(W)", StringComparison.Ordinal));
        Assert.DoesNotContain(kernels, l => l.EndsWith("= Multiply: d(Flatten(Tanh(x * W)) * V)", StringComparison.Ordinal));
    }

    private static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);
}
