using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>
/// The operations on vectors of 32-bit words that <see cref="MersenneTwister"/>'s twist and tempering are written
/// against, for one SIMD width: the code is generic over a struct implementing this interface, so the JIT compiles one
/// specialised copy per width with every operation inlined, and the widest the machine accelerates runs first.
/// </summary>
/// <typeparam name="TVec">The vector of words.</typeparam>
internal interface IWordLanes<TVec>
    where TVec : struct
{
    /// <summary>Whether the hardware accelerates this width (the generic code does nothing at a width it does not).</summary>
    static abstract bool IsAccelerated { get; }

    /// <summary>The words of one vector.</summary>
    static abstract int Count { get; }

    static abstract TVec Load(ref uint source, int index);

    static abstract void Store(TVec value, ref uint target, int index);

    static abstract TVec Splat(uint value);

    static abstract TVec And(TVec x, TVec y);

    static abstract TVec Or(TVec x, TVec y);

    static abstract TVec Xor(TVec x, TVec y);

    /// <summary>Each word shifted right, zeros in from the top.</summary>
    static abstract TVec ShiftRight(TVec x, int bits);

    static abstract TVec ShiftLeft(TVec x, int bits);

    /// <summary>0 − x in each word (all ones from 1).</summary>
    static abstract TVec Negate(TVec x);
}

/// <summary>Sixteen words at a time (AVX-512).</summary>
internal readonly struct WordLanes512 : IWordLanes<Vector512<uint>>
{
    public static bool IsAccelerated => Vector512.IsHardwareAccelerated;

    public static int Count => Vector512<uint>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Load(ref uint source, int index) => Vector512.LoadUnsafe(ref source, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<uint> value, ref uint target, int index) => value.StoreUnsafe(ref target, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Splat(uint value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> And(Vector512<uint> x, Vector512<uint> y) => x & y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Or(Vector512<uint> x, Vector512<uint> y) => x | y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Xor(Vector512<uint> x, Vector512<uint> y) => x ^ y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> ShiftRight(Vector512<uint> x, int bits) => x >>> bits;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> ShiftLeft(Vector512<uint> x, int bits) => x << bits;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Negate(Vector512<uint> x) => -x;
}

/// <summary>Eight words at a time (AVX2).</summary>
internal readonly struct WordLanes256 : IWordLanes<Vector256<uint>>
{
    public static bool IsAccelerated => Vector256.IsHardwareAccelerated;

    public static int Count => Vector256<uint>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Load(ref uint source, int index) => Vector256.LoadUnsafe(ref source, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<uint> value, ref uint target, int index) => value.StoreUnsafe(ref target, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Splat(uint value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> And(Vector256<uint> x, Vector256<uint> y) => x & y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Or(Vector256<uint> x, Vector256<uint> y) => x | y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Xor(Vector256<uint> x, Vector256<uint> y) => x ^ y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> ShiftRight(Vector256<uint> x, int bits) => x >>> bits;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> ShiftLeft(Vector256<uint> x, int bits) => x << bits;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Negate(Vector256<uint> x) => -x;
}

/// <summary>Four words at a time (SSE2, NEON).</summary>
internal readonly struct WordLanes128 : IWordLanes<Vector128<uint>>
{
    public static bool IsAccelerated => Vector128.IsHardwareAccelerated;

    public static int Count => Vector128<uint>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Load(ref uint source, int index) => Vector128.LoadUnsafe(ref source, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<uint> value, ref uint target, int index) => value.StoreUnsafe(ref target, (nuint)index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Splat(uint value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> And(Vector128<uint> x, Vector128<uint> y) => x & y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Or(Vector128<uint> x, Vector128<uint> y) => x | y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Xor(Vector128<uint> x, Vector128<uint> y) => x ^ y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> ShiftRight(Vector128<uint> x, int bits) => x >>> bits;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> ShiftLeft(Vector128<uint> x, int bits) => x << bits;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Negate(Vector128<uint> x) => -x;
}
