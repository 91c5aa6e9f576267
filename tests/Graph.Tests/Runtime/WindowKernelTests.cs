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
    [InlineData(3, 27, 27, 1, 3, 3)]
    [InlineData(2, 5, 6, 2, 2, 3)]
    [InlineData(1, 4, 4, 3, 4, 4)]
    [InlineData(2, 7, 5, 1, 1, 2)]
    [InlineData(2, 9, 9, 5, 3, 3)]
    [InlineData(2, 6, 5, 2, 2, 3)]
    [InlineData(2, 3, 4, 1, 1, 1)]
    [InlineData(3, 4, 3, 1, 4, 3)]
    public void Im2ColCopiesEachWindowRowAsAPlainLoopDoes(int count, int height, int width, int channels, int kernelHeight, int kernelWidth)
    {
        CheckIm2Col<float>(count, height, width, channels, kernelHeight, kernelWidth);
        CheckIm2Col<double>(count, height, width, channels, kernelHeight, kernelWidth);
    }

    private static void CheckIm2Col<T>(int count, int height, int width, int channels, int kernelHeight, int kernelWidth)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int outputHeight = height - kernelHeight + 1, outputWidth = width - kernelWidth + 1;
        int window = kernelHeight * kernelWidth * channels;
        T[] image = Enumerable.Range(0, count * height * width * channels).Select(i => T.CreateTruncating(i + 1)).ToArray();

        // Exactly as long as needed, with a marker before and after, so that a write past either end shows.
        T marker = T.CreateTruncating(-7);
        T[] buffer = Enumerable.Repeat(marker, (count * outputHeight * outputWidth * window) + 2).ToArray();
        Kernels.Im2Col<T>(image, buffer.AsSpan(1, buffer.Length - 2), count, height, width, channels, kernelHeight, kernelWidth);

        Assert.Equal(marker, buffer[0]);
        Assert.Equal(marker, buffer[^1]);
        int at = 1;
        for (int s = 0; s < count; s++)
        {
            for (int oy = 0; oy < outputHeight; oy++)
            {
                for (int ox = 0; ox < outputWidth; ox++)
                {
                    for (int dy = 0; dy < kernelHeight; dy++)
                    {
                        for (int e = 0; e < kernelWidth * channels; e++)
                        {
                            Assert.Equal(image[(((s * height) + oy + dy) * width * channels) + (ox * channels) + e], buffer[at++]);
                        }
                    }
                }
            }
        }
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
