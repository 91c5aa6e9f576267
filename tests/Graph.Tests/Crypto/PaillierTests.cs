using System.Numerics;
using System.Security.Cryptography;
using Graph.Crypto;
using Xunit;

namespace Graph.Tests.Crypto;

public sealed class PaillierTests
{
    /// <summary>One 256-bit key pair for the whole class: short enough to generate quickly, long enough for 60-bit mantissas.</summary>
    private static readonly Lazy<PaillierKeyPair> SharedKeys = new(() => PaillierKeyPair.Generate(256, allowInsecureKeySize: true));

    private static PaillierPublicKey Public => SharedKeys.Value.PublicKey;

    private static PaillierPrivateKey Private => SharedKeys.Value.PrivateKey;

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    public void KeysHaveTheRequestedLengthAndTwoPrimeFactors(int bits)
    {
        var keys = PaillierKeyPair.Generate(bits, allowInsecureKeySize: true);

        Assert.Equal(bits, keys.PublicKey.Bits);
        Assert.Equal(keys.PublicKey.N / 3 - 1, keys.PublicKey.MaxInt);
        Assert.False(PrimeGenerator.IsProbablePrime(keys.PublicKey.N));
    }

    [Fact]
    public void MillerRabinTellsPrimesFromComposites()
    {
        BigInteger mersenne127 = BigInteger.Pow(2, 127) - 1;
        Assert.True(PrimeGenerator.IsProbablePrime(mersenne127));
        Assert.True(PrimeGenerator.IsProbablePrime(1_000_000_007));
        Assert.False(PrimeGenerator.IsProbablePrime(mersenne127 * 3));

        // 561 and 41041 are Carmichael numbers: Fermat's test passes them, Miller-Rabin does not.
        Assert.False(PrimeGenerator.IsProbablePrime(561));
        Assert.False(PrimeGenerator.IsProbablePrime(41041));
        Assert.False(PrimeGenerator.IsProbablePrime(BigInteger.Pow(2, 89) + 1));
        Assert.False(PrimeGenerator.IsProbablePrime(1));

        BigInteger prime = PrimeGenerator.RandomPrime(64);
        Assert.Equal(64, prime.GetBitLength());
        Assert.True(PrimeGenerator.IsProbablePrime(prime));
    }

    [Fact]
    public void DecryptionInvertsEncryptionForRandomIntegers()
    {
        using var random = RandomNumberGenerator.Create();
        var bytes = new byte[24];
        for (int i = 0; i < 50; i++)
        {
            random.GetBytes(bytes);
            var m = new BigInteger(bytes);
            Assert.Equal(m, Private.DecryptInteger(Public.Encrypt(m)));
        }

        Assert.Equal(Public.MaxInt, Private.DecryptInteger(Public.Encrypt(Public.MaxInt)));
        Assert.Equal(-Public.MaxInt, Private.DecryptInteger(Public.Encrypt(-Public.MaxInt)));
    }

    [Fact]
    public void EncryptionIsRandomised()
    {
        Assert.NotEqual(Public.Encrypt(7).Ciphertext, Public.Encrypt(7).Ciphertext);
    }

    [Fact]
    public void AddingCiphertextsAddsThePlaintexts()
    {
        Assert.Equal(8, Private.DecryptInteger(Public.Encrypt(5) + Public.Encrypt(3)));
        Assert.Equal(-12, Private.DecryptInteger(Public.Encrypt(-20) + Public.Encrypt(8)));
        Assert.Equal(1_000_000_000_005, Private.DecryptInteger(Public.Encrypt(5) + new BigInteger(1_000_000_000_000)));
        var big = BigInteger.Pow(10, 30);
        Assert.Equal(big * 3, Private.DecryptInteger(Public.Encrypt(big) + Public.Encrypt(big) + Public.Encrypt(big)));
    }

    [Fact]
    public void MultiplyingByAPlaintextIntegerMultipliesThePlaintext()
    {
        Assert.Equal(21, Private.DecryptInteger(Public.Encrypt(7) * 3));
        Assert.Equal(-21, Private.DecryptInteger(Public.Encrypt(7) * -3));
        Assert.Equal(21, Private.DecryptInteger(Public.Encrypt(-7) * -3));
        Assert.Equal(0, Private.DecryptInteger(Public.Encrypt(123) * 0));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-1.0)]
    [InlineData(0.1)]
    [InlineData(-0.033339966977175894)]
    [InlineData(123456.789)]
    [InlineData(1e-300)]
    [InlineData(-2.5e-310)]
    [InlineData(1.7976931348623157e308)]
    public void FloatsRoundTripExactly(double value)
    {
        var encoded = PaillierEncoding.Encode(Public, value);

        Assert.Equal(value, encoded.DecodeDouble());
        Assert.Equal(value, Private.DecryptDouble(Public.Encrypt(value)));
    }

    [Fact]
    public void TheFloatEncodingIsPheFixedPointWithBase16()
    {
        // 0.5 = 2^-1: frexp exponent 0, so the exponent is floor((0 - 53) / 4) = -14 and the mantissa 0.5 × 16^14 = 2^55.
        var half = PaillierEncoding.Encode(Public, 0.5);
        Assert.Equal(-14, half.Exponent);
        Assert.Equal(BigInteger.Pow(2, 55), half.Mantissa());

        var minusOne = PaillierEncoding.Encode(Public, -1.0);
        Assert.Equal(-13, minusOne.Exponent);
        Assert.Equal(Public.N - BigInteger.Pow(2, 52), minusOne.Encoding);
    }

    [Fact]
    public void SumsOfEncryptedFloatsDecryptToTheSum()
    {
        double[] values = [0.21908166249699718, -0.2937106899184867, 0.033339966977175894, 1e-7, -3.5];
        var sum = values.Select(v => Public.Encrypt(v)).Aggregate((a, b) => a + b);

        // The encrypted sum is exact and rounded once when decoded; the float64 sum rounds at each step.
        Assert.Equal(values.Sum(), Private.DecryptDouble(sum), 1e-15);
        Assert.Equal(0.75, Private.DecryptDouble(Public.Encrypt(0.5) + Public.Encrypt(0.25)));
        Assert.Equal(2.5, Private.DecryptDouble(Public.Encrypt(0.5) + Public.Encrypt(2)));
        Assert.Equal(-1.5, Private.DecryptDouble(Public.Encrypt(-0.5) * 3));
    }

    [Fact]
    public void AWrongKeyIsRefused()
    {
        var other = PaillierKeyPair.Generate(256, allowInsecureKeySize: true);
        var mine = Public.Encrypt(5);
        var theirs = other.PublicKey.Encrypt(3);

        var decrypt = Assert.Throws<ArgumentException>(() => other.PrivateKey.DecryptInteger(mine));
        Assert.Contains("different public key", decrypt.Message, StringComparison.Ordinal);
        var add = Assert.Throws<ArgumentException>(() => mine + theirs);
        Assert.Contains("different public keys", add.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OutOfRangeValuesAreRefused()
    {
        var tooBig = Assert.Throws<ArgumentOutOfRangeException>(() => Public.Encrypt(Public.MaxInt + 1));
        Assert.Contains("MaxInt", tooBig.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Public.Encrypt(-Public.MaxInt - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Public.Encrypt(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Public.Encrypt(double.PositiveInfinity));
        Assert.Throws<ArgumentOutOfRangeException>(() => PaillierKeyPair.Generate(14, allowInsecureKeySize: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => PaillierKeyPair.Generate(129, allowInsecureKeySize: true));

        // 2 MaxInt would wrap around modulo n: the sum is refused before it is computed.
        var overflow = Assert.Throws<OverflowException>(() => Public.Encrypt(Public.MaxInt) + Public.Encrypt(Public.MaxInt));
        Assert.Contains("would wrap around modulo n", overflow.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFloatIsNotDecryptedAsAnInteger()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Private.DecryptInteger(Public.Encrypt(0.5)));
        Assert.Contains(nameof(PaillierPrivateKey.DecryptDouble), error.Message, StringComparison.Ordinal);
    }
}
