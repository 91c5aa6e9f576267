using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// <c>Kernels.Softmax</c> and <c>Kernels.SoftmaxCrossEntropy</c>: in double bit for bit the row-by-row loop of
/// <c>Math.Exp</c> (what the chapter samples print depends on it), in float within a few units in the last place of
/// the exact value (its exponentials are taken over the whole buffer, vectorised).
/// </summary>
public sealed class SoftmaxKernelTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(100, 10)]
    [InlineData(7, 33)]
    public void DoubleIsTheScalarLoopBitForBit(int rows, int columns)
    {
        double[] x = Logits(rows, columns);
        double[] labels = OneHot(rows, columns);
        var softmax = new double[x.Length];
        var loss = new double[rows];
        Kernels.Softmax<double>(x, softmax, rows, columns);
        Kernels.SoftmaxCrossEntropy<double>(x, labels, loss, rows, columns, false);
        for (int r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * columns, columns);
            double max = row[0];
            foreach (double value in row)
            {
                max = value > max ? value : max;
            }

            double sum = 0;
            var e = new double[columns];
            for (int c = 0; c < columns; c++)
            {
                e[c] = Math.Exp(row[c] - max);
                sum += e[c];
            }

            double logSumExp = max + Math.Log(sum);
            double total = 0;
            for (int c = 0; c < columns; c++)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(e[c] / sum), BitConverter.DoubleToInt64Bits(softmax[(r * columns) + c]));
                total += labels[(r * columns) + c] * (logSumExp - row[c]);
            }

            Assert.Equal(BitConverter.DoubleToInt64Bits(total), BitConverter.DoubleToInt64Bits(loss[r]));
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(100, 10)]
    [InlineData(7, 33)]
    public void FloatIsWithinAFewUnitsInTheLastPlace(int rows, int columns)
    {
        double[] exact = Logits(rows, columns);
        float[] x = Array.ConvertAll(exact, v => (float)v);
        float[] labels = Array.ConvertAll(OneHot(rows, columns), v => (float)v);
        var softmax = new float[x.Length];
        var loss = new float[rows];
        Kernels.Softmax<float>(x, softmax, rows, columns);
        Kernels.SoftmaxCrossEntropy<float>(x, labels, loss, rows, columns, false);
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int c = 0; c < columns; c++)
            {
                max = Math.Max(max, x[(r * columns) + c]);
            }

            for (int c = 0; c < columns; c++)
            {
                sum += Math.Exp(x[(r * columns) + c] - max);
            }

            double expectedLoss = 0;
            for (int c = 0; c < columns; c++)
            {
                int i = (r * columns) + c;
                double expected = Math.Exp(x[i] - max) / sum;
                Assert.True(Math.Abs(softmax[i] - expected) <= 4 * columns * Math.ScaleB(1, -24) * expected,
                    $"softmax[{r},{c}] = {softmax[i]:R}, exactly {expected:R}");
                expectedLoss += labels[i] * (max + Math.Log(sum) - x[i]);
            }

            Assert.True(Math.Abs(loss[r] - expectedLoss) <= (4 * columns * Math.ScaleB(1, -24) * (Math.Abs(max) + Math.Abs(expectedLoss))) + 1e-6,
                $"loss[{r}] = {loss[r]:R}, exactly {expectedLoss:R}");
        }
    }

    [Fact]
    public void LargeLogitsStayFiniteInFloat()
    {
        var y = new float[3];
        var loss = new float[1];
        Kernels.Softmax<float>([1000f, 999f, 0f], y, 1, 3);
        Kernels.SoftmaxCrossEntropy<float>([1000f, 999f, 0f], [0f, 1f, 0f], loss, 1, 3, false);
        Assert.Equal(0.7310586f, y[0], 6);
        Assert.Equal(0.2689414f, y[1], 6);
        Assert.Equal(0f, y[2]);
        // 1000 + log(1 + e⁻¹) − 999, with float's spacing of 6e-5 at 1000.
        Assert.InRange(loss[0], 1.3132617f - 1e-4f, 1.3132617f + 1e-4f);
    }

    private static double[] Logits(int rows, int columns)
    {
        var random = new NumpyRandom(5);
        var x = new double[rows * columns];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (random.RandomSample() * 20) - 10;
        }

        return x;
    }

    private static double[] OneHot(int rows, int columns)
    {
        var labels = new double[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            labels[(r * columns) + ((r * 7) % columns)] = 1;
        }

        return labels;
    }
}
