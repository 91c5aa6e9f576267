using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>
/// The vector operations <see cref="FloatTanh"/> and <see cref="DoubleTanh"/> are written against, for one SIMD width
/// and element type (float or double): the code is generic over a struct implementing this interface, so the JIT
/// compiles one specialised copy per width with every operation inlined, and each lane computes the same value at
/// every width.
/// </summary>
/// <typeparam name="TVec">The vector.</typeparam>
/// <typeparam name="T">Its element, float or double.</typeparam>
internal unsafe interface ILanes<TVec, T>
    where TVec : struct
    where T : unmanaged
{
    /// <summary>The lanes of one vector.</summary>
    static abstract int Count { get; }

    /// <summary><see cref="Bits"/> of a vector whose every lane is set.</summary>
    static abstract ulong AllBits { get; }

    static abstract TVec Load(T* source);

    static abstract void Store(TVec value, T* target);

    static abstract TVec Splat(T value);

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

    /// <summary>Each lane rounded toward zero to a whole number.</summary>
    static abstract TVec Truncate(TVec x);

    /// <summary>
    /// y·2ⁿ for each lane's whole number n (|n| below 2²² in float, 2⁵¹ in double), made by adding n to the exponent
    /// field of y's bits: exact while the result is a normal number.
    /// </summary>
    static abstract TVec AddToExponent(TVec y, TVec n);

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

/// <summary><see cref="ILanes{TVec, T}"/> on 512-bit vectors of float or double.</summary>
internal readonly unsafe struct Lanes512<T> : ILanes<Vector512<T>, T>
    where T : unmanaged
{
    public static int Count => Vector512<T>.Count;

    public static ulong AllBits => (1UL << Vector512<T>.Count) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(T* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, T* target) => Vector512.Store(value, target);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Splat(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Abs(Vector512<T> x) => Vector512.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> x, Vector512<T> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Subtract(Vector512<T> x, Vector512<T> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> x, Vector512<T> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Divide(Vector512<T> x, Vector512<T> y) => x / y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> FusedMultiplyAdd(Vector512<T> x, Vector512<T> y, Vector512<T> z) =>
        typeof(T) == typeof(float)
            ? Vector512.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), z.As<T, float>()).As<float, T>()
            : Vector512.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), z.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MinNative(Vector512<T> x, Vector512<T> y) => Vector512.MinNative(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Round(Vector512<T> x) =>
        typeof(T) == typeof(float) ? Vector512.Round(x.As<T, float>()).As<float, T>() : Vector512.Round(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Truncate(Vector512<T> x) =>
        typeof(T) == typeof(float) ? Vector512.Truncate(x.As<T, float>()).As<float, T>() : Vector512.Truncate(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> AddToExponent(Vector512<T> y, Vector512<T> n)
    {
        if (typeof(T) == typeof(float))
        {
            var whole = (n.As<T, float>() + Vector512.Create(Lanes.FloatWholeNumberOffset)).AsInt32() - Vector512.Create(Lanes.FloatWholeNumberOffsetBits);
            return (y.AsInt32() + Vector512.ShiftLeft(whole, 23)).As<int, T>();
        }

        var wide = (n.As<T, double>() + Vector512.Create(Lanes.DoubleWholeNumberOffset)).AsInt64() - Vector512.Create(Lanes.DoubleWholeNumberOffsetBits);
        return (y.AsInt64() + Vector512.ShiftLeft(wide, 52)).As<long, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LessThan(Vector512<T> x, Vector512<T> y) => Vector512.LessThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Equals(Vector512<T> x, Vector512<T> y) => Vector512.Equals(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Bits(Vector512<T> mask) => mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Select(Vector512<T> mask, Vector512<T> ifSet, Vector512<T> otherwise) =>
        Vector512.ConditionalSelect(mask, ifSet, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> WithSignOf(Vector512<T> magnitude, Vector512<T> sign) =>
        magnitude | (sign & (typeof(T) == typeof(float) ? Vector512.Create(-0f).As<float, T>() : Vector512.Create(-0.0).As<double, T>()));
}

/// <summary><see cref="ILanes{TVec, T}"/> on 256-bit vectors of float or double.</summary>
internal readonly unsafe struct Lanes256<T> : ILanes<Vector256<T>, T>
    where T : unmanaged
{
    public static int Count => Vector256<T>.Count;

    public static ulong AllBits => (1UL << Vector256<T>.Count) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(T* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, T* target) => Vector256.Store(value, target);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Splat(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Abs(Vector256<T> x) => Vector256.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> x, Vector256<T> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> x, Vector256<T> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> x, Vector256<T> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Divide(Vector256<T> x, Vector256<T> y) => x / y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> FusedMultiplyAdd(Vector256<T> x, Vector256<T> y, Vector256<T> z) =>
        typeof(T) == typeof(float)
            ? Vector256.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), z.As<T, float>()).As<float, T>()
            : Vector256.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), z.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MinNative(Vector256<T> x, Vector256<T> y) => Vector256.MinNative(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Round(Vector256<T> x) =>
        typeof(T) == typeof(float) ? Vector256.Round(x.As<T, float>()).As<float, T>() : Vector256.Round(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Truncate(Vector256<T> x) =>
        typeof(T) == typeof(float) ? Vector256.Truncate(x.As<T, float>()).As<float, T>() : Vector256.Truncate(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> AddToExponent(Vector256<T> y, Vector256<T> n)
    {
        if (typeof(T) == typeof(float))
        {
            var whole = (n.As<T, float>() + Vector256.Create(Lanes.FloatWholeNumberOffset)).AsInt32() - Vector256.Create(Lanes.FloatWholeNumberOffsetBits);
            return (y.AsInt32() + Vector256.ShiftLeft(whole, 23)).As<int, T>();
        }

        var wide = (n.As<T, double>() + Vector256.Create(Lanes.DoubleWholeNumberOffset)).AsInt64() - Vector256.Create(Lanes.DoubleWholeNumberOffsetBits);
        return (y.AsInt64() + Vector256.ShiftLeft(wide, 52)).As<long, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LessThan(Vector256<T> x, Vector256<T> y) => Vector256.LessThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Equals(Vector256<T> x, Vector256<T> y) => Vector256.Equals(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Bits(Vector256<T> mask) => mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Select(Vector256<T> mask, Vector256<T> ifSet, Vector256<T> otherwise) =>
        Vector256.ConditionalSelect(mask, ifSet, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> WithSignOf(Vector256<T> magnitude, Vector256<T> sign) =>
        magnitude | (sign & (typeof(T) == typeof(float) ? Vector256.Create(-0f).As<float, T>() : Vector256.Create(-0.0).As<double, T>()));
}

/// <summary>The constants the <see cref="ILanes{TVec, T}"/> implementations share.</summary>
internal static class Lanes
{
    /// <summary>1.5·2²³: a whole number n with |n| &lt; 2²² added to it gives a float whose bits are this one's plus n.</summary>
    public const float FloatWholeNumberOffset = 12582912f;

    /// <summary>The bits of <see cref="FloatWholeNumberOffset"/>.</summary>
    public const int FloatWholeNumberOffsetBits = 0x4B400000;

    /// <summary>1.5·2⁵²: a whole number n with |n| &lt; 2⁵¹ added to it gives a double whose bits are this one's plus n.</summary>
    public const double DoubleWholeNumberOffset = 6755399441055744.0;

    /// <summary>The bits of <see cref="DoubleWholeNumberOffset"/>.</summary>
    public const long DoubleWholeNumberOffsetBits = 0x4338000000000000;
}
