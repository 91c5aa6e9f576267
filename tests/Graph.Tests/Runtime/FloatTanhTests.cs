using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// The AVX-512 float tanh behind <c>Kernels.Tanh&lt;float&gt;</c>: within 1.03 units in the last place of the exact
/// value over every float from 0 to 10 (every 61st here; all of them, checked once by a program of the same loop, take 18 s),
/// odd to the bit, 1 from where tanh rounds to 1, the special values, and the same bits for an element wherever it lies
/// in a buffer, in place or not.
/// </summary>
public sealed class FloatTanhTests
{
    [Fact]
    public void IsWithin1Point03UnitsOfTheExactValue()
    {
        int end = BitConverter.SingleToInt32Bits(10f);
        var x = new List<float>();
        for (int bits = 0; bits <= end; bits += 61)
        {
            x.Add(BitConverter.Int32BitsToSingle(bits));
        }

        float[] y = Tanh(x.ToArray());
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

    [Fact]
    public void IsOddToTheBit()
    {
        var random = new Random(3);
        float[] x = Enumerable.Range(0, 10_000).Select(_ => (float)((random.NextDouble() - 0.5) * 24)).ToArray();
        float[] positive = Tanh(x);
        float[] negative = Tanh(x.Select(v => -v).ToArray());
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(-positive[i]), BitConverter.SingleToInt32Bits(negative[i]));
        }
    }

    [Fact]
    public void GivesTheSpecialValues()
    {
        float[] x = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 9.02f, -9.02f, 50f, 1e30f, -float.MaxValue, float.Epsilon, -1e-30f, 1e-5f];
        float[] y = Tanh(x);
        Assert.Equal(BitConverter.SingleToInt32Bits(0f), BitConverter.SingleToInt32Bits(y[0]));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(y[1]));
        Assert.Equal([1f, -1f], y[2..4]);
        Assert.True(float.IsNaN(y[4]));
        Assert.Equal([1f, -1f, 1f, 1f, -1f], y[5..10]);

        // Below about 2^-12, tanh(x) rounds to x.
        Assert.Equal([float.Epsilon, -1e-30f, (float)Math.Tanh(1e-5f)], y[10..]);
    }

    [Fact]
    public void GivesAnElementTheSameBitsWhereverItLiesInPlaceOrNot()
    {
        var random = new Random(4);
        float[] x = Enumerable.Range(0, 64).Select(_ => (float)((random.NextDouble() - 0.5) * 6)).ToArray();
        float[] whole = Tanh(x);
        for (int start = 0; start < 8; start++)
        {
            for (int length = 0; length <= x.Length - start; length++)
            {
                float[] part = x.AsSpan(start, length).ToArray();
                float[] apart = new float[length];
                FloatTanh.Apply(part, apart);
                FloatTanh.Apply(part, part);
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

    private static float[] Tanh(float[] x)
    {
        float[] y = new float[x.Length];
        FloatTanh.Apply(x, y);
        return y;
    }
}
