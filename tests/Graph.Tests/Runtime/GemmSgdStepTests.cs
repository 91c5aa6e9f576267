using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>The SGD step fused into a product gives exactly the gradient's product followed by <see cref="Kernels.SgdStep{T}"/>.</summary>
public sealed class GemmSgdStepTests
{
    public static TheoryData<bool, bool, int, int, int> Shapes() => new()
    {
        { true, false, 784, 40, 1 },
        { false, false, 5, 9, 1 },
        { true, true, 6, 3, 1 },
        { false, true, 1, 17, 1 },
        { true, false, 40, 10, 100 },
        { false, false, 7, 13, 3 },
        { true, true, 9, 4, 33 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EqualsTheGradientFollowedByTheStepBitForBit(bool transA, bool transB, int m, int n, int k)
    {
        var random = new NumpyRandom(17);
        int ldc = n + 2;

        // Every third element of A is zero, as blank pixels are: the depth-1 path skips their rows.
        double[] a = Enumerable.Range(0, m * k).Select(i => i % 3 == 0 ? 0.0 : random.StandardNormal()).ToArray();
        double[] b = Enumerable.Range(0, k * n).Select(_ => random.StandardNormal()).ToArray();
        double[] c = Enumerable.Range(0, m * ldc).Select(_ => random.RandomSample() - 0.5).ToArray();
        int lda = transA ? m : k;
        int ldb = transB ? k : n;

        var gradient = new double[m * n];
        Kernels.Gemm<double>(transA, transB, m, n, k, a, lda, b, ldb, gradient, n, false);
        var expected = (double[])c.Clone();
        for (int i = 0; i < m; i++)
        {
            Kernels.SgdStep<double>(expected.AsSpan(i * ldc, n), gradient.AsSpan(i * n, n), 0.01);
        }

        Kernels.GemmSgdStep<double>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, 0.01);

        // Equal everywhere, the columns past n of each row of C included (untouched).
        Assert.Equal(expected, c);
    }

    [Fact]
    public void FloatMatchesTheGradientFollowedByTheStep()
    {
        var random = new NumpyRandom(3);
        float[] a = Enumerable.Range(0, 100 * 30).Select(_ => (float)random.StandardNormal()).ToArray();
        float[] b = Enumerable.Range(0, 100 * 20).Select(_ => (float)random.StandardNormal()).ToArray();
        float[] c = Enumerable.Range(0, 30 * 20).Select(_ => (float)random.RandomSample()).ToArray();
        var gradient = new float[30 * 20];
        Kernels.Gemm<float>(true, false, 30, 20, 100, a, 30, b, 20, gradient, 20, false);
        var expected = (float[])c.Clone();
        Kernels.SgdStep<float>(expected, gradient, 0.1f);

        Kernels.GemmSgdStep<float>(true, false, 30, 20, 100, a, 30, b, 20, c, 20, 0.1f);

        Assert.Equal(expected, c);
    }

    [Theory]
    [InlineData(GemmKernel.RowByRow)]
    [InlineData(GemmKernel.ColumnByColumn)]
    [InlineData(GemmKernel.Packed)]
    [InlineData(GemmKernel.Direct)]
    [InlineData(GemmKernel.SplitDepth)]
    public void EveryKernelEqualsItsProductFollowedByTheStep(GemmKernel kernel)
    {
        var random = new NumpyRandom(5);
        foreach ((bool transA, bool transB, int m, int n, int k) in new[] { (true, false, 37, 21, 50), (false, true, 13, 40, 5000), (false, false, 2, 3, 1) })
        {
            float[] a = Enumerable.Range(0, m * k).Select(_ => (float)random.StandardNormal()).ToArray();
            float[] b = Enumerable.Range(0, k * n).Select(_ => (float)random.StandardNormal()).ToArray();
            float[] c = Enumerable.Range(0, m * (n + 1)).Select(_ => (float)random.RandomSample()).ToArray();
            int lda = transA ? m : k;
            int ldb = transB ? k : n;
            var gradient = new float[m * n];
            Kernels.Gemm<float>(kernel, transA, transB, m, n, k, a, lda, b, ldb, gradient, n, false);
            var expected = (float[])c.Clone();
            for (int i = 0; i < m; i++)
            {
                Kernels.SgdStep<float>(expected.AsSpan(i * (n + 1), n), gradient.AsSpan(i * n, n), 0.1f);
            }

            Kernels.GemmSgdStep<float>(kernel, transA, transB, m, n, k, a, lda, b, ldb, c, n + 1, 0.1f);

            Assert.Equal(expected, c);
        }
    }

    [Fact]
    public void RefusesAShortSpanAndAnOverlap()
    {
        var a = new double[8];
        var b = new double[8];
        var c = new double[8];

        Assert.Throws<ArgumentException>(() => Kernels.GemmSgdStep<double>(false, false, 4, 2, 2, a, 2, b, 2, c.AsSpan(0, 7), 2, 0.1));
        Assert.Throws<ArgumentException>(() => Kernels.GemmSgdStep<double>(false, false, 4, 2, 1, a, 1, b, 2, a, 2, 0.1));
    }
}
