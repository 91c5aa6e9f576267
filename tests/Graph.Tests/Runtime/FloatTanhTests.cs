using System.Runtime.Intrinsics;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// The float tanh behind <c>Kernels.Tanh&lt;float&gt;</c> and the generated loops' <c>Simd.Tanh</c>, at 512 and 256
/// bits: within 1.03 units in the last place of the exact value over every float from 0 to 10 (every 61st here; all of
/// them, checked once by a program of the same loop, take 18 s), odd to the bit, 1 from where tanh rounds to 1, the
/// special values, the same bits for an element wherever it lies in a buffer, in place or not, and at either width.
/// </summary>
public sealed class FloatTanhTests
{
    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    public void IsWithin1Point03UnitsOfTheExactValue(int width)
    {
        int end = BitConverter.SingleToInt32Bits(10f);
        var x = new List<float>();
        for (int bits = 0; bits <= end; bits += 61)
        {
            x.Add(BitConverter.Int32BitsToSingle(bits));
        }

        float[] y = Tanh(x.ToArray(), width);
        double worst = 0;
        float worstAt = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double exact = Math.Tanh(x[i]);
            float magnitude = Math.Abs((float)exact);
            double unit = magnitude == 0 ? float.Epsilon : MathF.BitIncrement(magnitude) - magnitude;
            double error = Math.Abs(y[i] - exact) / unit;
            if (error > worst)
            {
                (worst, worstAt) = (error, x[i]);
            }
        }

        Assert.True(worst <= 1.03, $"tanh({worstAt:R}) is {worst:0.000} units from the exact value");
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    public void IsOddToTheBit(int width)
    {
        var random = new Random(3);
        float[] x = Enumerable.Range(0, 10_000).Select(_ => (float)((random.NextDouble() - 0.5) * 24)).ToArray();
        float[] positive = Tanh(x, width);
        float[] negative = Tanh(x.Select(v => -v).ToArray(), width);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(-positive[i]), BitConverter.SingleToInt32Bits(negative[i]));
        }
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    public void GivesTheSpecialValues(int width)
    {
        float[] x = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 9.02f, -9.02f, 50f, 1e30f, -float.MaxValue, float.Epsilon, -1e-30f, 1e-5f];
        float[] y = Tanh(x, width);
        Assert.Equal(BitConverter.SingleToInt32Bits(0f), BitConverter.SingleToInt32Bits(y[0]));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(y[1]));
        Assert.Equal([1f, -1f], y[2..4]);
        Assert.True(float.IsNaN(y[4]));
        Assert.Equal([1f, -1f, 1f, 1f, -1f], y[5..10]);

        // Below about 2^-12, tanh(x) rounds to x.
        Assert.Equal([float.Epsilon, -1e-30f, (float)Math.Tanh(1e-5f)], y[10..]);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    public void GivesAnElementTheSameBitsWhereverItLiesInPlaceOrNot(int width)
    {
        var random = new Random(4);
        float[] x = Enumerable.Range(0, 64).Select(_ => (float)((random.NextDouble() - 0.5) * 6)).ToArray();
        float[] whole = Tanh(x, width);
        for (int start = 0; start < 8; start++)
        {
            for (int length = 0; length <= x.Length - start; length++)
            {
                float[] part = x.AsSpan(start, length).ToArray();
                float[] apart = new float[length];
                Apply(part, apart, width);
                Apply(part, part, width);
                Assert.Equal(whole.AsSpan(start, length).ToArray(), apart);
                Assert.Equal(apart, part);
            }
        }
    }

    [Fact]
    public void KernelsTanhRefusesBuffersThatOverlapOtherThanExactly()
    {
        float[] buffer = new float[40];
        var error = Assert.Throws<ArgumentException>(() => Kernels.Tanh<float>(buffer.AsSpan(0, 20), buffer.AsSpan(4, 20)));
        Assert.Contains("overlap", error.Message);
    }

    [Fact]
    public void TheTwoWidthsAndTheGeneratedLoopsTanhGiveTheSameBits()
    {
        // Every 1021st float from 0 to 12, both signs: the buffer kernel runs at the widest width, a loop's fused tanh
        // at the width of Vector<float>, so a stored and a fused tanh agree only if the widths do.
        var values = new List<float>();
        for (int bits = 0; bits <= BitConverter.SingleToInt32Bits(12f); bits += 1021)
        {
            float v = BitConverter.Int32BitsToSingle(bits);
            values.Add(v);
            values.Add(-v);
        }

        float[] x = values.ToArray();
        float[] wide = Tanh(x, 512);
        Assert.Equal(wide, Tanh(x, 256));
        Assert.Equal(wide, Tanh(x, 0));

        int lanes = System.Numerics.Vector<float>.Count;
        var fused = new float[x.Length / lanes * lanes];
        for (int i = 0; i < fused.Length; i += lanes)
        {
            Simd.Store<float>(Simd.Tanh(Simd.Load<float>(x, i)), fused, i);
        }

        Assert.Equal(wide.AsSpan(0, fused.Length).ToArray(), fused);
    }

    /// <summary>tanh at <paramref name="width"/> bits, or (0) through <c>Kernels.Tanh</c>.</summary>
    private static float[] Tanh(float[] x, int width)
    {
        float[] y = new float[x.Length];
        Apply(x, y, width);
        return y;
    }

    private static void Apply(ReadOnlySpan<float> x, Span<float> y, int width)
    {
        switch (width)
        {
            case 512:
                FloatTanh.Apply<Lanes512<float>, Vector512<float>>(x, y);
                break;
            case 256:
                FloatTanh.Apply<Lanes256<float>, Vector256<float>>(x, y);
                break;
            default:
                Kernels.Tanh<float>(x, y);
                break;
        }
    }
}
