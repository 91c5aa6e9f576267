using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// <c>Guard.Finite</c> over a span: it names the first value that is not finite (NaN, +∞ or −∞) wherever it lies,
/// before, inside and after the blocks of whole vectors it checks together, and accepts spans of finite values of every
/// length, the largest and smallest included. <c>Guard.FiniteByProduct</c>: a non-finite value of A is found through
/// A·B by every GEMM kernel, whatever B holds, and named as <c>Guard.Finite</c> names it.
/// </summary>
public sealed class GuardTests
{
    /// <summary>Lengths around one vector, a group of four 512-bit vectors of float, and 16 groups (checked together).</summary>
    private static readonly int[] Lengths = [0, 1, 15, 16, 17, 63, 64, 65, 1023, 1024, 1025, 1100, 2049];

    [Fact]
    public void FiniteSpansPass()
    {
        foreach (int length in Lengths)
        {
            float[] values = [.. Enumerable.Range(0, length).Select(i => i % 3 == 0 ? float.MaxValue : -float.Epsilon * i)];
            Guard.Finite<float>(values, "x");
            Guard.Finite<double>(Array.ConvertAll(values, v => (double)v * 1e269), "x");
        }
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void TheFirstValueThatIsNotFiniteIsNamed(float bad)
    {
        foreach (int length in Lengths.Where(l => l > 0))
        {
            foreach (int at in new[] { 0, length / 2, length - 1 }.Distinct())
            {
                var values = new float[length];
                values[at] = bad;
                if (at + 1 < length)
                {
                    values[length - 1] = float.NaN;
                }

                var exception = Assert.Throws<ArgumentException>(() => Guard.Finite<float>(values, "image"));
                Assert.Equal("image", exception.ParamName);
                Assert.StartsWith($"'image' holds {bad} at index {at};", exception.Message, StringComparison.Ordinal);

                double[] wide = Array.ConvertAll(values, v => (double)v);
                Assert.StartsWith($"'image' holds {(double)bad} at index {at};",
                    Assert.Throws<ArgumentException>(() => Guard.Finite<double>(wide, "image")).Message, StringComparison.Ordinal);
            }
        }
    }

    public static TheoryData<GemmKernel, int, int, int> Products()
    {
        var data = new TheoryData<GemmKernel, int, int, int>();
        foreach (var kernel in new[] { GemmKernel.Auto, GemmKernel.RowByRow, GemmKernel.Packed, GemmKernel.Direct, GemmKernel.SplitDepth })
        {
            foreach (var (m, n) in new[] { (1, 40), (5, 1), (100, 100) })
            {
                data.Add(kernel, m, n, 1);
                data.Add(kernel, m, n, 2);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Products))]
    public void ANonFiniteValueOfAIsFoundThroughItsProduct(GemmKernel kernel, int m, int n, int threads)
    {
        const int K = 784;
        var random = new Random(m * 1000 + n);

        // A like a batch of images (mostly zeros, so the kernels that skip zeros do), B with a row of zeros, which
        // times an infinity gives NaN, and negative and positive weights, whose sum with an infinity can be NaN too.
        float[] a = [.. Enumerable.Range(0, m * K).Select(i => i % K < 300 || i % 7 != 0 ? 0f : (float)random.NextDouble())];
        float[] b = [.. Enumerable.Range(0, K * n).Select(i => i / n == 500 ? 0f : (float)(random.NextDouble() - 0.5))];
        var c = new float[m * n];
        using var scope = Parallelism.Use(threads);
        Kernels.Gemm<float>(kernel, false, false, m, n, K, a, K, b, n, c, n, false);
        Guard.FiniteByProduct<float>(c, a, "image");

        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            foreach (int at in new[] { 0, 500, (m * K) - 1, random.Next(m * K) })
            {
                float[] poisoned = [.. a];
                poisoned[at] = bad;
                Kernels.Gemm<float>(kernel, false, false, m, n, K, poisoned, K, b, n, c, n, false);

                var expected = Assert.Throws<ArgumentException>(() => Guard.Finite<float>(poisoned, "image"));
                var exception = Assert.Throws<ArgumentException>(() => Guard.FiniteByProduct<float>(c, poisoned, "image"));
                Assert.Equal((expected.ParamName, expected.Message), (exception.ParamName, exception.Message));
            }
        }
    }

    [Fact]
    public void FiniteValuesWhoseProductOverflowsPass()
    {
        float[] a = [3e38f, 3e38f];
        float[] b = [2f, 2f];
        var c = new float[1];
        Kernels.Gemm<float>(false, false, 1, 1, 2, a, 2, b, 1, c, 1, false);

        Assert.True(float.IsPositiveInfinity(c[0]));
        Guard.FiniteByProduct<float>(c, a, "image");
    }
}
