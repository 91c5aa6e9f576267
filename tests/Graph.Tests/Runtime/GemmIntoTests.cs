using System.Numerics;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// <see cref="Kernels.GemmInto{T, TConsumer}"/> hands every element of the product to its consumer once, at its
/// row-major index: in double the same bits as <see cref="Kernels.Gemm{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, bool)"/>
/// into a buffer, in float close to the exact product and the same bits for any thread count; bad arguments are refused.
/// </summary>
public sealed class GemmIntoTests
{
    public static TheoryData<int, int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, bool>();
        foreach (var (m, n, k) in new[] { (1, 1, 1), (1, 33, 10), (2, 8, 3), (3, 7, 16), (5, 31, 10), (6, 32, 9), (7, 100, 10), (13, 1000, 4), (4, 65, 0) })
        {
            data.Add(m, n, k, false);
            data.Add(m, n, k, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void DoubleGivesTheBitsOfTheGemm(int m, int n, int k, bool transB)
    {
        var random = new NumpyRandom(11);
        double[] a = Draw(random, (m * k) + 3);
        double[] b = Draw(random, (k * n) + 5);
        var expected = new double[m * n];
        Kernels.Gemm<double>(false, transB, m, n, k, a, k, b, transB ? k : n, expected, n, false);

        var (product, takes) = Into<double>(transB, m, n, k, a, k, b, transB ? k : n);
        Assert.Equal(expected, product);
        Assert.All(takes, count => Assert.Equal(1, count));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void FloatIsCloseToTheExactProduct(int m, int n, int k, bool transB)
    {
        var random = new NumpyRandom(12);
        float[] a = Draw(random, m * k).Select(v => (float)v).ToArray();
        float[] b = Draw(random, k * n).Select(v => (float)v).ToArray();
        var (product, takes) = Into<float>(transB, m, n, k, a, k, b, transB ? k : n);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double exact = 0, size = 0;
                for (int p = 0; p < k; p++)
                {
                    double term = (double)a[(i * k) + p] * (transB ? b[(j * k) + p] : b[(p * n) + j]);
                    exact += term;
                    size += Math.Abs(term);
                }

                Assert.True(Math.Abs(product[(i * n) + j] - exact) <= (1e-6 * size) + 1e-30, $"element ({i}, {j}): {product[(i * n) + j]} against {exact}");
            }
        }

        Assert.All(takes, count => Assert.Equal(1, count));
    }

    [Fact]
    public void ThreadsGiveTheSameBits()
    {
        // The CNN's dH = dY·W12ᵀ: 128 × 10,000 over a depth of 10, large enough to split.
        const int m = 127, n = 10000, k = 10;
        var random = new NumpyRandom(13);
        float[] a = Draw(random, m * k).Select(v => (float)v).ToArray();
        float[] b = Draw(random, n * k).Select(v => (float)v).ToArray();
        float[] Run(int threads)
        {
            using (Parallelism.Use(threads))
            {
                return Into<float>(true, m, n, k, a, k, b, k).Product;
            }
        }

        float[] one = Run(1);
        Assert.Equal(one, Run(2));
        Assert.Equal(one, Run(3));
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        var a = new double[6];
        var b = new double[6];
        var consumer = new Recorder<double>(new double[4], new int[4]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Kernels.GemmInto<double, Recorder<double>>(false, -1, 2, 3, a, 3, b, 2, ref consumer));
        Assert.Throws<ArgumentOutOfRangeException>(() => Kernels.GemmInto<double, Recorder<double>>(false, 2, 2, -3, a, 3, b, 2, ref consumer));
        Assert.Throws<ArgumentOutOfRangeException>("lda", () => Kernels.GemmInto<double, Recorder<double>>(false, 2, 2, 3, a, 2, b, 2, ref consumer));
        var shortA = Assert.Throws<ArgumentException>("a", () => Kernels.GemmInto<double, Recorder<double>>(false, 3, 2, 3, a, 3, b, 2, ref consumer));
        Assert.Contains("needs at least 9", shortA.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("b", () => Kernels.GemmInto<double, Recorder<double>>(true, 2, 3, 3, a, 3, b, 3, ref consumer));
        Assert.Throws<ArgumentException>("n", () => Kernels.GemmInto<double, Recorder<double>>(false, 65536, 65536, 0, a, 0, b, 65536, ref consumer));
        Assert.All(consumer.Takes, count => Assert.Equal(0, count));
    }

    /// <summary>The product through a consumer that stores each element and counts how often each index is taken.</summary>
    private static (T[] Product, int[] Takes) Into<T>(bool transB, int m, int n, int k, T[] a, int lda, T[] b, int ldb)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var consumer = new Recorder<T>(new T[m * n], new int[m * n]);
        Kernels.GemmInto<T, Recorder<T>>(transB, m, n, k, a, lda, b, ldb, ref consumer);
        return (consumer.Product, consumer.Takes);
    }

    private static double[] Draw(NumpyRandom random, int count) =>
        Enumerable.Range(0, count).Select(_ => (random.RandomSample() * 2) - 1).ToArray();

    /// <summary>Stores what it takes and counts the takes per element (each element is taken on one thread).</summary>
    private readonly struct Recorder<T>(T[] product, int[] takes) : IProductConsumer<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T[] Product { get; } = product;

        public int[] Takes { get; } = takes;

        public void Take(int index, Vector<T> value)
        {
            value.CopyTo(Product, index);
            for (int lane = 0; lane < Vector<T>.Count; lane++)
            {
                Takes[index + lane]++;
            }
        }

        public void Take(int index, T value)
        {
            Product[index] = value;
            Takes[index]++;
        }
    }
}
