using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// The direct kernel's register tiles, both plans (<see cref="GemmDirectTiles"/>) at every vector width, against a
/// plain triple loop bit for bit: 1 … 40 rows (every tile height and split of either plan), column counts around the
/// vector widths and the strip widths, depths of 1, 7 and 512 (at 512, every column count but 512 and a selection of
/// the row counts: the depth loop does not depend on them), A plain and transposed, the last columns one vector per
/// row and (A transposed) as their transpose, and the three epilogues (overwrite, accumulate, the SGD step). A is two
/// thirds zeros, and the kernel that skips them (<see cref="GemmZeros.Skip"/>) runs on every shape too. Every run but
/// one prefetches B in the first tile of a strip where the depth is longer than the distance (512), so that the
/// prefetches' addresses, past the strip's end in the last steps, are seen to change nothing; the last run never does.
/// </summary>
/// <remarks>
/// The loop computes what the kernel's contract promises for each element of C: one sum over p in order, started
/// from C when accumulating, each step the fused multiply-add for float (<see cref="float.MultiplyAddEstimate"/>, as
/// the kernel's vectors do) and a rounded product then a rounded sum for double; the SGD step is then C − rate·sum.
/// </remarks>
public sealed class GemmDirectTileTests
{
    private static readonly int[] Columns = [1, 15, 16, 17, 31, 33, 62, 512];

    private static readonly int[] Depths = [1, 7, 512];

    private const int MaxRows = 40;

    /// <summary>The row counts tried at the longest depth (every row count runs at the shorter ones): one to three tiles
    /// of either plan, and the largest.</summary>
    private static readonly int[] LongDepthRows = [1, 2, 3, 5, 6, 7, 8, 9, 12, 13, 16, 17, 24, 25, 33, 40];

    /// <summary>Both plans at every width, the plan's tiles at each; the last n mod W columns by the two strategies
    /// that keep each element's sum in order: one vector per row, and (A stored transposed) the transposed product
    /// (<see cref="GemmDirectTail.Transposed"/> computes a plain A's last columns per row).</summary>
    private static readonly GemmOptions[] Runs =
    [
        .. new[] { GemmDirectTiles.Rows6Vectors2, GemmDirectTiles.Rows8Vectors3 }.SelectMany(tiles =>
            new[] { GemmWidth.Vector128, GemmWidth.Vector256, GemmWidth.Vector512 }.SelectMany(width =>
                new[] { GemmDirectTail.PerRow, GemmDirectTail.Transposed }.Select(tail =>
                    new GemmOptions(Width: width, Kernel: GemmKernel.Direct, Tiles: tiles, Tail: tail)))),
        .. new[] { GemmWidth.Scalar, GemmWidth.Vector128, GemmWidth.Vector256, GemmWidth.Vector512 }.Select(width =>
            new GemmOptions(Width: width, Kernel: GemmKernel.Direct, Tail: GemmDirectTail.PerRow, Zeros: GemmZeros.Skip)),
        new GemmOptions(Width: GemmWidth.Vector512, Kernel: GemmKernel.Direct, Prefetch: GemmPrefetch.Never),
    ];

    public static TheoryData<bool, bool> TypesAndTranspositions => new()
    {
        { false, false }, { false, true }, { true, false }, { true, true },
    };

    [Theory]
    [MemberData(nameof(TypesAndTranspositions))]
    public void EveryTileMatchesThePlainLoopBitForBit(bool single, bool transA)
    {
        if (single)
        {
            Check<float>(transA, 0.125f);
        }
        else
        {
            Check<double>(transA, 0.125);
        }
    }

    /// <summary>
    /// A C narrower than two vectors whose rows follow each other (ldc = n, as a weight matrix's gradient is) and whose A
    /// is stored transposed: computed whole as its transpose and written back a run of rows at a time, stepped a
    /// vector at a time for the SGD step, on one thread and on two (C's rows in bands); bit for bit the plain loop.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ANarrowCWhoseRowsFollowEachOtherMatchesThePlainLoopBitForBit(bool single)
    {
        if (single)
        {
            CheckRuns<float>(0.125f);
        }
        else
        {
            CheckRuns<double>(0.125);
        }
    }

    /// <summary>
    /// A C one to three vectors wide over a plain A whose zeros come in blocks of 16 depth steps, as a CNN's blank
    /// windows give them, with zeros skipped (the rows a few at a time, <c>GemmCore.NarrowRows</c>): 1 … 9 and 37 rows,
    /// depths that end on a block and that do not, a block zero in one row and not in the next, at every width and on
    /// one and three threads; bit for bit the plain loop, overwriting and accumulating (the SGD step, which takes the
    /// strips, too).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ANarrowCOverBlocksOfZerosMatchesThePlainLoopBitForBit(bool single)
    {
        if (single)
        {
            CheckBlocksOfZeros<float>(0.125f);
        }
        else
        {
            CheckBlocksOfZeros<double>(0.125);
        }
    }

    /// <summary>
    /// Where zeros are skipped, the rows of four (<see cref="GemmZeros.SkipBlocks"/>) take a narrow C over a plain A
    /// larger than a core's second-level cache, the CNN's logits, and leave the strips every other product.
    /// </summary>
    [Fact]
    public void TheRowsOfFourTakeTheCnnLogitsAndLeaveSmallerProducts()
    {
        Assert.True(GemmCore.NarrowRowsPay<double>(false, false, 128, 10, 10000, 8));
        Assert.True(GemmCore.NarrowRowsPay<double>(false, false, 500, 10, 10000, 4));
        Assert.True(GemmCore.NarrowRowsPay<float>(false, false, 128, 10, 10000, 8));
        Assert.False(GemmCore.NarrowRowsPay<double>(false, false, 100, 20, 784, 8));
        Assert.False(GemmCore.NarrowRowsPay<float>(false, false, 128, 10, 10000, 16));
        Assert.False(GemmCore.NarrowRowsPay<double>(true, false, 128, 10, 10000, 8));
        Assert.False(GemmCore.NarrowRowsPay<double>(false, true, 128, 10, 10000, 8));
        Assert.False(GemmCore.NarrowRowsPay<double>(false, false, 128, 25, 10000, 8));
    }

    /// <summary>
    /// A weight's update from images, A stored transposed and blank in runs of neighbouring rows of C (pixels), with
    /// zeros skipped: at 512 bits a C four to seven vectors wide (the last one partly) is taken four rows at a time over
    /// every column (<c>GemmCore.WideRows</c>), the others by the strips. 1 … 9 and 37 rows, at every width, on one and
    /// three threads, overwrite, accumulate and the SGD step, bit for bit against the plain loop.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AWideCOverBlankPixelsMatchesThePlainLoopBitForBit(bool single)
    {
        if (single)
        {
            CheckBlankPixels<float>(0.125f);
        }
        else
        {
            CheckBlankPixels<double>(0.125);
        }
    }

    /// <summary>
    /// The four-row tiles over every column take W01's update of the MNIST networks (784 pixels × 100 hidden units:
    /// 6¼ vectors of floats at 512 bits; 12½ of doubles, wider than seven) and four to seven 512-bit vectors of either
    /// type, A stored transposed; not a plain A, three vectors and less, nor 256-bit vectors (16 registers).
    /// </summary>
    [Fact]
    public void TheWideTilesTakeTheWeightsUpdateOfAHundredHiddenUnits()
    {
        Assert.True(GemmCore.WideRowsShape<float>(true, 100, 16));
        Assert.True(GemmCore.WideRowsShape<double>(true, 40, 8));
        Assert.True(GemmCore.WideRowsShape<float>(true, 64, 16));
        Assert.True(GemmCore.WideRowsShape<float>(true, 112, 16));
        Assert.False(GemmCore.WideRowsShape<double>(true, 100, 8));
        Assert.False(GemmCore.WideRowsShape<float>(true, 113, 16));
        Assert.False(GemmCore.WideRowsShape<float>(true, 63, 16));
        Assert.False(GemmCore.WideRowsShape<float>(false, 100, 16));
        Assert.False(GemmCore.WideRowsShape<float>(true, 40, 8));
        Assert.False(GemmCore.WideRowsShape<double>(true, 20, 4));
    }

    /// <summary>A NaN factor alone in a block of zeros is not a zero: its row of C is NaN, the other rows are the plain loop's.</summary>
    [Fact]
    public void ANaNAmongZerosIsNotSkipped()
    {
        const int m = 6, n = 10, k = 64;
        var random = new Random(17);
        double[] a = new double[m * k];
        for (int i = 0; i < m; i++)
        {
            for (int p = 32; p < k; p++)
            {
                a[(i * k) + p] = random.NextDouble() - 0.5;
            }
        }

        a[(2 * k) + 5] = double.NaN;
        double[] b = Fill<double>(random, k * n);
        double[] c = new double[m * n];
        Kernels.Gemm<double>(false, false, m, n, k, a, k, b, n, c, n, false, new GemmOptions(Kernel: GemmKernel.Direct, Zeros: GemmZeros.SkipBlocks));
        a[(2 * k) + 5] = 0;
        double[] expected = PlainLoop(false, m, n, k, a, k, b, null, n);
        for (int i = 0; i < m * n; i++)
        {
            if (i / n == 2)
            {
                Assert.True(double.IsNaN(c[i]), $"C[2, {i % n}] is {c[i]}, not NaN.");
            }
            else
            {
                Assert.Equal(expected[i], c[i]);
            }
        }
    }

    [Fact]
    public void AutoTakesTheTallPlanAtFiveHundredTwelveBits()
    {
        Assert.Equal(GemmDirectTiles.Rows8Vectors3, GemmCore.ResolveTiles<float>(GemmDirectTiles.Auto, 16));
        Assert.Equal(GemmDirectTiles.Rows8Vectors3, GemmCore.ResolveTiles<double>(GemmDirectTiles.Auto, 8));
        Assert.Equal(GemmDirectTiles.Rows6Vectors2, GemmCore.ResolveTiles<float>(GemmDirectTiles.Auto, 8));
        Assert.Equal(GemmDirectTiles.Rows6Vectors2, GemmCore.ResolveTiles<double>(GemmDirectTiles.Auto, 2));
        Assert.Equal(GemmDirectTiles.Rows6Vectors2, GemmCore.ResolveTiles<float>(GemmDirectTiles.Rows6Vectors2, 16));
    }

    private static void Check<T>(bool transA, T rate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(transA ? 11 : 7);
        T[] a = Fill<T>(random, MaxRows * Depths[^1]);
        for (int i = 0; i < a.Length; i++)
        {
            if (random.Next(3) != 0)
            {
                a[i] = T.Zero;
            }
        }

        T[] b = Fill<T>(random, Depths[^1] * Columns[^1]);
        foreach (int k in Depths)
        {
            foreach (int n in Columns.Where(n => n * k < Columns[^1] * Depths[^1]))
            {
                int ldc = n + 1;
                T[] start = Fill<T>(random, MaxRows * ldc);
                foreach (int m in Enumerable.Range(1, MaxRows).Where(m => k < Depths[^1] || LongDepthRows.Contains(m)))
                {
                    int lda = transA ? m : k;
                    T[] fromZero = PlainLoop(transA, m, n, k, a, lda, b, null, ldc);
                    T[] fromC = PlainLoop(transA, m, n, k, a, lda, b, start, ldc);
                    T[] step = new T[m * ldc];
                    for (int i = 0; i < step.Length; i++)
                    {
                        step[i] = i % ldc == n ? start[i] : start[i] - (rate * fromZero[i]);
                    }

                    foreach (GemmOptions options in Runs.Where(o => transA || o.Tail == GemmDirectTail.PerRow))
                    {
                        string context = $"{typeof(T).Name} transA={transA} m={m} n={n} k={k} {options.Tiles} {options.Width} {options.Zeros}";
                        T[] c = Marked(m, n, ldc, start, T.NaN);
                        Kernels.Gemm<T>(transA, false, m, n, k, a, lda, b, n, c, ldc, false, options);
                        AssertBits(fromZero, c, n, ldc, start, context + " overwrite");

                        c = Marked(m, n, ldc, start, null);
                        Kernels.Gemm<T>(transA, false, m, n, k, a, lda, b, n, c, ldc, true, options);
                        AssertBits(fromC, c, n, ldc, start, context + " accumulate");

                        c = Marked(m, n, ldc, start, null);
                        Kernels.GemmSgdStep<T>(transA, false, m, n, k, a, lda, b, n, c, ldc, rate, options);
                        AssertBits(step, c, n, ldc, start, context + " SGD step");
                    }
                }
            }
        }
    }

    private static void CheckRuns<T>(T rate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(5);
        foreach (int m in new[] { 16, 17, 37, 300 })
        {
            foreach (int k in new[] { 7, 128 })
            {
                T[] a = Fill<T>(random, k * m);
                foreach (int n in new[] { 1, 10, 15, 17, 20, 31 })
                {
                    T[] b = Fill<T>(random, k * n);
                    T[] start = Fill<T>(random, m * n);
                    T[] fromZero = PlainLoop(true, m, n, k, a, m, b, null, n);
                    T[] fromC = PlainLoop(true, m, n, k, a, m, b, start, n);
                    T[] step = [.. start.Select((value, i) => value - (rate * fromZero[i]))];
                    foreach (var width in new[] { GemmWidth.Vector256, GemmWidth.Vector512 })
                    {
                        var options = new GemmOptions(Width: width, Kernel: GemmKernel.Direct);
                        foreach (int threads in new[] { 1, 2 })
                        {
                            using var scope = Parallelism.Use(threads);
                            string context = $"{typeof(T).Name} m={m} n={n} k={k} {width} threads={threads}";
                            T[] c = Marked(m, n, n, start, T.NaN);
                            Kernels.Gemm<T>(true, false, m, n, k, a, m, b, n, c, n, false, options);
                            AssertBits(fromZero, c, n, n, start, context + " overwrite");

                            c = [.. start];
                            Kernels.Gemm<T>(true, false, m, n, k, a, m, b, n, c, n, true, options);
                            AssertBits(fromC, c, n, n, start, context + " accumulate");

                            c = [.. start];
                            Kernels.GemmSgdStep<T>(true, false, m, n, k, a, m, b, n, c, n, rate, options);
                            AssertBits(step, c, n, n, start, context + " SGD step");
                        }
                    }
                }
            }
        }
    }

    private static void CheckBlocksOfZeros<T>(T rate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int block = 16;
        var random = new Random(13);
        foreach (var (width, bytes) in new[] { (GemmWidth.Scalar, 0), (GemmWidth.Vector128, 16), (GemmWidth.Vector256, 32), (GemmWidth.Vector512, 64) })
        {
            int lanes = Math.Max(1, bytes / Unsafe.SizeOf<T>());
            var options = new GemmOptions(Width: width, Kernel: GemmKernel.Direct, Tail: GemmDirectTail.PerRow, Zeros: GemmZeros.SkipBlocks);
            foreach (int n in new[] { lanes, lanes + 2, 2 * lanes, (2 * lanes) + 1, 3 * lanes }.Distinct())
            {
                foreach (int k in new[] { 16, 40, 160 })
                {
                    foreach (int m in new[] { 1, 2, 3, 4, 5, 7, 9, 37 })
                    {
                        // Each row's blocks zero at random, a third of the others' factors zero too.
                        T[] a = Fill<T>(random, m * k);
                        for (int i = 0; i < m; i++)
                        {
                            for (int p0 = 0; p0 < k; p0 += block)
                            {
                                bool blank = random.Next(5) < 3;
                                for (int p = p0; p < Math.Min(p0 + block, k); p++)
                                {
                                    if (blank || random.Next(3) == 0)
                                    {
                                        a[(i * k) + p] = T.Zero;
                                    }
                                }
                            }
                        }

                        CheckEpilogues(random, transA: false, m, n, k, a, rate, options, $"{typeof(T).Name} m={m} n={n} k={k} {width}");
                    }
                }
            }
        }
    }

    private static void CheckBlankPixels<T>(T rate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(19);
        foreach (var (width, bytes) in new[] { (GemmWidth.Scalar, 0), (GemmWidth.Vector128, 16), (GemmWidth.Vector256, 32), (GemmWidth.Vector512, 64) })
        {
            int lanes = Math.Max(1, bytes / Unsafe.SizeOf<T>());
            var options = new GemmOptions(Width: width, Kernel: GemmKernel.Direct, Zeros: GemmZeros.Skip);
            foreach (int n in new[] { (3 * lanes) + 1, 4 * lanes, (4 * lanes) + 1, (6 * lanes) + (lanes / 4), (7 * lanes) - 1, 7 * lanes }.Distinct())
            {
                foreach (int k in new[] { 16, 100 })
                {
                    foreach (int m in new[] { 1, 2, 3, 4, 5, 7, 9, 37 })
                    {
                        // A stored k × m: each depth step (an image) blank over runs of rows (pixels), a third of the
                        // rest zero too.
                        T[] a = Fill<T>(random, k * m);
                        for (int p = 0; p < k; p++)
                        {
                            for (int i0 = 0; i0 < m; i0 += 3)
                            {
                                bool blank = random.Next(5) < 3;
                                for (int i = i0; i < Math.Min(i0 + 3, m); i++)
                                {
                                    if (blank || random.Next(3) == 0)
                                    {
                                        a[(p * m) + i] = T.Zero;
                                    }
                                }
                            }
                        }

                        CheckEpilogues(random, transA: true, m, n, k, a, rate, options, $"{typeof(T).Name} m={m} n={n} k={k} {width}");
                    }
                }
            }
        }
    }

    /// <summary>
    /// C = op(<paramref name="a"/>)·B overwritten, accumulated and stepped (SGD) on one and three threads, each bit for
    /// bit against the plain loop; B and C's start drawn from <paramref name="random"/>, C one column wider than n.
    /// </summary>
    private static void CheckEpilogues<T>(Random random, bool transA, int m, int n, int k, T[] a, T rate, GemmOptions options, string shape)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lda = transA ? m : k;
        T[] b = Fill<T>(random, k * n);
        int ldc = n + 1;
        T[] start = Fill<T>(random, m * ldc);
        T[] fromZero = PlainLoop(transA, m, n, k, a, lda, b, null, ldc);
        T[] fromC = PlainLoop(transA, m, n, k, a, lda, b, start, ldc);
        T[] step = new T[m * ldc];
        for (int i = 0; i < step.Length; i++)
        {
            step[i] = i % ldc == n ? start[i] : start[i] - (rate * fromZero[i]);
        }

        foreach (int threads in new[] { 1, 3 })
        {
            using var scope = Parallelism.Use(threads);
            string context = $"{shape} threads={threads}";
            T[] c = Marked(m, n, ldc, start, T.NaN);
            Kernels.Gemm<T>(transA, false, m, n, k, a, lda, b, n, c, ldc, false, options);
            AssertBits(fromZero, c, n, ldc, start, context + " overwrite");

            c = Marked(m, n, ldc, start, null);
            Kernels.Gemm<T>(transA, false, m, n, k, a, lda, b, n, c, ldc, true, options);
            AssertBits(fromC, c, n, ldc, start, context + " accumulate");

            c = Marked(m, n, ldc, start, null);
            Kernels.GemmSgdStep<T>(transA, false, m, n, k, a, lda, b, n, c, ldc, rate, options);
            AssertBits(step, c, n, ldc, start, context + " SGD step");
        }
    }

    /// <summary>C = (from ?? 0) + op(A)·B, one sequential sum per element; the padding column copied from
    /// <paramref name="from"/> (or zero).</summary>
    private static T[] PlainLoop<T>(bool transA, int m, int n, int k, T[] a, int lda, T[] b, T[]? from, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool fused = typeof(T) == typeof(float);
        var c = new T[m * ldc];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = from is null ? T.Zero : from[(i * ldc) + j];
                for (int p = 0; p < k; p++)
                {
                    T left = transA ? a[(p * lda) + i] : a[(i * lda) + p];
                    T right = b[(p * n) + j];
                    sum = fused ? T.MultiplyAddEstimate(left, right, sum) : sum + (left * right);
                }

                c[(i * ldc) + j] = sum;
            }

            if (from is not null && ldc > n)
            {
                c[(i * ldc) + n] = from[(i * ldc) + n];
            }
        }

        return c;
    }

    /// <summary>C as the kernel receives it: <paramref name="start"/>'s values, or <paramref name="fill"/> in the
    /// described elements (NaN: the kernel must not read them); the padding column always <paramref name="start"/>'s.</summary>
    private static T[] Marked<T>(int m, int n, int ldc, T[] start, T? fill)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = new T[m * ldc];
        for (int i = 0; i < c.Length; i++)
        {
            c[i] = fill is { } value && i % ldc != n ? value : start[i];
        }

        return c;
    }

    private static void AssertBits<T>(T[] expected, T[] actual, int n, int ldc, T[] start, string context)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < actual.Length; i++)
        {
            T want = i % ldc == n ? start[i] : expected[i];
            if (!MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in want)).SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in actual[i]))))
            {
                Assert.Fail($"{context}: C[{i / ldc}, {i % ldc}] is {actual[i]}, the plain loop gives {want}.");
            }
        }
    }

    /// <summary>Values uniform in [−0.5, 0.5).</summary>
    internal static T[] Fill<T>(Random random, int length)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        [.. Enumerable.Range(0, length).Select(_ => T.CreateTruncating(random.NextDouble() - 0.5))];
}
