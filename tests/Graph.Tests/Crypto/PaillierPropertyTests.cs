using System.Globalization;
using System.Numerics;
using Graph.Crypto;
using Xunit;
using Xunit.Abstractions;

namespace Graph.Tests.Crypto;

/// <summary>
/// Seeded property tests: random keys, random values and random sequences of encryptions, additions and scalings,
/// each decrypted result compared with exact <see cref="BigInteger"/> arithmetic, and each refusal checked to be a
/// result whose range (tracked here independently) could pass the key's MaxInt.
/// </summary>
public sealed class PaillierPropertyTests(ITestOutputHelper log)
{
    /// <summary>Random keys of 32 to 320 bits; per key 40 random operations on integers.</summary>
    public const int IntegerKeys = 60;

    /// <summary>Random keys of 128 to 320 bits; per key 40 random operations on floats.</summary>
    public const int FloatKeys = 40;

    private const int OperationsPerKey = 40;

    [Fact]
    public void RandomSequencesOfIntegerOperationsDecryptExactlyOrAreRefused()
    {
        int decrypted = 0, refused = 0;
        for (int k = 0; k < IntegerKeys; k++)
        {
            var random = new Random(1000 + k);
            var keys = PaillierKeyPair.Generate(2 * random.Next(16, 161), new SeededRandomNumberGenerator(k), allowInsecureKeySize: true);
            var key = keys.PublicKey;
            var pool = new List<(PaillierEncryptedNumber Cipher, BigInteger Exact, BigInteger Bound)>();
            for (int op = 0; op < OperationsPerKey; op++)
            {
                int kind = pool.Count < 2 ? 0 : random.Next(4);
                (PaillierEncryptedNumber Cipher, BigInteger Exact, BigInteger Bound)? result = null;
                switch (kind)
                {
                    case 0:
                        BigInteger value = RandomInteger(random, key.MaxInt);
                        result = (key.Encrypt(value), value, BigInteger.Min((BigInteger.One << (int)BigInteger.Abs(value).GetBitLength()) - 1, key.MaxInt));
                        break;
                    case 1:
                        var (a, b) = (pool[random.Next(pool.Count)], pool[random.Next(pool.Count)]);
                        result = Expect(key, a.Bound + b.Bound, () => a.Cipher + b.Cipher, a.Exact + b.Exact, ref refused);
                        break;
                    case 2:
                        var c = pool[random.Next(pool.Count)];
                        BigInteger plain = RandomInteger(random, key.MaxInt >> random.Next(0, 8));
                        BigInteger plainBound = BigInteger.Min((BigInteger.One << (int)BigInteger.Abs(plain).GetBitLength()) - 1, key.MaxInt);
                        result = Expect(key, c.Bound + plainBound, () => c.Cipher + plain, c.Exact + plain, ref refused);
                        break;
                    default:
                        var d = pool[random.Next(pool.Count)];
                        BigInteger factor = random.Next(5) == 0 ? random.Next(-3, 4) : RandomInteger(random, BigInteger.One << random.Next(1, key.Bits / 2));
                        result = Expect(key, d.Bound * BigInteger.Abs(factor), () => d.Cipher * factor, d.Exact * factor, ref refused);
                        break;
                }

                if (result is { } entry)
                {
                    Assert.Equal(entry.Bound, entry.Cipher.MaxMagnitude);
                    Assert.InRange(BigInteger.Abs(entry.Exact), BigInteger.Zero, entry.Bound);
                    Assert.Equal(entry.Exact, keys.PrivateKey.DecryptInteger(entry.Cipher));
                    decrypted++;
                    pool.Add(entry);
                }
            }
        }

        log.WriteLine($"integers: {IntegerKeys} keys, {decrypted} results decrypted exactly, {refused} operations refused");

        // Both outcomes occur often enough for the test to mean something.
        Assert.True(decrypted > IntegerKeys * OperationsPerKey / 2, $"{decrypted} decrypted");
        Assert.True(refused > 50, $"{refused} refused");
    }

    [Fact]
    public void RandomSequencesOfFloatOperationsDecryptToTheCorrectlyRoundedSumOrAreRefused()
    {
        int decrypted = 0, refused = 0;
        for (int k = 0; k < FloatKeys; k++)
        {
            var random = new Random(2000 + k);
            var keys = PaillierKeyPair.Generate(2 * random.Next(64, 161), new SeededRandomNumberGenerator(100 + k), allowInsecureKeySize: true);
            var key = keys.PublicKey;
            var pool = new List<(PaillierEncryptedNumber Cipher, BigInteger Mantissa, int Exponent, BigInteger Bound)>();
            for (int op = 0; op < OperationsPerKey; op++)
            {
                int kind = pool.Count < 2 ? 0 : random.Next(3);
                (PaillierEncryptedNumber Cipher, BigInteger Mantissa, int Exponent, BigInteger Bound)? result = null;
                switch (kind)
                {
                    case 0:
                        double value = RandomDouble(random);
                        var encoded = PaillierEncoding.Encode(key, value);
                        Assert.Equal(value, Oracle(encoded.Mantissa(), encoded.Exponent));
                        result = (key.Encrypt(value), encoded.Mantissa(), encoded.Exponent, PaillierEncoding.FloatMantissaBound);
                        break;
                    case 1:
                        var (a, b) = (pool[random.Next(pool.Count)], pool[random.Next(pool.Count)]);
                        int exponent = Math.Min(a.Exponent, b.Exponent);
                        BigInteger scaleA = BigInteger.Pow(16, a.Exponent - exponent), scaleB = BigInteger.Pow(16, b.Exponent - exponent);
                        BigInteger bound = BigInteger.Max(a.Bound * scaleA, b.Bound * scaleB) > key.MaxInt
                            ? a.Bound * scaleA + b.Bound * scaleB + key.MaxInt
                            : a.Bound * scaleA + b.Bound * scaleB;
                        var sum = Expect(key, bound, () => a.Cipher + b.Cipher, a.Mantissa * scaleA + b.Mantissa * scaleB, ref refused);
                        result = sum is { } s ? (s.Cipher, s.Exact, exponent, s.Bound) : null;
                        break;
                    default:
                        var c = pool[random.Next(pool.Count)];
                        BigInteger factor = random.Next(-1000, 1001);
                        var product = Expect(key, c.Bound * BigInteger.Abs(factor), () => c.Cipher * factor, c.Mantissa * factor, ref refused);
                        result = product is { } p ? (p.Cipher, p.Exact, c.Exponent, p.Bound) : null;
                        break;
                }

                if (result is { } entry)
                {
                    Assert.Equal(entry.Exponent, entry.Cipher.Exponent);
                    Assert.Equal(Oracle(entry.Mantissa, entry.Exponent), keys.PrivateKey.DecryptDouble(entry.Cipher));
                    decrypted++;
                    pool.Add(entry);
                }
            }
        }

        log.WriteLine($"floats: {FloatKeys} keys, {decrypted} results decrypted to the correctly rounded value, {refused} operations refused");
        Assert.True(decrypted > FloatKeys * OperationsPerKey / 2, $"{decrypted} decrypted");
        Assert.True(refused > 20, $"{refused} refused");
    }

    /// <summary>The probes: results that used to wrap silently are refused before they are computed.</summary>
    [Fact]
    public void SumsAndProductsThatWouldWrapAreRefused()
    {
        // A 34-bit key holds int.MaxValue (MaxInt is 2.9e9 to 5.7e9) but not three times it: the product used to decrypt to -5.
        var small = PaillierKeyPair.Generate(34, new SeededRandomNumberGenerator(3), allowInsecureKeySize: true);
        var max = small.PublicKey.Encrypt(int.MaxValue);
        Assert.Throws<OverflowException>(() => max * 3);
        Assert.Throws<OverflowException>(() => max + max + max);
        Assert.Equal(-(BigInteger)int.MaxValue, small.PrivateKey.DecryptInteger(max * -1));

        // 5 + 1e-25 with a 128-bit key used to decrypt to -0.000477; 5 + 1e-30 gave 134 wrong values and 66 overflows in 200 keys.
        var keys = PaillierKeyPair.Generate(128, new SeededRandomNumberGenerator(4), allowInsecureKeySize: true);
        var error = Assert.Throws<OverflowException>(() => keys.PublicKey.Encrypt(5.0) + keys.PublicKey.Encrypt(1e-25));
        Assert.Contains("hexadecimal digits apart", error.Message, StringComparison.Ordinal);
        Assert.Equal(5.0 + 1e-15, keys.PrivateKey.DecryptDouble(keys.PublicKey.Encrypt(5.0) + keys.PublicKey.Encrypt(1e-15)));
        int wrong = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            var pair = PaillierKeyPair.Generate(128, new SeededRandomNumberGenerator(1000 + seed), allowInsecureKeySize: true);
            try
            {
                wrong += pair.PrivateKey.DecryptDouble(pair.PublicKey.Encrypt(5.0) + pair.PublicKey.Encrypt(1e-30)) == 5.0 ? 0 : 1;
            }
            catch (OverflowException)
            {
            }
        }

        Assert.Equal(0, wrong);
    }

    [Fact]
    public void KeysShorterThan2048BitsNeedTheExplicitFlag()
    {
        foreach (int bits in new[] { 16, 128, 512, 1024, 2046 })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => PaillierKeyPair.Generate(bits));
            Assert.Contains("allowInsecureKeySize", error.Message, StringComparison.Ordinal);
        }

        BigInteger n2048 = (BigInteger.One << 2047) + 1;
        Assert.Equal(2048, PaillierPublicKey.FromModulus(n2048).Bits);
        Assert.Throws<ArgumentOutOfRangeException>(() => PaillierPublicKey.FromModulus((BigInteger.One << 1023) + 1));
        Assert.Equal(1024, PaillierPublicKey.FromModulus((BigInteger.One << 1023) + 1, allowInsecureKeySize: true).Bits);
    }

    [Fact]
    public void AFalseRangeIsCaughtAtDecryption()
    {
        var keys = PaillierKeyPair.Generate(128, new SeededRandomNumberGenerator(5), allowInsecureKeySize: true);
        var big = keys.PublicKey.Encrypt(1_000_000);
        var relabelled = keys.PublicKey.FromCiphertext(big.Ciphertext, big.Exponent, maxMagnitude: 1000);

        Assert.Equal(1_000_000, keys.PrivateKey.DecryptInteger(keys.PublicKey.FromCiphertext(big.Ciphertext, 0, big.MaxMagnitude)));
        var error = Assert.Throws<OverflowException>(() => keys.PrivateKey.DecryptInteger(relabelled));
        Assert.Contains("outside the number's range", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A mantissa beyond 2^1024 with an exponent that brings it back into range decodes to the right double.</summary>
    [Fact]
    public void DecodingRoundsOnceEvenForMantissasBeyondTheDoubleRange()
    {
        var keys = PaillierKeyPair.Generate(1100, new SeededRandomNumberGenerator(6), allowInsecureKeySize: true);
        var product = keys.PublicKey.Encrypt(1e-300) * BigInteger.Pow(10, 310);
        var encoded = PaillierEncoding.Encode(keys.PublicKey, 1e-300);

        Assert.Equal(Oracle(encoded.Mantissa() * BigInteger.Pow(10, 310), encoded.Exponent), keys.PrivateKey.DecryptDouble(product));
        Assert.InRange(keys.PrivateKey.DecryptDouble(product), 9.99e9, 1.001e10);
        Assert.Throws<OverflowException>(() => keys.PrivateKey.DecryptDouble(keys.PublicKey.Encrypt(1e300) * BigInteger.Pow(10, 10)));
    }

    private static (PaillierEncryptedNumber Cipher, BigInteger Exact, BigInteger Bound)? Expect(
        PaillierPublicKey key, BigInteger bound, Func<PaillierEncryptedNumber> operation, BigInteger exact, ref int refused)
    {
        if (bound > key.MaxInt)
        {
            Assert.Throws<OverflowException>(operation);
            refused++;
            return null;
        }

        return (operation(), exact, bound);
    }

    /// <summary>A random integer of uniformly random bit length (and sign) up to that of <paramref name="limit"/>, at most <paramref name="limit"/>.</summary>
    private static BigInteger RandomInteger(Random random, BigInteger limit)
    {
        int bits = random.Next(0, (int)limit.GetBitLength() + 1);
        var bytes = new byte[(bits / 8) + 1];
        random.NextBytes(bytes);
        var value = new BigInteger(bytes, isUnsigned: true) >> ((bytes.Length * 8) - bits);
        value = BigInteger.Min(value, limit);
        return random.Next(2) == 0 ? value : -value;
    }

    /// <summary>A double with a random 53-bit significand, sign and binary exponent from -120 to 120 (or zero).</summary>
    private static double RandomDouble(Random random)
    {
        if (random.Next(20) == 0)
        {
            return 0.0;
        }

        long significand = (1L << 52) | (random.NextInt64() & ((1L << 52) - 1));
        double value = Math.ScaleB(significand, random.Next(-120, 121) - 52);
        return random.Next(2) == 0 ? value : -value;
    }

    /// <summary>
    /// <c>mantissa × 16^exponent</c> rounded to the nearest double, independently of the runtime's decoder: the exact
    /// value written out in decimal (a power of two below 1 has a finite decimal expansion) and parsed by .NET's
    /// correctly rounded parser.
    /// </summary>
    private static double Oracle(BigInteger mantissa, int exponent)
    {
        if (exponent >= 0)
        {
            return double.Parse((mantissa * BigInteger.Pow(16, exponent)).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        int places = -4 * exponent;
        string digits = (BigInteger.Abs(mantissa) * BigInteger.Pow(5, places)).ToString(CultureInfo.InvariantCulture).PadLeft(places + 1, '0');
        string text = (mantissa.Sign < 0 ? "-" : "") + digits[..^places] + "." + digits[^places..];
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
