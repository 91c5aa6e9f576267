using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>
/// The float vector operations <see cref="FloatTanh"/> is written against, for one SIMD width: the code is generic over
/// a struct implementing this interface, so the JIT compiles one specialised copy per width with every operation
/// inlined, and each lane computes the same value at every width.
/// </summary>
/// <typeparam name="TVec">The vector of floats.</typeparam>
internal unsafe interface IFloatLanes<TVec>
    where TVec : struct
{
    /// <summary>The lanes of one vector.</summary>
    static abstract int Count { get; }

    /// <summary><see cref="Bits"/> of a vector whose every lane is set.</summary>
    static abstract ulong AllBits { get; }

    static abstract TVec Load(float* source);

    static abstract void Store(TVec value, float* target);

    static abstract TVec Splat(float value);

    static abstract TVec Abs(TVec x);

    static abstract TVec Add(TVec x, TVec y);

    static abstract TVec Subtract(TVec x, TVec y);

    static abstract TVec Multiply(TVec x, TVec y);

    static abstract TVec Divide(TVec x, TVec y);

    /// <summary>x·y + z, rounded once.</summary>
    static abstract TVec FusedMultiplyAdd(TVec x, TVec y, TVec z);

    static abstract TVec MinNative(TVec x, TVec y);

    /// <summary>Each lane rounded to the nearest whole number, ties to even.</summary>
    static abstract TVec Round(TVec x);

    /// <summary>2ⁿ for each lane n, a whole number from −126 to 127.</summary>
    static abstract TVec PowerOfTwo(TVec n);

    /// <summary>All ones in the lanes where x &lt; y, else zeros.</summary>
    static abstract TVec LessThan(TVec x, TVec y);

    /// <summary>All ones in the lanes where x = y (not NaN), else zeros.</summary>
    static abstract TVec Equals(TVec x, TVec y);

    /// <summary>The lanes of <paramref name="mask"/> that are set, lane i in bit i.</summary>
    static abstract ulong Bits(TVec mask);

    /// <summary>The lanes of <paramref name="ifSet"/> where <paramref name="mask"/> is set, else those of <paramref name="otherwise"/>.</summary>
    static abstract TVec Select(TVec mask, TVec ifSet, TVec otherwise);

    /// <summary><paramref name="magnitude"/> (sign bit clear) with the sign of <paramref name="sign"/>.</summary>
    static abstract TVec WithSignOf(TVec magnitude, TVec sign);
}

/// <summary><see cref="IFloatLanes{TVec}"/> on 512-bit vectors.</summary>
internal readonly unsafe struct FloatLanes512 : IFloatLanes<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;

    public static ulong AllBits => 0xFFFF;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, float* target) => Vector512.Store(value, target);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Splat(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Abs(Vector512<float> x) => Vector512.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> x, Vector512<float> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> x, Vector512<float> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> x, Vector512<float> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Divide(Vector512<float> x, Vector512<float> y) => x / y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> FusedMultiplyAdd(Vector512<float> x, Vector512<float> y, Vector512<float> z) => Vector512.FusedMultiplyAdd(x, y, z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MinNative(Vector512<float> x, Vector512<float> y) => Vector512.MinNative(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Round(Vector512<float> x) => Vector512.Round(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> PowerOfTwo(Vector512<float> n) =>
        Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LessThan(Vector512<float> x, Vector512<float> y) => Vector512.LessThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Equals(Vector512<float> x, Vector512<float> y) => Vector512.Equals(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Bits(Vector512<float> mask) => mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Select(Vector512<float> mask, Vector512<float> ifSet, Vector512<float> otherwise) =>
        Vector512.ConditionalSelect(mask, ifSet, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> WithSignOf(Vector512<float> magnitude, Vector512<float> sign) => magnitude | (sign & Vector512.Create(-0f));
}

/// <summary><see cref="IFloatLanes{TVec}"/> on 256-bit vectors.</summary>
internal readonly unsafe struct FloatLanes256 : IFloatLanes<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;

    public static ulong AllBits => 0xFF;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, float* target) => Vector256.Store(value, target);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Splat(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Abs(Vector256<float> x) => Vector256.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> x, Vector256<float> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> x, Vector256<float> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> x, Vector256<float> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Divide(Vector256<float> x, Vector256<float> y) => x / y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> FusedMultiplyAdd(Vector256<float> x, Vector256<float> y, Vector256<float> z) => Vector256.FusedMultiplyAdd(x, y, z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MinNative(Vector256<float> x, Vector256<float> y) => Vector256.MinNative(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Round(Vector256<float> x) => Vector256.Round(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> PowerOfTwo(Vector256<float> n) =>
        Vector256.ShiftLeft(Vector256.ConvertToInt32(n) + Vector256.Create(127), 23).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LessThan(Vector256<float> x, Vector256<float> y) => Vector256.LessThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Equals(Vector256<float> x, Vector256<float> y) => Vector256.Equals(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Bits(Vector256<float> mask) => mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Select(Vector256<float> mask, Vector256<float> ifSet, Vector256<float> otherwise) =>
        Vector256.ConditionalSelect(mask, ifSet, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> WithSignOf(Vector256<float> magnitude, Vector256<float> sign) => magnitude | (sign & Vector256.Create(-0f));
}
