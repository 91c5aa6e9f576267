using System.Numerics;
using System.Runtime.InteropServices;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// The direct kernel's skipping of op(A)'s zeros (<see cref="GemmZeros"/>) on the MNIST networks' two products with
/// the images: when it is chosen, that it gives the dense kernel's bits at every thread count, and that a NaN in A is
/// not skipped. (<see cref="GemmDirectTileTests"/> checks the tiles skipping zeros against the plain loop on every
/// shape.)
/// </summary>
public sealed class GemmSkipZerosTests
{
    /// <summary>The forward product of a batch of 100 images: [100×784]·[784×100].</summary>
    private const int Batch = 100;

    private const int Pixels = 784;

    private const int Hidden = 100;

    [Fact]
    public void AutoSkipsWhereTilesOfEightRowsWouldSkipAQuarterOfTheirSteps()
    {
        var random = new Random(8);

        // Images: a blank border, and neighbouring pixels blank together.
        float[] images = Images<float>(random, Batch, Pixels);
        Assert.True(Pays(Batch, Hidden, Pixels, images, transA: false, vectorCount: 16));
        Assert.True(Pays(Pixels, Hidden, Batch, images, transA: true, vectorCount: 16));
        Assert.True(Pays(Pixels, Hidden, Batch, images, transA: true, vectorCount: 8));

        // Zeros spread evenly, each element nonzero with probability 0.3: 8 rows leave almost no step all zero.
        float[] even = [.. Enumerable.Range(0, Batch * Pixels).Select(_ => random.Next(10) < 3 ? 1f : 0f)];
        Assert.False(Pays(Batch, Hidden, Pixels, even, transA: false, vectorCount: 16));
        Assert.False(Pays(Pixels, Hidden, Batch, even, transA: true, vectorCount: 16));

        // Dense, but half the depth steps zero in every row: a tile skips half its steps.
        float[] halfSteps = [.. Enumerable.Range(0, Batch * Pixels).Select(i => i % Pixels % 2 == 0 ? 1f : 0f)];
        Assert.True(Pays(Batch, Hidden, Pixels, halfSteps, transA: false, vectorCount: 16));
        float[] halfStored = [.. Enumerable.Range(0, Batch * Pixels).Select(i => i / Pixels % 2 == 0 ? 1f : 0f)];
        Assert.True(Pays(Pixels, Hidden, Batch, halfStored, transA: true, vectorCount: 16));
        Assert.False(Pays(Batch, Hidden, Pixels, new float[Batch * Pixels].Select(_ => 1f).ToArray(), transA: false, vectorCount: 16));

        // Too narrow, too shallow, too little work, or (A transposed) fewer rows than a vector.
        Assert.False(Pays(Batch, 15, Pixels, images, transA: false, vectorCount: 16));
        Assert.True(Pays(Batch, 16, Pixels, images, transA: false, vectorCount: 16));
        Assert.False(Pays(Batch, Hidden, 63, images, transA: false, vectorCount: 16));
        Assert.False(Pays(8, 16, 64, images, transA: false, vectorCount: 16));
        Assert.False(Pays(9, 16, 8000, images, transA: true, vectorCount: 16));

        // A stored transposed and C narrower than two vectors: computed whole as its transpose, which skips nothing.
        Assert.False(Pays(Pixels, 31, Batch, images, transA: true, vectorCount: 16));
        Assert.True(Pays(Pixels, 32, Batch, images, transA: true, vectorCount: 16));
        Assert.False(Pays(Pixels, 15, Batch, images, transA: true, vectorCount: 8));
        Assert.True(Pays(Batch, 15, Pixels, images, transA: false, vectorCount: 8));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void SkippingGivesTheDenseBitsAtEveryThreadCount(bool single, bool transA)
    {
        if (single)
        {
            Check<float>(transA, 0.01f);
        }
        else
        {
            Check<double>(transA, 0.01);
        }
    }

    /// <summary>
    /// A transposed A's nonzero bits are found a band of 1,024 of op(A)'s rows at a time (each stored row read along the
    /// band): 1,100 rows, a whole band and a partial one whose last 64 × 64 block is partial too, every row with a few
    /// nonzero factors, give the dense bits.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ATransposedAOfMoreRowsThanABandOfBitsSkipsToTheDenseBits(bool single)
    {
        if (single)
        {
            Check<float>(transA: true, 0.01f, pixels: 1100, inkEverywhere: true);
        }
        else
        {
            Check<double>(transA: true, 0.01, pixels: 1100, inkEverywhere: true);
        }
    }

    [Fact]
    public unsafe void TheRunsOfStepsAreTheSetBitsInOrder()
    {
        // Steps 3-5, 60-70 (across the first word's end), 128 and 190-199 (to the depth) of 200.
        var bits = new ulong[4];
        foreach (int p in new[] { 3, 4, 5, 128 }.Concat(Enumerable.Range(60, 11)).Concat(Enumerable.Range(190, 10)))
        {
            bits[p / 64] |= 1UL << (p % 64);
        }

        var runs = new List<(int From, int To)>();
        fixed (ulong* steps = bits)
        {
            int next = 0;
            while (GemmCore.NextRun(steps, 200, ref next, out int from))
            {
                runs.Add((from, next));
            }

            Assert.Equal([(3, 6), (60, 71), (128, 129), (190, 200)], runs);
            runs.Clear();
            next = 0;
            while (GemmCore.NextRun(steps, 195, ref next, out int from))
            {
                runs.Add((from, next));
            }

            Assert.Equal([(3, 6), (60, 71), (128, 129), (190, 195)], runs);
            next = 0;
            Assert.True(GemmCore.NextRun(null, 7, ref next, out int all));
            Assert.Equal((0, 7), (all, next));
            Assert.False(GemmCore.NextRun(null, 7, ref next, out _));
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public unsafe void TransposingBitsMovesBitJOfWordIToBitIOfWordJ(bool vectors)
    {
        var random = new Random(9);
        var square = new ulong[64];
        foreach (ref ulong word in square.AsSpan())
        {
            word = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
        }

        ulong[] original = (ulong[])square.Clone();
        fixed (ulong* bits = square)
        {
            if (vectors)
            {
                GemmCore.TransposeBits512(bits);
            }
            else
            {
                GemmCore.TransposeBitsScalar(bits);
            }
        }

        for (int i = 0; i < 64; i++)
        {
            for (int j = 0; j < 64; j++)
            {
                Assert.Equal((original[i] >> j) & 1, (square[j] >> i) & 1);
            }
        }
    }

    [Fact]
    public void ANaNInAIsNotSkipped()
    {
        var random = new Random(5);
        double[] a = Images<double>(random, Batch, Pixels);
        double[] b = GemmDirectTileTests.Fill<double>(random, Pixels * Hidden);
        a[(7 * Pixels) + 300] = double.NaN;
        var c = new double[Batch * Hidden];
        Kernels.Gemm<double>(false, false, Batch, Hidden, Pixels, a, Pixels, b, Hidden, c, Hidden, false, new GemmOptions(Zeros: GemmZeros.Skip));
        for (int i = 0; i < Batch; i++)
        {
            Assert.Equal(i == 7, c.AsSpan(i * Hidden, Hidden).ToArray().All(double.IsNaN));
        }
    }

    /// <summary>Both products with the images (x·W, and xᵀ·δ as the fused SGD step and accumulated), skipping zeros
    /// (<see cref="GemmZeros.Auto"/> chooses to) at 1 … 3 threads, against the dense kernel on one thread.</summary>
    private static void Check<T>(bool transA, T rate, int pixels = Pixels, bool inkEverywhere = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(transA ? 3 : 4);
        T[] images = inkEverywhere
            ? [.. Enumerable.Range(0, Batch * pixels).Select(_ => random.Next(100) < 8 ? T.CreateTruncating(random.NextDouble()) : T.Zero)]
            : Images<T>(random, Batch, pixels);
        int m = transA ? pixels : Batch, k = transA ? Batch : pixels, n = Hidden;
        T[] b = GemmDirectTileTests.Fill<T>(random, k * n);
        T[] start = GemmDirectTileTests.Fill<T>(random, m * n);
        var dense = new GemmOptions(Zeros: GemmZeros.Dense);
        var auto = default(GemmOptions);
        Assert.True(Pays<T>(m, n, k, images, transA, GemmCore.VectorCount<T>(GemmWidth.Auto)));

        T[] expected = Run(images, b, start, transA, m, n, k, rate, dense, threads: 1);
        for (int threads = 1; threads <= 3; threads++)
        {
            T[] actual = Run(images, b, start, transA, m, n, k, rate, auto, threads);
            for (int i = 0; i < expected.Length; i++)
            {
                if (!MemoryMarshal.AsBytes(expected.AsSpan(i, 1)).SequenceEqual(MemoryMarshal.AsBytes(actual.AsSpan(i, 1))))
                {
                    Assert.Fail($"{typeof(T).Name} transA={transA} threads={threads}: element {i % (m * n)} of result {i / (m * n)} is {actual[i]}, dense {expected[i]}.");
                }
            }
        }
    }

    /// <summary>The three results, one after the other: C = op(A)·B, C = start − rate·op(A)·B, C = start + op(A)·B.</summary>
    private static T[] Run<T>(T[] images, T[] b, T[] start, bool transA, int m, int n, int k, T rate, GemmOptions options, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lda = transA ? m : k;
        var results = new T[3 * m * n];
        using (Parallelism.Use(threads))
        {
            Kernels.Gemm<T>(transA, false, m, n, k, images, lda, b, n, results.AsSpan(0, m * n), n, false, options);
            start.CopyTo(results, m * n);
            Kernels.GemmSgdStep<T>(transA, false, m, n, k, images, lda, b, n, results.AsSpan(m * n, m * n), n, rate, options);
            start.CopyTo(results, 2 * m * n);
            Kernels.Gemm<T>(transA, false, m, n, k, images, lda, b, n, results.AsSpan(2 * m * n, m * n), n, true, options);
        }

        return results;
    }

    private static unsafe bool Pays<T>(int m, int n, int k, T[] a, bool transA, int vectorCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pa = a)
        {
            var problem = new GemmProblem<T>(transA, false, m, n, k, pa, transA ? m : k, null, n, 0, null, n, GemmEpilogue.Overwrite, T.Zero, default);
            return GemmCore.ZeroSkippingPays(in problem, vectorCount);
        }
    }

    /// <summary>Images as MNIST's are: a blank border, and about a fifth of the pixels inside it inked.</summary>
    private static T[] Images<T>(Random random, int count, int pixels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var images = new T[count * pixels];
        int side = (int)Math.Sqrt(pixels);
        for (int i = 0; i < images.Length; i++)
        {
            int row = i % pixels / side, column = i % side;
            bool inside = row is >= 4 and < 24 && column is >= 4 and < 24;
            images[i] = inside && random.Next(10) < 3 ? T.CreateTruncating(random.NextDouble()) : T.Zero;
        }

        return images;
    }
}
