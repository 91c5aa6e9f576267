using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary><c>Kernels.LogSoftmax</c> against the log of each row's softmax computed by a plain loop.</summary>
public sealed class LogSoftmaxKernelTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 7)]
    [InlineData(5, 33)]
    public void EachRowIsTheLogOfItsSoftmax(int rows, int columns)
    {
        var random = new NumpyRandom(3);
        var x = new double[rows * columns];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (random.RandomSample() * 20) - 10;
        }

        var y = new double[x.Length];
        Kernels.LogSoftmax<double>(x, y, rows, columns);
        for (int r = 0; r < rows; r++)
        {
            double sum = 0;
            for (int c = 0; c < columns; c++)
            {
                sum += Math.Exp(x[(r * columns) + c]);
            }

            for (int c = 0; c < columns; c++)
            {
                Assert.Equal(Math.Log(Math.Exp(x[(r * columns) + c]) / sum), y[(r * columns) + c], 12);
            }
        }
    }

    [Fact]
    public void LargeValuesStayFinite()
    {
        var y = new float[3];
        Kernels.LogSoftmax<float>([1000f, 999f, 0f], y, 1, 3);
        Assert.Equal(-0.3132617f, y[0], 5);
        Assert.Equal(-1.3132617f, y[1], 5);
        Assert.Equal(-1000.3132617f, y[2], 3);
    }

    [Fact]
    public void ShortSpansAreRejected() =>
        Assert.Throws<ArgumentException>(() => Kernels.LogSoftmax<double>(new double[5], new double[6], 2, 3));
}
