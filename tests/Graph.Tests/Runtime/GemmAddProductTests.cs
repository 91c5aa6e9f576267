using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>A product added to a running sum gives exactly the product into a buffer followed by the elementwise sum.</summary>
public sealed class GemmAddProductTests
{
    public static TheoryData<bool, bool, int, int, int> Shapes() => new()
    {
        { true, false, 512, 64, 16 },
        { true, false, 40, 10, 1 },
        { false, false, 7, 13, 3 },
        { true, true, 9, 4, 33 },
        { false, true, 1, 17, 5 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EqualsTheProductThenTheSumBitForBit(bool transA, bool transB, int m, int n, int k)
    {
        var random = new NumpyRandom(5);
        int ldc = n + 1;
        double[] a = Enumerable.Range(0, m * k).Select(i => i % 4 == 0 ? 0.0 : random.StandardNormal()).ToArray();
        double[] b = Enumerable.Range(0, k * n).Select(_ => random.StandardNormal()).ToArray();
        double[] c = Enumerable.Range(0, m * ldc).Select(_ => random.RandomSample() - 0.5).ToArray();
        int lda = transA ? m : k;
        int ldb = transB ? k : n;

        var product = new double[m * n];
        Kernels.Gemm<double>(transA, transB, m, n, k, a, lda, b, ldb, product, n, false);
        var expected = (double[])c.Clone();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                expected[(i * ldc) + j] = expected[(i * ldc) + j] + product[(i * n) + j];
            }
        }

        Kernels.GemmAddProduct<double>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);

        Assert.Equal(expected.Select(BitConverter.DoubleToInt64Bits), c.Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void FloatOnAChosenKernelEqualsTheProductThenTheSum()
    {
        var random = new NumpyRandom(8);
        float[] a = Enumerable.Range(0, 32 * 512).Select(_ => (float)random.StandardNormal()).ToArray();
        float[] b = Enumerable.Range(0, 32 * 96).Select(_ => (float)random.StandardNormal()).ToArray();
        float[] c = Enumerable.Range(0, 512 * 96).Select(_ => (float)random.RandomSample()).ToArray();
        var product = new float[512 * 96];
        Kernels.Gemm<float>(GemmKernel.Direct, true, false, 512, 96, 32, a, 512, b, 96, product, 96, false);
        var expected = c.Zip(product, (x, y) => x + y).ToArray();

        Kernels.GemmAddProduct<float>(GemmKernel.Direct, true, false, 512, 96, 32, a, 512, b, 96, c, 96);

        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), c.Select(BitConverter.SingleToInt32Bits));
    }
}
