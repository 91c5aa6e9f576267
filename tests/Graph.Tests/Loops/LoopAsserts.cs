using Xunit;

namespace Graph.Tests.Loops;

/// <summary>How the loop tests compare a model's numbers with its twin's: bit for bit, or to 1e-12 of the largest.</summary>
internal static class LoopAsserts
{
    /// <summary>How far a sum in another order may move: 1e-12 of the largest magnitude among the expected values.</summary>
    public const double Tolerance = 1e-12;

    /// <summary>Compares the bits of each double (so -0.0 differs from 0.0), naming the first element that differs.</summary>
    public static void AssertSameBits(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, {expected.Length} expected");
        for (int i = 0; i < actual.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(actual[i]) != BitConverter.DoubleToInt64Bits(expected[i]))
            {
                Assert.Fail($"{what}, element {i}: {actual[i]:R}, {expected[i]:R} expected");
            }
        }
    }

    /// <summary>Each element finite and within <see cref="Tolerance"/> of the largest magnitude among the expected values, which are not all zero.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, {expected.Length} expected");
        double scale = 0;
        foreach (double e in expected)
        {
            scale = Math.Max(scale, Math.Abs(e));
        }

        Assert.True(scale > 0, $"{what}: every expected value is zero");
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.True(double.IsFinite(actual[i]) && Math.Abs(actual[i] - expected[i]) <= Tolerance * scale, $"{what}, element {i}: {actual[i]:R}, {expected[i]:R} expected (largest {scale:R})");
        }
    }
}
