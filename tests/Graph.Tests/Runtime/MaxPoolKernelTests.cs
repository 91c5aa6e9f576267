using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// <c>Kernels.MaxPool2d</c> against a plain loop over each window, and <c>MaxUnpool2d</c> as the adjoint of reading
/// each window at its maximum: ⟨MaxPool2d(x), y⟩ = ⟨x, MaxUnpool2d(x, y)⟩.
/// </summary>
public sealed class MaxPoolKernelTests
{
    [Theory]
    [InlineData(1, 4, 6, 1, 2, 2)]
    [InlineData(2, 6, 6, 3, 3, 2)]
    [InlineData(3, 4, 4, 2, 4, 4)]
    public void EachWindowPoolsToItsLargestElement(int count, int height, int width, int channels, int windowHeight, int windowWidth)
    {
        var x = Draw(count * height * width * channels, 8);
        var pooled = new double[x.Length / (windowHeight * windowWidth)];
        Kernels.MaxPool2d<double>(x, pooled, count, height, width, channels, windowHeight, windowWidth);
        int pooledHeight = height / windowHeight;
        int pooledWidth = width / windowWidth;
        for (int s = 0; s < count; s++)
        {
            for (int py = 0; py < pooledHeight; py++)
            {
                for (int px = 0; px < pooledWidth; px++)
                {
                    for (int c = 0; c < channels; c++)
                    {
                        double max = double.NegativeInfinity;
                        for (int y = py * windowHeight; y < (py + 1) * windowHeight; y++)
                        {
                            for (int xx = px * windowWidth; xx < (px + 1) * windowWidth; xx++)
                            {
                                max = Math.Max(max, x[(s * height * width * channels) + (((y * width) + xx) * channels) + c]);
                            }
                        }

                        Assert.Equal(max, pooled[(s * pooledHeight * pooledWidth * channels) + (((py * pooledWidth) + px) * channels) + c]);
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(1, 4, 6, 1, 2, 2)]
    [InlineData(2, 6, 6, 3, 3, 2)]
    public void MaxUnpool2dIsTheAdjointOfReadingEachWindowAtItsMaximum(int count, int height, int width, int channels, int windowHeight, int windowWidth)
    {
        var x = Draw(count * height * width * channels, 9);
        var y = Draw(x.Length / (windowHeight * windowWidth), 10);
        var pooled = new double[y.Length];
        var image = new double[x.Length];
        Kernels.MaxPool2d<double>(x, pooled, count, height, width, channels, windowHeight, windowWidth);
        Kernels.MaxUnpool2d<double>(x, y, image, count, height, width, channels, windowHeight, windowWidth);
        Assert.Equal(Dot(pooled, y), Dot(x, image), 12);
        Assert.Equal(y.Length, image.Count(v => v != 0));
    }

    [Fact]
    public void TiesGoToTheFirstElementAndNaNPools()
    {
        var pooled = new float[2];
        // Two 2x2 windows of a 2x4 image: {1, 3 / 3, 0} has two maxima, {3, 2 / NaN, 5} a NaN.
        Kernels.MaxPool2d<float>([1f, 3f, 3f, 2f, 3f, 0f, float.NaN, 5f], pooled, 1, 2, 4, 1, 2, 2);
        Assert.Equal(3f, pooled[0]);
        Assert.True(float.IsNaN(pooled[1]));

        var gradient = new float[8];
        Kernels.MaxUnpool2d<float>([1f, 3f, 3f, 2f, 3f, 0f, float.NaN, 5f], [10f, 20f], gradient, 1, 2, 4, 1, 2, 2);
        Assert.Equal([0f, 10f, 0f, 0f, 0f, 0f, 20f, 0f], gradient);
    }

    [Fact]
    public void ShortSpansAndWindowsThatDoNotDivideAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Kernels.MaxPool2d<double>(new double[15], new double[4], 1, 4, 4, 1, 2, 2));
        Assert.Throws<ArgumentException>(() => Kernels.MaxPool2d<double>(new double[16], new double[4], 1, 4, 4, 1, 3, 3));
        Assert.Throws<ArgumentException>(() => Kernels.MaxUnpool2d<double>(new double[16], new double[3], new double[16], 1, 4, 4, 1, 2, 2));
    }

    private static double[] Draw(int count, uint seed)
    {
        var random = new NumpyRandom(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (2 * random.RandomSample()) - 1;
        }

        return values;
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();
}
