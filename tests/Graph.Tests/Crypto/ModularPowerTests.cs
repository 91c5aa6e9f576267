using System.Numerics;
using Graph.Crypto;
using Xunit;

namespace Graph.Tests.Crypto;

/// <summary>
/// The modular exponentiation under every Paillier operation against <see cref="BigInteger.ModPow"/>: random operands
/// from 8 to 2048 bits, odd moduli (Montgomery form) and even ones, the edge values, and the cases it hands back.
/// </summary>
public sealed class ModularPowerTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(256)]
    [InlineData(1024)]
    [InlineData(2048)]
    public void GivesBigIntegerModPow(int bits)
    {
        var random = new Random(bits);
        for (int i = 0; i < 40; i++)
        {
            BigInteger modulus = RandomBits(random, bits) | BigInteger.One;
            if (i % 4 == 3)
            {
                modulus -= 1; // even
            }

            if (modulus.IsZero)
            {
                continue;
            }

            BigInteger value = RandomBits(random, bits + (i % 3 * 8)); // also above the modulus
            BigInteger exponent = RandomBits(random, 1 + random.Next(bits));
            Assert.Equal(BigInteger.ModPow(value, exponent, modulus), ModularPower.Of(value, exponent, modulus));
        }
    }

    [Fact]
    public void GivesTheEdgeValues()
    {
        BigInteger modulus = BigInteger.Parse("340282366920938463463374607431768211297"); // 2^128 - 159, odd
        foreach (BigInteger value in new BigInteger[] { 0, 1, 2, modulus - 1, modulus, modulus + 1 })
        {
            foreach (BigInteger exponent in new BigInteger[] { 0, 1, 2, modulus })
            {
                Assert.Equal(BigInteger.ModPow(value, exponent, modulus), ModularPower.Of(value, exponent, modulus));
            }
        }

        Assert.Equal(BigInteger.Zero, ModularPower.Of(5, 3, 1));
    }

    [Fact]
    public void KeepsBigIntegerModPowsSignsAndExceptions()
    {
        Assert.Equal(BigInteger.ModPow(-2, 3, 5), ModularPower.Of(-2, 3, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModularPower.Of(2, -1, 5));
        Assert.Throws<DivideByZeroException>(() => ModularPower.Of(2, 3, 0));
    }

    private static BigInteger RandomBits(Random random, int bits)
    {
        byte[] bytes = new byte[(bits + 7) / 8 + 1];
        random.NextBytes(bytes);
        bytes[^1] = 0; // non-negative
        if (bits % 8 != 0)
        {
            bytes[^2] &= (byte)((1 << (bits % 8)) - 1);
        }

        return new BigInteger(bytes);
    }
}
