using System.Numerics;
using System.Runtime.CompilerServices;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// Tests of <see cref="Kernels.Gemm{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, bool)"/>
/// against a plain loop: bit for bit in double (the sequential, unfused sum), within a rounding bound in float.
/// </summary>
/// <remarks>
/// Every matrix lies in a larger buffer: its padding columns and the guards around it hold a sentinel, NaN in A and
/// B (reading one would spoil a result) and a marker in C (which must survive). Without accumulation C starts as NaN,
/// since the kernel must not read it then.
/// </remarks>
public sealed class GemmTests
{
    private const int Guard = 8;

    private const double CMarker = 12345.5;

    /// <summary>The small sizes; every (m, n, k) of them is tested.</summary>
    private static readonly int[] SmallSizes = [0, 1, 2, 3, 7, 8, 15, 16, 17];

    /// <summary>Larger shapes, past the vector widths, the micro-tile and (for k) the default depth block.</summary>
    private static readonly (int M, int N, int K)[] LargeShapes =
    [
        (31, 33, 64), (64, 64, 64), (65, 100, 129), (33, 31, 257), (100, 65, 33), (65, 129, 257),
        (257, 17, 33), (17, 257, 65), (1, 257, 129), (257, 1, 129), (1, 129, 257), (129, 1, 257),
        (2, 257, 100), (257, 3, 65), (16, 16, 257), (300, 20, 1), (20, 300, 2),
    ];

    /// <summary>Shapes for the sweep over widths and strategies, with block sizes shrunk so that every block loop
    /// runs several times with a ragged last block.</summary>
    private static readonly (int M, int N, int K)[] SweepShapes =
    [
        (1, 1, 1), (1, 33, 17), (33, 1, 17), (2, 3, 5), (7, 65, 9), (13, 17, 31), (31, 15, 16), (40, 70, 23),
        (65, 33, 3),
    ];

    private static readonly GemmOptions SmallBlocks = new(BlockK: 7, BlockM: 13, BlockN: 40);

    public static TheoryData<bool, bool> Transpositions => new()
    {
        { false, false }, { false, true }, { true, false }, { true, true },
    };

    /// <summary>Every width and kernel, by name (the width enum is internal to the runtime).</summary>
    public static TheoryData<string, string> WidthsAndStrategies
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string width in new[] { nameof(GemmWidth.Scalar), nameof(GemmWidth.Vector128), nameof(GemmWidth.Vector256), nameof(GemmWidth.Vector512) })
            {
                foreach (string strategy in new[] { nameof(GemmKernel.RowByRow), nameof(GemmKernel.ColumnByColumn), nameof(GemmKernel.Packed), nameof(GemmKernel.Direct), nameof(GemmKernel.SplitDepth) })
                {
                    data.Add(width, strategy);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Transpositions))]
    public void DoubleSmallShapesMatchSequentialSumBitForBit(bool transA, bool transB)
    {
        var random = new Random(1);
        foreach (int m in SmallSizes)
        {
            foreach (int n in SmallSizes)
            {
                foreach (int k in SmallSizes)
                {
                    CheckDouble(random, transA, transB, m, n, k, accumulate: (m + n + k) % 2 == 0, default);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Transpositions))]
    public void DoubleLargeShapesMatchSequentialSumBitForBit(bool transA, bool transB)
    {
        var random = new Random(2);
        foreach ((int m, int n, int k) in LargeShapes)
        {
            CheckDouble(random, transA, transB, m, n, k, accumulate: false, default);
            CheckDouble(random, transA, transB, m, n, k, accumulate: true, default);
        }
    }

    [Theory]
    [MemberData(nameof(Transpositions))]
    public void FloatSmallShapesAreWithinRoundingBound(bool transA, bool transB)
    {
        var random = new Random(3);
        foreach (int m in SmallSizes)
        {
            foreach (int n in SmallSizes)
            {
                foreach (int k in SmallSizes)
                {
                    CheckFloat(random, transA, transB, m, n, k, accumulate: (m + n + k) % 2 == 1, default);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Transpositions))]
    public void FloatLargeShapesAreWithinRoundingBound(bool transA, bool transB)
    {
        var random = new Random(4);
        foreach ((int m, int n, int k) in LargeShapes)
        {
            CheckFloat(random, transA, transB, m, n, k, accumulate: false, default);
            CheckFloat(random, transA, transB, m, n, k, accumulate: true, default);
        }
    }

    [Theory]
    [MemberData(nameof(WidthsAndStrategies))]
    public void EveryWidthAndStrategyIsCorrect(string width, string strategy)
    {
        // Vector512 runs in software where the hardware lacks it: slow, but the same results.
        var random = new Random(5);
        GemmOptions options = SmallBlocks with
        {
            Width = Enum.Parse<GemmWidth>(width),
            Kernel = Enum.Parse<GemmKernel>(strategy),
        };
        foreach ((int m, int n, int k) in SweepShapes)
        {
            foreach ((bool transA, bool transB) in new[] { (false, false), (false, true), (true, false), (true, true) })
            {
                bool accumulate = (m + k) % 2 == 0;
                CheckDouble(random, transA, transB, m, n, k, accumulate, options);
                CheckFloat(random, transA, transB, m, n, k, !accumulate, options);
            }
        }
    }

    /// <summary>The networks' products (and ragged neighbours of them), at 1 to 4 threads. A transposed B split by
    /// columns is copied by the bands, each its own columns; split by rows, or not split, whole before.</summary>
    public static TheoryData<bool, bool, int, int, int> NetworkShapes => new()
    {
        { false, false, 100, 100, 784 }, // a batch of 100 times W01
        { true, false, 784, 100, 100 }, // xᵀ·δ summed over the batch
        { false, true, 100, 100, 10 }, // δ·W12ᵀ
        { false, false, 2000, 16, 9 }, // the convolution's [positions×9]·[9×16]
        { true, false, 9, 16, 5000 }, // the kernel gradient over the positions
        { false, false, 37, 41, 300 }, // nothing lines up
        { false, true, 20, 3000, 7 }, // few rows, many columns
        { false, true, 128, 10000, 10 }, // the CNN's dY·W12ᵀ: the bands copy their own columns of op(B)
        { false, true, 50, 1001, 33 }, // the same, bands and blocks ragged
    };

    [Theory]
    [MemberData(nameof(NetworkShapes))]
    public void EveryThreadCountGivesTheSameBits(bool transA, bool transB, int m, int n, int k)
    {
        var random = new Random(m + n + k);
        float[] a = RandomArray(random, m * k);
        float[] b = RandomArray(random, k * n);
        double[] aDouble = Array.ConvertAll(a, x => (double)x);
        double[] bDouble = Array.ConvertAll(b, x => (double)x);
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        float[] start = RandomArray(random, m * n);
        float[] other = RandomArray(random, k * n);
        (float[] Float, double[] Double, float[] Step) Run(int threads)
        {
            var c = new float[m * n];
            var cDouble = new double[m * n];
            var step = (float[])start.Clone();
            using (Parallelism.Use(1))
            {
                // Another B first, on one thread, whose copy of op(B) fills the scratch memory whole: no copy an earlier
                // run left behind can stand in for a part of this one's that a band failed to make.
                Kernels.Gemm<float>(transA, transB, m, n, k, a, lda, other, ldb, c, n, false);
                Kernels.Gemm<double>(transA, transB, m, n, k, aDouble, lda, Array.ConvertAll(other, x => (double)x), ldb, cDouble, n, false);
            }

            using (Parallelism.Use(threads))
            {
                Kernels.Gemm<float>(transA, transB, m, n, k, a, lda, b, ldb, c, n, false);
                Kernels.Gemm<double>(transA, transB, m, n, k, aDouble, lda, bDouble, ldb, cDouble, n, false);
                Kernels.GemmSgdStep<float>(transA, transB, m, n, k, a, lda, b, ldb, step, n, 0.01f);
                return (c, cDouble, step);
            }
        }

        var one = Run(1);
        foreach (int threads in new[] { 2, 3, 4 })
        {
            var several = Run(threads);
            Assert.Equal(one.Float, several.Float);
            Assert.Equal(one.Double, several.Double);
            Assert.Equal(one.Step, several.Step);
        }
    }

    [Fact]
    public void EveryKernelGivesTheSequentialSumInDouble()
    {
        var random = new Random(11);
        foreach (GemmKernel kernel in Enum.GetValues<GemmKernel>())
        {
            foreach ((int m, int n, int k) in new[] { (13, 37, 40), (40, 5, 3000), (2, 70, 9) })
            {
                double[] a = Array.ConvertAll(RandomArray(random, m * k), x => (double)x * 1e3);
                double[] b = Array.ConvertAll(RandomArray(random, k * n), x => (double)x);
                var c = new double[m * n];
                Kernels.Gemm<double>(kernel, true, false, m, n, k, a, m, b, n, c, n, false);
                for (int i = 0; i < m * n; i++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++)
                    {
                        sum += a[(p * m) + (i / n)] * b[(p * n) + (i % n)];
                    }

                    Assert.Equal(sum, c[i]);
                }
            }
        }
    }

    [Fact]
    public void AnUnknownKernelIsRefused() =>
        Assert.Equal("kernel", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Kernels.Gemm<float>((GemmKernel)99, false, false, 1, 1, 1, [1f], 1, [1f], 1, new float[1], 1, false)).ParamName);

    [Theory]
    [InlineData(false, false, 1, 100, 784, GemmKernel.RowByRow)]
    [InlineData(false, false, 100, 1, 784, GemmKernel.ColumnByColumn)]
    [InlineData(false, false, 100, 100, 784, GemmKernel.SplitDepth)]
    [InlineData(false, false, 100, 100, 399, GemmKernel.Direct)]
    [InlineData(false, false, 32, 512, 512, GemmKernel.Direct)]
    [InlineData(true, false, 784, 100, 100, GemmKernel.Direct)]
    [InlineData(true, false, 9, 16, 80000, GemmKernel.SplitDepth)]
    [InlineData(false, false, 2048, 2048, 2048, GemmKernel.Packed)]
    public void AutoChoosesByShape(bool transA, bool transB, int m, int n, int k, GemmKernel expected)
    {
        // Without hardware vectors every product of several rows and columns is packed.
        if (!System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated && m > 1 && n > 1)
        {
            expected = GemmKernel.Packed;
        }

        Assert.Equal(expected, Kernels.ChooseGemmKernel<float>(transA, transB, m, n, k));
    }

    /// <summary>
    /// A C narrower than a vector is not split in depth halves: its columns are all last columns, which the direct
    /// tiles compute as dot products over a long depth (the CNN's h·W12, [128×10000]·[10000×10]). The width is the
    /// processor's: ten columns are a 256-bit vector and more.
    /// </summary>
    [Fact]
    public void ACNarrowerThanAVectorIsNotSplitInHalves()
    {
        Assert.Equal(GemmKernel.Direct, GemmCore.ChooseKernel<float>(false, false, 128, 10, 10000, 16, halvedWide: true));
        Assert.Equal(GemmKernel.SplitDepth, GemmCore.ChooseKernel<float>(false, false, 128, 16, 10000, 16, halvedWide: true));
        Assert.Equal(GemmKernel.SplitDepth, GemmCore.ChooseKernel<float>(false, false, 128, 10, 10000, 8, halvedWide: false));
        Assert.Equal(GemmKernel.Direct, GemmCore.ChooseKernel<float>(false, false, 200, 7, 10000, 8, halvedWide: false));
    }

    /// <summary>
    /// A product whose every dimension reaches the packing size is packed, except on a core that halves 512-bit
    /// multiply-adds, at the 512-bit width, where B fits the caches (at most 2²⁰ elements) and a transposed A's depth
    /// is at most 1024: there the direct tiles are faster.
    /// </summary>
    [Theory]
    [InlineData(false, false, 512, 512, 512, GemmKernel.Direct)]
    [InlineData(false, false, 384, 512, 512, GemmKernel.Direct)]
    [InlineData(false, true, 1024, 1024, 1024, GemmKernel.Direct)]
    [InlineData(true, false, 512, 512, 1024, GemmKernel.Direct)]
    [InlineData(true, false, 512, 512, 1025, GemmKernel.Packed)]
    [InlineData(false, false, 1024, 1024, 1025, GemmKernel.Packed)]
    [InlineData(false, false, 2048, 2048, 2048, GemmKernel.Packed)]
    public void LargeProductsTakeTheDirectTilesWhereTheCoreHalvesWideMultiplyAdds(bool transA, bool transB, int m, int n, int k, GemmKernel halved)
    {
        Assert.Equal(GemmKernel.Packed, GemmCore.ChooseKernel<float>(transA, transB, m, n, k, 16, halvedWide: false));
        Assert.Equal(halved, GemmCore.ChooseKernel<float>(transA, transB, m, n, k, 16, halvedWide: true));

        // The rule reads the vector's width in bytes: 8 floats (256 bits) keep the packed kernel, 8 doubles (512 bits)
        // take the rule, 4 doubles do not.
        Assert.Equal(GemmKernel.Packed, GemmCore.ChooseKernel<float>(transA, transB, m, n, k, 8, halvedWide: true));
        Assert.Equal(halved, GemmCore.ChooseKernel<double>(transA, transB, m, n, k, 8, halvedWide: true));
        Assert.Equal(GemmKernel.Packed, GemmCore.ChooseKernel<double>(transA, transB, m, n, k, 4, halvedWide: true));
    }

    /// <summary>
    /// The last n mod W columns of a single-precision product whose A is stored plainly, as dot products along the
    /// depth (<see cref="GemmDirectTail.DotProducts"/>): at every width, tails of one column to half a vector and wider
    /// ones (in groups of four), depths with and without a last partial vector, row counts that leave a short group of
    /// four, from zero and accumulating, B plain and transposed.
    /// </summary>
    [Theory]
    [InlineData(nameof(GemmWidth.Vector128))]
    [InlineData(nameof(GemmWidth.Vector256))]
    [InlineData(nameof(GemmWidth.Vector512))]
    public void FloatDotProductTailsAreWithinRoundingBound(string width)
    {
        var random = new Random(12);
        var options = new GemmOptions(Width: Enum.Parse<GemmWidth>(width), Kernel: GemmKernel.Direct, Tail: GemmDirectTail.DotProducts);
        int w = GemmCore.VectorCount<float>(options.Width);
        foreach (int n in new[] { 1, w / 2, (w / 2) + 2, w + 3, (2 * w) + 1, 100 })
        {
            foreach (int m in new[] { 1, 6, 13 })
            {
                foreach (int k in new[] { 4 * w, (4 * w) + 3, 200 })
                {
                    CheckFloat(random, false, (m + k) % 2 == 0, m, n, k, accumulate: false, options);
                    CheckFloat(random, false, (m + k) % 2 == 1, m, n, k, accumulate: true, options);
                }
            }
        }
    }

    /// <summary>
    /// The columns of a dot-product tail come in tiles of 5 where that repeats fewer columns than tiles of 4 (ten
    /// columns: two tiles of 5), and a tile's shape changes no element's sum: each column of a ten-column tail has the
    /// bits of the same column computed in a tail of its own tile of 4 (512-bit vectors, so that all ten columns are the
    /// tail).
    /// </summary>
    [Fact]
    public void DotProductTilesOfFiveGiveTheSumsOfTilesOfFour()
    {
        Assert.Equal(5, GemmCore.DotTileColumns(10));
        Assert.Equal(4, GemmCore.DotTileColumns(4));
        Assert.Equal(4, GemmCore.DotTileColumns(8));
        Assert.Equal(5, GemmCore.DotTileColumns(5));

        var options = new GemmOptions(Width: GemmWidth.Vector512, Kernel: GemmKernel.Direct, Tail: GemmDirectTail.DotProducts);
        int w = GemmCore.VectorCount<float>(options.Width);
        Assert.Equal(16, w);
        var random = new Random(31);
        const int m = 13, n = 10;
        int k = (8 * w) + 3;
        float[] a = Enumerable.Range(0, m * k).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        float[] b = Enumerable.Range(0, k * n).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var ten = new float[m * n];
        Kernels.Gemm<float>(false, false, m, n, k, a, k, b, n, ten, n, false, options);
        for (int first = 0; first < n; first += 4)
        {
            // Columns first … first + 3 (fewer at the end) as a product of their own, ldb = n reading B in place.
            int columns = Math.Min(4, n - first);
            var four = new float[m * columns];
            Kernels.Gemm<float>(false, false, m, columns, k, a, k, b.AsSpan(first), n, four, columns, false, options);
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    Assert.Equal(BitConverter.SingleToInt32Bits(four[(i * columns) + j]), BitConverter.SingleToInt32Bits(ten[(i * n) + first + j]));
                }
            }
        }
    }

    /// <summary>
    /// A dot-product tail over a depth of several blocks (the rows' blocks of 512 that every group of columns runs
    /// over in turn) keeps each accumulator's order of one pass: each element is, bit for bit, the sum of the lanes of
    /// one vector accumulator that took every whole vector of the depth in order, plus the last elements one by one,
    /// on one thread and on two; the CNN's ten columns over 10,000, and depths that end inside a block.
    /// </summary>
    [Theory]
    [InlineData(10, 10000)]
    [InlineData(10, 1283)]
    [InlineData(4, 1030)]
    public void ADotProductTailOverBlocksOfTheDepthSumsAsOnePass(int n, int k)
    {
        var options = new GemmOptions(Width: GemmWidth.Vector512, Kernel: GemmKernel.Direct, Tail: GemmDirectTail.DotProducts);
        var random = new Random(n + k);
        const int m = 7;
        float[] a = [.. Enumerable.Range(0, m * k).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        float[] b = [.. Enumerable.Range(0, k * n).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        int vectorDepth = k - (k % 16);
        var expected = new float[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                var accumulator = System.Runtime.Intrinsics.Vector512<float>.Zero;
                for (int p = 0; p < vectorDepth; p += 16)
                {
                    var row = System.Runtime.Intrinsics.Vector512.Create(a.AsSpan((i * k) + p, 16));
                    var column = System.Runtime.Intrinsics.Vector512.Create(Enumerable.Range(p, 16).Select(q => b[(q * n) + j]).ToArray());
                    accumulator = System.Runtime.Intrinsics.Vector512.MultiplyAddEstimate(row, column, accumulator);
                }

                float sum = System.Runtime.Intrinsics.Vector512.Sum(accumulator);
                for (int p = vectorDepth; p < k; p++)
                {
                    sum = MathF.FusedMultiplyAdd(a[(i * k) + p], b[(p * n) + j], sum);
                }

                expected[(i * n) + j] = sum;
            }
        }

        foreach (int threads in new[] { 1, 2 })
        {
            using var scope = Parallelism.Use(threads);
            var c = new float[m * n];
            Kernels.Gemm<float>(false, false, m, n, k, a, k, b, n, c, n, false, options);
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), c.Select(BitConverter.SingleToInt32Bits));
        }
    }

    [Fact]
    public void AutoChoosesTheLastColumnsStrategyByShape()
    {
        // Arguments: the strategy asked for, A transposed, C's rows, the last columns, the depth, the vector width.
        Assert.Equal(GemmDirectTail.DotProducts, GemmCore.ChooseTail<float>(GemmDirectTail.Auto, false, 100, 4, 784, 16));
        Assert.Equal(GemmDirectTail.PerRow, GemmCore.ChooseTail<float>(GemmDirectTail.Auto, false, 16, 4, 784, 16));
        Assert.Equal(GemmDirectTail.PerRow, GemmCore.ChooseTail<float>(GemmDirectTail.Auto, false, 100, 10, 784, 16));
        Assert.Equal(GemmDirectTail.DotProducts, GemmCore.ChooseTail<float>(GemmDirectTail.Auto, false, 128, 10, 10000, 16));
        Assert.Equal(GemmDirectTail.PerRow, GemmCore.ChooseTail<float>(GemmDirectTail.Auto, false, 128, 11, 10000, 16));
        Assert.Equal(GemmDirectTail.PerRow, GemmCore.ChooseTail<float>(GemmDirectTail.Auto, false, 128, 10, 1023, 16));
        Assert.Equal(GemmDirectTail.PerRow, GemmCore.ChooseTail<float>(GemmDirectTail.Auto, false, 100, 10, 100, 16));
        Assert.Equal(GemmDirectTail.PerRow, GemmCore.ChooseTail<float>(GemmDirectTail.Auto, false, 100, 4, 63, 16));
        Assert.Equal(GemmDirectTail.PerRow, GemmCore.ChooseTail<double>(GemmDirectTail.Auto, false, 100, 4, 784, 8));
        Assert.Equal(GemmDirectTail.Transposed, GemmCore.ChooseTail<float>(GemmDirectTail.Auto, true, 784, 4, 100, 16));
        Assert.Equal(GemmDirectTail.Transposed, GemmCore.ChooseTail<double>(GemmDirectTail.Auto, true, 784, 4, 100, 8));
        Assert.Equal(GemmDirectTail.PerRow, GemmCore.ChooseTail<float>(GemmDirectTail.Transposed, false, 100, 4, 784, 16));
        Assert.Equal(GemmDirectTail.PerRow, GemmCore.ChooseTail<double>(GemmDirectTail.DotProducts, false, 100, 4, 784, 8));
    }

    /// <summary>
    /// A single-precision product whose depth is long against its rows (a batch times a weight matrix) is split in
    /// two halves that meet at row 384 of the 784 (where two threads split the rows of the weights' 784-row update):
    /// C is the first half's product plus the second's, each computed by the direct kernel, on any thread count;
    /// accumulating adds them to C in that order, and the SGD step subtracts rate times their sum.
    /// </summary>
    [Fact]
    public void DepthHalvesAddTheTwoHalvesProducts()
    {
        const int m = 100, n = 100, k = 784, half = 384;
        var random = new Random(21);
        float[] a = RandomArray(random, m * k);
        float[] b = RandomArray(random, k * n);
        float[] start = RandomArray(random, m * n);
        Assert.Equal(GemmKernel.SplitDepth, Kernels.ChooseGemmKernel<float>(false, false, m, n, k));
        Assert.Equal(half, GemmCore.SplitDepthChunkStart(k, 1));

        var direct = new GemmOptions(Kernel: GemmKernel.Direct);
        var first = new float[m * n];
        var second = new float[m * n];
        Kernels.Gemm<float>(false, false, m, n, half, a, k, b, n, first, n, false, direct);
        Kernels.Gemm<float>(false, false, m, n, k - half, a.AsSpan(half), k, b.AsSpan(half * n), n, second, n, false, direct);
        for (int threads = 1; threads <= 3; threads++)
        {
            using (Parallelism.Use(threads))
            {
                var c = new float[m * n];
                var accumulated = (float[])start.Clone();
                var stepped = (float[])start.Clone();
                Kernels.Gemm<float>(false, false, m, n, k, a, k, b, n, c, n, false);
                Kernels.Gemm<float>(false, false, m, n, k, a, k, b, n, accumulated, n, true);
                Kernels.GemmSgdStep<float>(false, false, m, n, k, a, k, b, n, stepped, n, 0.01f);
                for (int i = 0; i < m * n; i++)
                {
                    Assert.Equal(first[i] + second[i], c[i]);
                    Assert.Equal(start[i] + first[i] + second[i], accumulated[i]);
                    Assert.Equal(start[i] - (0.01f * (first[i] + second[i])), stepped[i]);
                }
            }
        }
    }

    [Fact]
    public void AutoNeverSplitsTheDepthInDouble() =>
        Assert.Equal(System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated ? GemmKernel.Direct : GemmKernel.Packed,
            Kernels.ChooseGemmKernel<double>(true, false, 9, 16, 80000));

    [Fact]
    public void DoubleAcrossDefaultDepthBlocksKeepsOneRunningSum()
    {
        // Large k with values of very different magnitudes: any reordering or fusing of the sum shows.
        var random = new Random(6);
        CheckDouble(random, false, false, 13, 37, 1100, accumulate: true, default);
        CheckDouble(random, true, true, 37, 13, 1100, accumulate: false, default);
    }

    [Fact]
    public void DoubleIsUnfused()
    {
        // 1 + 2⁻³⁰ squared is 1 + 2⁻²⁹ + 2⁻⁶⁰: a fused multiply-add keeps the last term, separate rounding drops it.
        double x = 1 + Math.ScaleB(1, -30);
        double[] a = [x, x];
        double[] b = [x, x];
        double[] c = [-(1 + Math.ScaleB(1, -29))];
        Kernels.Gemm(false, false, 1, 1, 1, a, 1, b, 1, c, 1, accumulate: true);
        Assert.Equal(0.0, c[0]);
    }

    [Fact]
    public void HalfUsesTheSequentialSum()
    {
        var random = new Random(7);
        foreach ((int m, int n, int k) in new[] { (5, 7, 9), (20, 3, 40), (1, 9, 33), (9, 1, 33) })
        {
            Matrix<Half> a = Matrix<Half>.Random(random, m, k, 1, Half.NaN);
            Matrix<Half> b = Matrix<Half>.Random(random, k, n, 0, Half.NaN);
            Matrix<Half> c = Matrix<Half>.Random(random, m, n, 2, (Half)CMarker);
            Half[] expected = Reference(false, false, m, n, k, a, b, c, accumulate: true);
            Kernels.Gemm(false, false, m, n, k, a.Span, a.Ld, b.Span, b.Ld, c.Span, c.Ld, accumulate: true);
            c.AssertGuardsIntact($"Half {m}×{n}×{k}");
            for (int i = 0; i < m * n; i++)
            {
                Assert.Equal(expected[i], c[i / n, i % n]);
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void VectorTimesMatrixWithZeroFactorsMatchesSequentialSumBitForBit(bool accumulate)
    {
        // An image row: runs of blank pixels (whole groups of four and single ones) between inked ones.
        const int k = 61;
        const int n = 37;
        var random = new Random(9);
        double[] x = Enumerable.Range(0, k).Select(p => p is < 12 or (> 30 and < 37) or 45 ? 0.0 : random.NextDouble()).ToArray();
        double[] matrix = Enumerable.Range(0, k * n).Select(_ => random.NextDouble() - 0.5).ToArray();
        double[] y = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var expected = new double[n];
        for (int j = 0; j < n; j++)
        {
            double sum = accumulate ? y[j] : 0;
            for (int p = 0; p < k; p++)
            {
                sum += x[p] * matrix[(p * n) + j];
            }

            expected[j] = sum;
        }

        Kernels.Gemm<double>(false, false, 1, n, k, x, k, matrix, n, y, n, accumulate);

        Assert.Equal(expected, y);
    }

    [Fact]
    public void ZeroDepthClearsOrKeepsC()
    {
        float[] c = [1, 2, 99, 3, 4, 99];
        Kernels.Gemm<float>(false, false, 2, 2, 0, [], 0, [], 2, c, 3, accumulate: true);
        Assert.Equal([1, 2, 99, 3, 4, 99], c);
        Kernels.Gemm<float>(false, false, 2, 2, 0, [], 0, [], 2, c, 3, accumulate: false);
        Assert.Equal([0, 0, 99, 0, 0, 99], c);
    }

    [Fact]
    public void SteadyStateCallsDoNotAllocate()
    {
        var random = new Random(8);
        foreach ((int m, int n, int k, bool transA, bool transB) in new[]
                 {
                     (70, 90, 300, false, false), (1, 90, 300, true, true), (90, 1, 300, false, false), (9, 9, 9, true, false),
                 })
        {
            float[] a = RandomArray(random, m * k);
            float[] b = RandomArray(random, k * n);
            float[] c = new float[m * n];
            int lda = transA ? m : k;
            int ldb = transB ? k : n;
            Kernels.Gemm<float>(transA, transB, m, n, k, a, lda, b, ldb, c, n, false);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 5; i++)
            {
                Kernels.Gemm<float>(transA, transB, m, n, k, a, lda, b, ldb, c, n, true);
            }

            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }
    }

    [Fact]
    public void NegativeSizesThrow()
    {
        float[] x = new float[16];
        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Kernels.Gemm<float>(false, false, -1, 2, 2, x, 2, x.AsSpan(4), 2, new float[4], 2, false)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Kernels.Gemm<float>(false, false, 2, -1, 2, x, 2, x.AsSpan(4), 2, new float[4], 2, false)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Kernels.Gemm<float>(false, false, 2, 2, -1, x, 2, x.AsSpan(4), 2, new float[4], 2, false)).ParamName);
    }

    [Theory]
    [InlineData(false, false, "lda", 1, 5, 5, 3)] // A is 4×3: lda ≥ 3
    [InlineData(true, false, "lda", 3, 3, 5, 4)] // A stored 3×4: lda ≥ 4
    [InlineData(false, false, "ldb", 3, 4, 5, 5)] // B is 3×5: ldb ≥ 5
    [InlineData(false, true, "ldb", 3, 2, 5, 3)] // B stored 5×3: ldb ≥ 3
    [InlineData(false, false, "ldc", 3, 5, 4, 5)] // C is 4×5: ldc ≥ 5
    public void SmallLeadingDimensionsThrow(bool transA, bool transB, string name, int lda, int ldb, int ldc,
        int minimum)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => Kernels.Gemm<double>(transA, transB, 4, 5, 3,
            new double[64], lda, new double[64], ldb, new double[64], ldc, false));
        Assert.Equal(name, exception.ParamName);
        Assert.Contains($"at least {minimum}", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false, "a", 23, 17, 23, 24)] // A 4×3 with lda 7: 3·7 + 3
    [InlineData(true, false, "a", 17, 17, 23, 18)] // A stored 3×4 with lda 7: 2·7 + 4
    [InlineData(false, false, "b", 24, 16, 23, 17)] // B 3×5 with ldb 6: 2·6 + 5
    [InlineData(false, true, "b", 24, 26, 23, 27)] // B stored 5×3 with ldb 6: 4·6 + 3
    [InlineData(false, false, "c", 24, 17, 22, 23)] // C 4×5 with ldc 6: 3·6 + 5
    public void ShortSpansThrow(bool transA, bool transB, string name, int aLength, int bLength, int cLength,
        int minimum)
    {
        var exception = Assert.Throws<ArgumentException>(() => Kernels.Gemm<float>(transA, transB, 4, 5, 3,
            new float[aLength], 7, new float[bLength], 6, new float[cLength], 6, false));
        Assert.Equal(name, exception.ParamName);
        Assert.Contains($"at least {minimum}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OverlappingOutputThrows()
    {
        float[] buffer = new float[32];
        var exception = Assert.Throws<ArgumentException>(() =>
            Kernels.Gemm<float>(false, false, 2, 2, 2, buffer, 2, buffer.AsSpan(8), 2, buffer.AsSpan(2), 2, false));
        Assert.Equal("c", exception.ParamName);

        // Spans that share a buffer but not the elements the matrices use are fine.
        float[] shared = [1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0];
        Kernels.Gemm<float>(false, false, 2, 2, 2, shared, 2, shared.AsSpan(4), 2, shared.AsSpan(8), 2, false);
        Assert.Equal([19, 22, 43, 50], shared[8..]);
    }

    /// <summary>Runs one double GEMM and compares it bit for bit with the sequential unfused sum.</summary>
    private static void CheckDouble(Random random, bool transA, bool transB, int m, int n, int k, bool accumulate,
        GemmOptions options)
    {
        (Matrix<double> a, Matrix<double> b, Matrix<double> c) = Operands(random, transA, transB, m, n, k, accumulate,
            double.NaN, CMarker);
        double[] expected = Reference(transA, transB, m, n, k, a, b, c, accumulate);
        Kernels.Gemm(transA, transB, m, n, k, a.Span, a.Ld, b.Span, b.Ld, c.Span, c.Ld, accumulate, options);
        string context = Describe("double", transA, transB, m, n, k, accumulate, options);
        c.AssertGuardsIntact(context);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double actual = c[i, j];
                if (BitConverter.DoubleToInt64Bits(actual) != BitConverter.DoubleToInt64Bits(expected[(i * n) + j]))
                {
                    Assert.Fail($"{context}: C[{i},{j}] = {actual:R}, expected {expected[(i * n) + j]:R}.");
                }
            }
        }
    }

    /// <summary>Runs one float GEMM and compares it with the exact sum, within the rounding bound of a k-term dot
    /// product: (k + 2)·2u·(|c| + Σ|a·b|) with u = 2⁻²⁴.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CheckFloat(Random random, bool transA, bool transB, int m, int n, int k, bool accumulate,
        GemmOptions options)
    {
        (Matrix<float> a, Matrix<float> b, Matrix<float> c) = Operands(random, transA, transB, m, n, k, accumulate,
            float.NaN, (float)CMarker);
        string context = Describe("float", transA, transB, m, n, k, accumulate, options);
        var expected = new double[m * n];
        var magnitude = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[i, j] : 0;
                double size = Math.Abs(sum);
                for (int p = 0; p < k; p++)
                {
                    double product = (double)a.At(transA, i, p) * b.At(transB, p, j);
                    sum += product;
                    size += Math.Abs(product);
                }

                expected[(i * n) + j] = sum;
                magnitude[(i * n) + j] = size;
            }
        }

        Kernels.Gemm(transA, transB, m, n, k, a.Span, a.Ld, b.Span, b.Ld, c.Span, c.Ld, accumulate, options);
        c.AssertGuardsIntact(context);
        double unit = Math.ScaleB(1, -24);
        for (int i = 0; i < m * n; i++)
        {
            double actual = c[i / n, i % n];
            double bound = (k + 2) * 2 * unit * magnitude[i];
            if (!(Math.Abs(actual - expected[i]) <= bound))
            {
                Assert.Fail($"{context}: C[{i / n},{i % n}] = {actual:R}, expected {expected[i]:R} ± {bound:G3}.");
            }
        }
    }

    /// <summary>Random operands in padded storage: A, B with NaN padding; C with marker padding and, unless
    /// accumulating, NaN contents.</summary>
    private static (Matrix<T> A, Matrix<T> B, Matrix<T> C) Operands<T>(Random random, bool transA, bool transB,
        int m, int n, int k, bool accumulate, T nan, T marker)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Matrix<T> a = Matrix<T>.Random(random, transA ? k : m, transA ? m : k, random.Next(3), nan);
        Matrix<T> b = Matrix<T>.Random(random, transB ? n : k, transB ? k : n, random.Next(3), nan);
        Matrix<T> c = Matrix<T>.Random(random, m, n, random.Next(3), marker);
        if (!accumulate)
        {
            c.Fill(nan);
        }

        return (a, b, c);
    }

    /// <summary>The sequential sum s = (accumulate ? c : 0); s = s + a(i,p)·b(p,j), in <typeparamref name="T"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static T[] Reference<T>(bool transA, bool transB, int m, int n, int k, Matrix<T> a, Matrix<T> b,
        Matrix<T> c, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var expected = new T[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = accumulate ? c[i, j] : T.Zero;
                for (int p = 0; p < k; p++)
                {
                    T product = a.At(transA, i, p) * b.At(transB, p, j);
                    sum += product;
                }

                expected[(i * n) + j] = sum;
            }
        }

        return expected;
    }

    private static string Describe(string type, bool transA, bool transB, int m, int n, int k, bool accumulate,
        GemmOptions options) =>
        $"{type} {(transA ? "Aᵀ" : "A")}·{(transB ? "Bᵀ" : "B")} m={m} n={n} k={k} accumulate={accumulate} {options}";

    private static float[] RandomArray(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    /// <summary>A row-major matrix inside a larger buffer, whose padding and guards hold a sentinel.</summary>
    private sealed class Matrix<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly T[] buffer;
        private readonly T sentinel;
        private readonly int rows;
        private readonly int columns;

        private Matrix(int rows, int columns, int padding, T sentinel)
        {
            this.rows = rows;
            this.columns = columns;
            this.sentinel = sentinel;
            Ld = columns + padding;
            Length = rows == 0 || columns == 0 ? 0 : ((rows - 1) * Ld) + columns;
            buffer = new T[Length + (2 * Guard)];
            Array.Fill(buffer, sentinel);
        }

        /// <summary>The leading dimension.</summary>
        public int Ld { get; }

        /// <summary>The number of elements the matrix spans.</summary>
        public int Length { get; }

        /// <summary>Exactly the span the matrix covers.</summary>
        public Span<T> Span => buffer.AsSpan(Guard, Length);

        public T this[int row, int column] => buffer[Guard + (row * Ld) + column];

        /// <summary>Random elements of widely spread magnitudes, so that reordered or fused sums differ.</summary>
        public static Matrix<T> Random(Random random, int rows, int columns, int padding, T sentinel)
        {
            var matrix = new Matrix<T>(rows, columns, padding, sentinel);
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < columns; j++)
                {
                    double value = ((random.NextDouble() * 2) - 1) * Math.ScaleB(1, random.Next(-4, 5));
                    matrix.buffer[Guard + (i * matrix.Ld) + j] = T.CreateTruncating(value);
                }
            }

            return matrix;
        }

        /// <summary>Element (i, p) of op(this): this[i, p], or this[p, i] when transposed.</summary>
        public T At(bool transposed, int i, int p) => transposed ? this[p, i] : this[i, p];

        /// <summary>Sets every element of the matrix (not its padding).</summary>
        public void Fill(T value)
        {
            for (int i = 0; i < rows && columns > 0; i++)
            {
                buffer.AsSpan(Guard + (i * Ld), columns).Fill(value);
            }
        }

        /// <summary>Asserts that the padding and guards still hold the sentinel.</summary>
        public void AssertGuardsIntact(string context)
        {
            for (int index = 0; index < buffer.Length; index++)
            {
                int offset = index - Guard;
                bool inside = offset >= 0 && offset < Length && offset % Ld < columns;
                if (!inside && !buffer[index].Equals(sentinel))
                {
                    Assert.Fail($"{context}: the element at offset {offset} outside the matrix was overwritten.");
                }
            }
        }
    }
}
