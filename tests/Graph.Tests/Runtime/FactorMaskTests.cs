using System.Numerics;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// The bits of the nonzero factors among up to 64, against their definition: every count from 1 to 64 (the whole word
/// of floats has a path of its own), with zeros, negative zeros and NaN among the factors.
/// </summary>
public sealed class FactorMaskTests
{
    [Fact]
    public void FloatBitsAreSetExactlyWhereTheFactorIsNonzero() => Check<float>();

    [Fact]
    public void DoubleBitsAreSetExactlyWhereTheFactorIsNonzero() => Check<double>();

    private static unsafe void Check<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(6);
        T[] special = [T.Zero, T.NegativeZero, T.NaN, T.One, T.Epsilon, T.NegativeInfinity];
        for (int round = 0; round < 200; round++)
        {
            T[] x = Enumerable.Range(0, 64)
                .Select(_ => random.Next(3) == 0 ? special[random.Next(special.Length)] : random.Next(2) == 0 ? T.Zero : T.CreateChecked(random.NextDouble() - 0.5))
                .ToArray();
            for (int count = 1; count <= 64; count++)
            {
                ulong expected = 0;
                for (int i = 0; i < count; i++)
                {
                    expected |= (x[i] != T.Zero ? 1UL : 0UL) << i;
                }

                fixed (T* factors = x)
                {
                    Assert.Equal(expected, FactorMask.NonZero(factors, count));
                }
            }
        }
    }
}
