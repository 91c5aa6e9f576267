using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>The window kernels: each adjoint satisfies ⟨A x, y⟩ = ⟨x, Aᵀ y⟩, and bad sizes are rejected by name.</summary>
public sealed class WindowKernelTests
{
    [Theory]
    [InlineData(1, 5, 6, 1, 3, 3)]
    [InlineData(2, 5, 6, 2, 2, 3)]
    [InlineData(3, 4, 4, 3, 4, 4)]
    public void Col2ImIsTheAdjointOfIm2Col(int count, int height, int width, int channels, int kernelHeight, int kernelWidth)
    {
        int imageSize = count * height * width * channels;
        int columnsSize = count * (height - kernelHeight + 1) * (width - kernelWidth + 1) * kernelHeight * kernelWidth * channels;
        var random = new NumpyRandom(5);
        var x = Draw(random, imageSize);
        var y = Draw(random, columnsSize);
        var columns = new double[columnsSize];
        var image = new double[imageSize];
        Kernels.Im2Col<double>(x, columns, count, height, width, channels, kernelHeight, kernelWidth);
        Kernels.Col2Im<double>(y, image, count, height, width, channels, kernelHeight, kernelWidth);
        Assert.Equal(Dot(columns, y), Dot(x, image), 12);
    }

    [Theory]
    [InlineData(1, 4, 6, 1, 2, 2)]
    [InlineData(2, 6, 6, 3, 3, 2)]
    public void Upsample2dIsTheAdjointOfSumPool2d(int count, int height, int width, int channels, int windowHeight, int windowWidth)
    {
        int imageSize = count * height * width * channels;
        int pooledSize = imageSize / (windowHeight * windowWidth);
        var random = new NumpyRandom(6);
        var x = Draw(random, imageSize);
        var y = Draw(random, pooledSize);
        var pooled = new double[pooledSize];
        var image = new double[imageSize];
        Kernels.SumPool2d<double>(x, pooled, count, height, width, channels, windowHeight, windowWidth);
        Kernels.Upsample2d<double>(y, image, count, height, width, channels, windowHeight, windowWidth);
        Assert.Equal(Dot(pooled, y), Dot(x, image), 12);
    }

    [Fact]
    public void Im2ColLaysOutEachWindowAsARow()
    {
        // A 3 × 3 image 0..8 and a 2 × 2 kernel: four windows, row-major.
        double[] image = [0, 1, 2, 3, 4, 5, 6, 7, 8];
        var columns = new double[16];
        Kernels.Im2Col<double>(image, columns, 1, 3, 3, 1, 2, 2);
        Assert.Equal([0, 1, 3, 4, 1, 2, 4, 5, 3, 4, 6, 7, 4, 5, 7, 8], columns);
    }

    [Fact]
    public void ShortSpansAndOversizedKernelsAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Kernels.Im2Col<float>(new float[8], new float[16], 1, 3, 3, 1, 2, 2));
        Assert.Equal("image", error.ParamName);
        Assert.Contains("8 values", error.Message);
        error = Assert.Throws<ArgumentException>(() => Kernels.Col2Im<float>(new float[16], new float[9], 2, 3, 3, 1, 2, 2));
        Assert.Equal("columns", error.ParamName);
        Assert.Throws<ArgumentException>(() => Kernels.Im2Col<float>(new float[9], new float[16], 1, 3, 3, 1, 4, 2));
        Assert.Throws<ArgumentException>(() => Kernels.SumPool2d<float>(new float[9], new float[4], 1, 3, 3, 1, 2, 2));
    }

    private static double[] Draw(NumpyRandom random, int count) => Enumerable.Range(0, count).Select(_ => (2 * random.RandomSample()) - 1).ToArray();

    private static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();
}
