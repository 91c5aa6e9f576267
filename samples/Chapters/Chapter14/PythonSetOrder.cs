using System.Buffers.Binary;
using System.Numerics;

namespace Graph.Samples.Chapter14;

/// <summary>
/// The order in which CPython 3.11 lists the characters of a text as a set, <c>list(set(raw))</c>, in a process run
/// with <c>PYTHONHASHSEED=seed</c>: the book numbers its characters in that order, which changes from one Python
/// process to the next unless the seed is set.
/// </summary>
/// <remarks>
/// A one-character string's hash is SipHash-1-3 of its character (one byte up to U+00FF, two little-endian bytes up to
/// U+FFFF, as CPython stores the string), keyed by the first 16 bytes of the process's hash secret; a set seed fills
/// the secret from a linear congruential generator (<c>x = x·214013 + 2531011</c>, each byte bits 16-23 of x), and
/// seed 0 leaves it zero. A hash of -1 is -2. The set is CPython's open-addressing table: 8 slots to start, each key at
/// slot <c>hash &amp; mask</c>, else the next 9 slots where they fit, else a jump to <c>(5·i + 1 + perturb) &amp; mask</c>
/// with <c>perturb</c> the hash shifted right 5 bits more at each jump; once the table is 60% full it is rebuilt with
/// more than four times as many slots as keys, the keys reinserted in slot order. <c>list</c> reads the slots in
/// order.
/// </remarks>
public static class PythonSetOrder
{
    private const ulong LinearProbes = 9;
    private const int PerturbShift = 5;

    /// <summary>The distinct characters of <paramref name="raw"/> in <c>list(set(raw))</c>'s order under <c>PYTHONHASHSEED=seed</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="raw"/> holds a surrogate (a character beyond U+FFFF), whose string CPython stores otherwise.</exception>
    public static IReadOnlyList<char> Of(string raw, uint seed)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var (k0, k1) = Keys(seed);
        var keys = new char[8];
        var hashes = new long[8];
        var used = new bool[8];
        int count = 0;
        var seen = new HashSet<char>();
        foreach (char c in raw)
        {
            if (char.IsSurrogate(c))
            {
                throw new ArgumentException($"The text holds the surrogate U+{(int)c:X4}: CPython stores a character beyond U+FFFF in four bytes, which this order does not model.", nameof(raw));
            }

            if (!seen.Add(c))
            {
                continue;
            }

            long hash = Hash(c, k0, k1);
            Insert(keys, hashes, used, c, hash);
            count++;
            int mask = keys.Length - 1;
            if ((long)count * 5 >= (long)mask * 3)
            {
                (keys, hashes, used) = Resized(keys, hashes, used, count * 4);
            }
        }

        return keys.Where((_, slot) => used[slot]).ToArray();
    }

    /// <summary>CPython's <c>hash(c)</c> for the one-character string <paramref name="c"/> under <c>PYTHONHASHSEED=seed</c>.</summary>
    public static long Hash(char c, uint seed)
    {
        var (k0, k1) = Keys(seed);
        return Hash(c, k0, k1);
    }

    /// <summary>The SipHash keys k0 and k1 of the hash secret <c>PYTHONHASHSEED=seed</c> gives.</summary>
    private static (ulong K0, ulong K1) Keys(uint seed)
    {
        Span<byte> secret = stackalloc byte[16];
        if (seed != 0)
        {
            uint x = seed;
            for (int i = 0; i < secret.Length; i++)
            {
                x = unchecked((x * 214013) + 2531011);
                secret[i] = (byte)(x >> 16);
            }
        }

        return (BinaryPrimitives.ReadUInt64LittleEndian(secret), BinaryPrimitives.ReadUInt64LittleEndian(secret[8..]));
    }

    /// <summary>CPython's <c>hash(c)</c> for a one-character string, with SipHash keys <paramref name="k0"/> and <paramref name="k1"/>.</summary>
    private static long Hash(char c, ulong k0, ulong k1)
    {
        Span<byte> data = stackalloc byte[2];
        data[0] = (byte)c;
        data[1] = (byte)(c >> 8);
        long hash = (long)SipHash13(k0, k1, c <= 0xFF ? data[..1] : data);
        return hash == -1 ? -2 : hash;
    }

    /// <summary>SipHash-1-3 of a message shorter than 8 bytes, as CPython's <c>siphash13</c> computes it.</summary>
    private static ulong SipHash13(ulong k0, ulong k1, ReadOnlySpan<byte> message)
    {
        ulong v0 = k0 ^ 0x736f6d6570736575UL;
        ulong v1 = k1 ^ 0x646f72616e646f6dUL;
        ulong v2 = k0 ^ 0x6c7967656e657261UL;
        ulong v3 = k1 ^ 0x7465646279746573UL;
        ulong last = (ulong)message.Length << 56;
        for (int i = 0; i < message.Length; i++)
        {
            last |= (ulong)message[i] << (8 * i);
        }

        v3 ^= last;
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= last;
        v2 ^= 0xff;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        HalfRound(ref v0, ref v1, ref v2, ref v3, 13, 16);
        HalfRound(ref v2, ref v1, ref v0, ref v3, 17, 21);
    }

    private static void HalfRound(ref ulong a, ref ulong b, ref ulong c, ref ulong d, int s, int t)
    {
        a += b;
        c += d;
        b = BitOperations.RotateLeft(b, s) ^ a;
        d = BitOperations.RotateLeft(d, t) ^ c;
        a = BitOperations.RotateLeft(a, 32);
    }

    /// <summary>Puts a key not yet in the table at the first free slot of its probe sequence.</summary>
    private static void Insert(char[] keys, long[] hashes, bool[] used, char key, long hash)
    {
        ulong mask = (ulong)keys.Length - 1;
        ulong perturb = (ulong)hash;
        ulong i = (ulong)hash & mask;
        while (true)
        {
            ulong probes = i + LinearProbes <= mask ? LinearProbes : 0UL;
            for (ulong j = 0; j <= probes; j++)
            {
                if (!used[i + j])
                {
                    keys[i + j] = key;
                    hashes[i + j] = hash;
                    used[i + j] = true;
                    return;
                }
            }

            perturb >>= PerturbShift;
            i = ((i * 5) + 1 + perturb) & mask;
        }
    }

    /// <summary>A table of the smallest power of two above <paramref name="least"/> slots (8 at least), the keys reinserted in slot order.</summary>
    private static (char[] Keys, long[] Hashes, bool[] Used) Resized(char[] keys, long[] hashes, bool[] used, int least)
    {
        int size = 8;
        while (size <= least)
        {
            size <<= 1;
        }

        var (newKeys, newHashes, newUsed) = (new char[size], new long[size], new bool[size]);
        for (int slot = 0; slot < keys.Length; slot++)
        {
            if (used[slot])
            {
                Insert(newKeys, newHashes, newUsed, keys[slot], hashes[slot]);
            }
        }

        return (newKeys, newHashes, newUsed);
    }
}
