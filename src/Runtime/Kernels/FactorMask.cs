using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>
/// Which of up to 64 consecutive factors are nonzero, as the bits of a word: the kernels that skip the rows of zero
/// factors (an image's blank pixels) walk the set bits instead of testing each factor, so that runs of blank and inked
/// pixels cost no mispredicted branches.
/// </summary>
internal static unsafe class FactorMask
{
    /// <summary>Bit i set when <c>x[i] != 0</c> (NaN counts as nonzero, −0 as zero), for i &lt; <paramref name="count"/> ≤ 64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong NonZero<T>(T* x, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated && typeof(T) == typeof(float) && count == 64)
        {
            // A whole word of floats, four vectors: the zero lanes' bits, then their complement.
            float* f = (float*)x;
            ulong zeros = Vector512.Equals(Vector512.Load(f), Vector512<float>.Zero).ExtractMostSignificantBits()
                | (Vector512.Equals(Vector512.Load(f + 16), Vector512<float>.Zero).ExtractMostSignificantBits() << 16)
                | (Vector512.Equals(Vector512.Load(f + 32), Vector512<float>.Zero).ExtractMostSignificantBits() << 32)
                | (Vector512.Equals(Vector512.Load(f + 48), Vector512<float>.Zero).ExtractMostSignificantBits() << 48);
            return ~zeros;
        }

        ulong mask = 0;
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            for (; i + Vector512<T>.Count <= count; i += Vector512<T>.Count)
            {
                mask |= (~Vector512.Equals(Vector512.Load(x + i), Vector512<T>.Zero)).ExtractMostSignificantBits() << i;
            }
        }

        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            for (; i + Vector256<T>.Count <= count; i += Vector256<T>.Count)
            {
                mask |= (ulong)(~Vector256.Equals(Vector256.Load(x + i), Vector256<T>.Zero)).ExtractMostSignificantBits() << i;
            }

            if (i < count && count >= Vector256<T>.Count)
            {
                // The last factors as the vector that ends at the last one, overlapping those already marked.
                int last = count - Vector256<T>.Count;
                return mask | ((ulong)(~Vector256.Equals(Vector256.Load(x + last), Vector256<T>.Zero)).ExtractMostSignificantBits() << last);
            }
        }

        for (; i < count; i++)
        {
            mask |= (x[i] != T.Zero ? 1UL : 0UL) << i;
        }

        return mask;
    }

    /// <summary>
    /// Bit 4g set when any of factors 4g … 4g + 3 is nonzero (the other bits clear), for <paramref name="count"/> ≤ 64
    /// factors, a multiple of 4: the groups of four rows that the vector–matrix product adds together.
    /// </summary>
    public static ulong NonZeroGroupsOfFour<T>(T* x, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ulong mask = NonZero(x, count);
        return (mask | (mask >> 1) | (mask >> 2) | (mask >> 3)) & 0x1111111111111111UL;
    }
}
