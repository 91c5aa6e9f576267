using System.Numerics;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// The vector exp and tanh of generated elementwise loops: in double each lane is the scalar function's value, bit for
/// bit; in float each lane is the exact value rounded once (computed in double), within two units in the last place of
/// MathF's, with the special values (signed zeros, infinities, NaN, overflow and underflow) as MathF gives them.
/// </summary>
public sealed class SimdTranscendentalTests
{
    [Fact]
    public void DoubleLanesAreTheScalarFunctionsBitForBit()
    {
        var values = Values(seed: 1).Select(v => (double)v).Concat(new[] { 1e-300, -1e-300, 700.0, 710.0, -745.0, -750.0, 1e-9 }).ToArray();
        foreach (var (x, exp, tanh) in Lanes(values, Simd.Exp, Simd.Tanh))
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Exp(x)), BitConverter.DoubleToInt64Bits(exp));
            Assert.Equal(BitConverter.DoubleToInt64Bits(Math.Tanh(x)), BitConverter.DoubleToInt64Bits(tanh));
        }
    }

    [Fact]
    public void FloatLanesAreTheCorrectlyRoundedValues()
    {
        foreach (var (x, exp, tanh) in Lanes(Values(seed: 2), Simd.Exp, Simd.Tanh))
        {
            // The double functions are within a unit of double's last place, so rounding them to float gives the
            // correctly rounded value; the scalar MathF functions are within two units of it (glibc's tanhf is not
            // always correctly rounded: tanh(0.24335378) is 0.23866102, MathF.Tanh gives 0.23866105).
            Assert.True(Units((float)Math.Exp(x), exp) <= 1, $"exp({x:R}): {exp:R}, rounded {(float)Math.Exp(x):R}");
            Assert.True(Units((float)Math.Tanh(x), tanh) <= 1, $"tanh({x:R}): {tanh:R}, rounded {(float)Math.Tanh(x):R}");
            Assert.True(Units(MathF.Exp(x), exp) <= 2, $"exp({x:R}): {exp:R}, MathF {MathF.Exp(x):R}");
            Assert.True(Units(MathF.Tanh(x), tanh) <= 2, $"tanh({x:R}): {tanh:R}, MathF {MathF.Tanh(x):R}");
        }
    }

    [Fact]
    public void FloatSpecialValuesAreMathFs()
    {
        float[] values = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 89f, 100f, -104f, -110f, 1e-30f, -1e-30f, float.Epsilon, -float.Epsilon, 20f, -20f];
        foreach (var (x, exp, tanh) in Lanes(values, Simd.Exp, Simd.Tanh))
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(MathF.Exp(x)), BitConverter.SingleToInt32Bits(exp));
            Assert.Equal(BitConverter.SingleToInt32Bits(MathF.Tanh(x)), BitConverter.SingleToInt32Bits(tanh));
        }
    }

    /// <summary>Uniform values over the activations' range, small ones near zero, and a ramp through the tanh switch at 2^-12.</summary>
    private static float[] Values(uint seed)
    {
        var random = new NumpyRandom(seed);
        var uniform = new double[200_000];
        random.RandomSample(uniform);
        return uniform.Select((u, i) => (float)(i % 4 == 0 ? (u - 0.5) * 40 : i % 4 == 1 ? (u - 0.5) * 2e-3 : i % 4 == 2 ? (u - 0.5) * 6 : Math.ScaleB(u - 0.5, -(i % 40))))
            .ToArray();
    }

    /// <summary>Each value with the lanes the two vector functions give it, a vector at a time.</summary>
    private static IEnumerable<(T X, T Exp, T Tanh)> Lanes<T>(T[] values, Func<Vector<T>, Vector<T>> exp, Func<Vector<T>, Vector<T>> tanh)
        where T : unmanaged
    {
        int lanes = Vector<T>.Count;
        var padded = values.Concat(Enumerable.Repeat(values[0], (lanes - (values.Length % lanes)) % lanes)).ToArray();
        for (int i = 0; i < padded.Length; i += lanes)
        {
            var x = new Vector<T>(padded, i);
            var (e, t) = (exp(x), tanh(x));
            for (int lane = 0; lane < lanes && i + lane < values.Length; lane++)
            {
                yield return (padded[i + lane], e[lane], t[lane]);
            }
        }
    }

    /// <summary>How many representable floats lie between the two (0 for the same value, NaN and NaN included).</summary>
    private static long Units(float expected, float actual)
    {
        if (float.IsNaN(expected) || float.IsNaN(actual))
        {
            return float.IsNaN(expected) && float.IsNaN(actual) ? 0 : long.MaxValue;
        }

        static long Ordered(float v) => BitConverter.SingleToInt32Bits(v) is int bits && bits < 0 ? int.MinValue - (long)bits : bits;
        return Math.Abs(Ordered(expected) - Ordered(actual));
    }
}
