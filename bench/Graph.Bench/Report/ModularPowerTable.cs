using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Graph.Crypto;

namespace Graph.Bench.Report;

/// <summary>
/// The modular exponentiation of a Paillier encryption, rⁿ mod n², on the keys of chapter 15 (128 and 1024 bits) and
/// the smallest secure one (2048): <see cref="BigInteger.ModPow"/> against the library's <c>ModularPower</c>
/// (BouncyCastle's Montgomery <c>ModPow</c>), the same random r for both, one thread.
/// </summary>
public static class ModularPowerTable
{
    /// <summary>Prints the table.</summary>
    public static void Run(TextWriter output)
    {
        output.WriteLine("rⁿ mod n² (one Paillier encryption's exponentiation), µs per call, one thread, median of 7 rounds that alternate the two");
        output.WriteLine();
        output.WriteLine("| key | n² | BigInteger.ModPow | ModularPower (BouncyCastle) | ratio | same results |");
        output.WriteLine("|---:|---:|---:|---:|---:|---|");
        foreach (int bits in new[] { 128, 1024, 2048 })
        {
            var keys = PaillierKeyPair.Generate(bits, allowInsecureKeySize: true);
            BigInteger n = keys.PublicKey.N, square = keys.PublicKey.NSquare;
            var random = new Random(bits);
            int calls = bits switch { 128 => 4000, 1024 => 40, _ => 8 };
            BigInteger[] r = Enumerable.Range(0, calls).Select(_ => RandomBelow(random, n)).ToArray();
            bool same = r.Take(Math.Min(calls, 8)).All(x => BigInteger.ModPow(x, n, square) == ModularPower.Of(x, n, square));
            var system = new List<double>();
            var bouncy = new List<double>();
            for (int round = 0; round < 7; round++)
            {
                system.Add(PerCall(r, x => BigInteger.ModPow(x, n, square)));
                bouncy.Add(PerCall(r, x => ModularPower.Of(x, n, square)));
            }

            double a = Statistics.Median(system), b = Statistics.Median(bouncy);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {bits} bits | {(int)square.GetBitLength()} bits | {a:0.0} | {b:0.0} | {a / b:0.00}x | {(same ? "yes" : "NO")} |"));
        }
    }

    private static double PerCall(BigInteger[] values, Func<BigInteger, BigInteger> power)
    {
        BigInteger sink = 0;
        long start = Stopwatch.GetTimestamp();
        foreach (BigInteger x in values)
        {
            sink += power(x);
        }

        double microseconds = Stopwatch.GetElapsedTime(start).TotalMicroseconds / values.Length;
        return sink.Sign >= 0 ? microseconds : double.NaN;
    }

    private static BigInteger RandomBelow(Random random, BigInteger bound)
    {
        byte[] bytes = new byte[bound.GetByteCount(isUnsigned: true) + 1];
        random.NextBytes(bytes);
        bytes[^1] = 0;
        return new BigInteger(bytes) % bound;
    }
}
