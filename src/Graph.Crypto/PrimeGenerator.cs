using System.Numerics;
using System.Security.Cryptography;

namespace Graph.Crypto;

/// <summary>Random probable primes for key generation: trial division by small primes, then Miller-Rabin.</summary>
public static class PrimeGenerator
{
    /// <summary>Miller-Rabin rounds with random bases; a composite passes all of them with probability below 4^-64.</summary>
    public const int MillerRabinRounds = 64;

    private static readonly int[] SmallPrimes = SievePrimes(2000);

    /// <summary>A random probable prime of exactly <paramref name="bits"/> bits (its top bit set).</summary>
    /// <param name="bits">The prime's bit length, at least 8.</param>
    /// <param name="random">The random source; a cryptographically secure one when null.</param>
    public static BigInteger RandomPrime(int bits, RandomNumberGenerator? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, 8);
        random ??= RandomNumberGenerator.Create();
        while (true)
        {
            BigInteger candidate = RandomBits(bits, random) | BigInteger.One | (BigInteger.One << (bits - 1));
            if (IsProbablePrime(candidate, random))
            {
                return candidate;
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="value"/> is prime: exact below the square of the largest small prime, otherwise
    /// <see cref="MillerRabinRounds"/> Miller-Rabin rounds with random bases.
    /// </summary>
    public static bool IsProbablePrime(BigInteger value, RandomNumberGenerator? random = null)
    {
        if (value < 2)
        {
            return false;
        }

        foreach (int p in SmallPrimes)
        {
            if (value == p)
            {
                return true;
            }

            if (value % p == 0)
            {
                return false;
            }
        }

        int largest = SmallPrimes[^1];
        if (value < (BigInteger)largest * largest)
        {
            return true;
        }

        random ??= RandomNumberGenerator.Create();
        BigInteger minusOne = value - 1;
        int twos = 0;
        BigInteger odd = minusOne;
        while (odd.IsEven)
        {
            odd >>= 1;
            twos++;
        }

        int bits = (int)value.GetBitLength();
        for (int round = 0; round < MillerRabinRounds; round++)
        {
            BigInteger a;
            do
            {
                a = RandomBits(bits, random);
            }
            while (a < 2 || a >= minusOne);

            BigInteger x = ModularPower.Of(a, odd, value);
            if (x.IsOne || x == minusOne)
            {
                continue;
            }

            bool witness = true;
            for (int i = 1; i < twos && witness; i++)
            {
                x = x * x % value;
                witness = x != minusOne;
            }

            if (witness)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A uniformly random non-negative integer below 2^<paramref name="bits"/>.</summary>
    internal static BigInteger RandomBits(int bits, RandomNumberGenerator random)
    {
        var bytes = new byte[(bits + 7) / 8];
        random.GetBytes(bytes);
        int excess = bytes.Length * 8 - bits;
        bytes[^1] &= (byte)(0xFF >> excess);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
    }

    /// <summary>A uniformly random integer in [1, <paramref name="bound"/>).</summary>
    internal static BigInteger RandomBelow(BigInteger bound, RandomNumberGenerator random)
    {
        int bits = (int)bound.GetBitLength();
        BigInteger value;
        do
        {
            value = RandomBits(bits, random);
        }
        while (value.IsZero || value >= bound);
        return value;
    }

    private static int[] SievePrimes(int limit)
    {
        var composite = new bool[limit + 1];
        var primes = new List<int>();
        for (int i = 2; i <= limit; i++)
        {
            if (!composite[i])
            {
                primes.Add(i);
                for (int j = i * i; j <= limit; j += i)
                {
                    composite[j] = true;
                }
            }
        }

        return [.. primes];
    }
}
