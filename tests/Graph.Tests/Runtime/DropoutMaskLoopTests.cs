using System.Numerics;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// A dropout mask handed to its loop as it is drawn (<see cref="Kernels.DropoutMaskPacked{T, TLoop}(Span{T}, double, NumpyRandom, ref TLoop, int)"/>
/// and its siblings): the mask and the generator's position are those of the mask drawn alone, every item of the loop
/// runs once, and when it runs its elements are already the mask's final ones; for both generators, two rates, the
/// packed forms of float (values) and double (bits), one to three threads, and lengths that end inside an item. A chunk
/// the mask's parts cannot start on is refused before anything is drawn.
/// </summary>
public sealed class DropoutMaskLoopTests
{
    public static TheoryData<bool, double, int, int, int> Draws()
    {
        var data = new TheoryData<bool, double, int, int, int>();
        foreach (bool philox in new[] { false, true })
        {
            data.Add(philox, 0.5, 1000, 64, 1);
            data.Add(philox, 0.5, 200_003, 4096, 1);
            data.Add(philox, 0.5, 200_003, 4096, 2);
            data.Add(philox, 0.5, 300_017, 4096, 3);
            data.Add(philox, 0.5, 300_000, 48, 2);
            data.Add(philox, 0.3, 200_003, 4096, 2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Draws))]
    public void Values_are_the_mask_drawn_alone_and_each_item_sees_its_final_elements(bool philox, double rate, int length, int chunk, int threads) =>
        Check<float>(philox, rate, length, chunk, threads);

    [Theory]
    [MemberData(nameof(Draws))]
    public void Bits_are_the_mask_drawn_alone_and_each_item_sees_its_final_elements(bool philox, double rate, int length, int chunk, int threads) =>
        Check<double>(philox, rate, length, chunk, threads);

    [Theory]
    [InlineData(0)]
    [InlineData(-16)]
    [InlineData(4100)]
    public void A_chunk_that_is_not_a_positive_multiple_of_16_is_refused(int chunk)
    {
        var mask = new float[100];
        var runs = new int[1];
        var numpy = Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var loop = new Recorder<float>(mask, new float[100], runs, 1, 2f);
            Kernels.DropoutMaskPacked<float, Recorder<float>>(mask, 0.5, new NumpyRandom(1), ref loop, chunk);
        });
        var philox = Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var loop = new Recorder<float>(mask, new float[100], runs, 1, 2f);
            Kernels.DropoutMask<float, Recorder<float>>(mask, 0.5, new Philox4x32(1), ref loop, chunk);
        });
        Assert.Equal("chunk", numpy.ParamName);
        Assert.Equal("chunk", philox.ParamName);
        Assert.Equal(0, runs[0]);
        Assert.All(mask, value => Assert.Equal(0f, value));
    }

    /// <summary>
    /// The packed mask (values for float, bits for double) drawn alone and drawn handing on to a recorder, compared
    /// element by element (through <see cref="Simd.PackedMaskElement{T}"/>), with the generators' next words and what
    /// the recorder saw.
    /// </summary>
    private static void Check<T>(bool philox, double rate, int length, int chunk, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T scale = T.CreateTruncating(1 / (1 - rate));
        var alone = new T[length];
        var handed = new T[length];
        var seen = new T[length];
        int items = (length + chunk - 1) / chunk;
        var runs = new int[items];
        ulong aloneNext, handedNext;
        using (Parallelism.Use(threads))
        {
            var loop = new Recorder<T>(handed, seen, runs, chunk, scale);
            if (philox)
            {
                var first = new Philox4x32(77) { Position = 5 };
                var second = new Philox4x32(77) { Position = 5 };
                Kernels.DropoutMaskPacked<T>(alone, rate, first);
                Kernels.DropoutMaskPacked<T, Recorder<T>>(handed, rate, second, ref loop, chunk);

                (aloneNext, handedNext) = (first.Position, second.Position);
            }
            else
            {
                var first = NumpyRandom.FromSeed(77);
                var second = NumpyRandom.FromSeed(77);
                Kernels.DropoutMaskPacked<T>(alone, rate, first);
                Kernels.DropoutMaskPacked<T, Recorder<T>>(handed, rate, second, ref loop, chunk);

                (aloneNext, handedNext) = (first.NextUInt32(), second.NextUInt32());
            }
        }

        Assert.Equal(aloneNext, handedNext);
        Assert.All(runs, count => Assert.Equal(1, count));
        for (int i = 0; i < length; i++)
        {
            T expected = Simd.PackedMaskElement<T>(alone, i, scale);
            Assert.Equal(expected, Simd.PackedMaskElement<T>(handed, i, scale));
            Assert.Equal(expected, seen[i]);
        }
    }

    /// <summary>Copies each item's mask elements, as they are when it runs, and counts its runs.</summary>
    private readonly ref struct Recorder<T>(T[] mask, T[] seen, int[] runs, int chunk, T scale) : IParallelLoop
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end)
        {
            for (int item = start; item < end; item++)
            {
                Interlocked.Increment(ref runs[item]);
                for (int i = item * chunk; i < Math.Min((item + 1) * chunk, mask.Length); i++)
                {
                    seen[i] = Simd.PackedMaskElement<T>(mask, i, scale);
                }
            }
        }
    }
}
