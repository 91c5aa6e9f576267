using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>
/// The double vector operations <see cref="DoubleTanh"/> is written against, for one SIMD width: the code is generic
/// over a struct implementing this interface, so the JIT compiles one specialised copy per width with every operation
/// inlined, and each lane computes the same value at every width.
/// </summary>
/// <typeparam name="TVec">The vector of doubles.</typeparam>
internal unsafe interface IDoubleLanes<TVec>
    where TVec : struct
{
    /// <summary>The lanes of one vector.</summary>
    static abstract int Count { get; }

    /// <summary><see cref="Bits"/> of a vector whose every lane is set.</summary>
    static abstract ulong AllBits { get; }

    static abstract TVec Load(double* source);

    static abstract void Store(TVec value, double* target);

    static abstract TVec Splat(double value);

    static abstract TVec Abs(TVec x);

    static abstract TVec Add(TVec x, TVec y);

    static abstract TVec Subtract(TVec x, TVec y);

    static abstract TVec Multiply(TVec x, TVec y);

    static abstract TVec Divide(TVec x, TVec y);

    /// <summary>x·y + z, rounded once.</summary>
    static abstract TVec FusedMultiplyAdd(TVec x, TVec y, TVec z);

    /// <summary>Each lane rounded toward zero to a whole number.</summary>
    static abstract TVec Truncate(TVec x);

    /// <summary>
    /// y·2ⁿ for each lane's whole number n (|n| &lt; 2⁵¹), made by adding n to the exponent field of y's bits, carries
    /// into the sign bit included: exact while the result is a normal number.
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

/// <summary><see cref="IDoubleLanes{TVec}"/> on 512-bit vectors.</summary>
internal readonly unsafe struct DoubleLanes512 : IDoubleLanes<Vector512<double>>
{
    public static int Count => Vector512<double>.Count;

    public static ulong AllBits => 0xFF;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Load(double* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<double> value, double* target) => Vector512.Store(value, target);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Splat(double value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Abs(Vector512<double> x) => Vector512.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Add(Vector512<double> x, Vector512<double> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Subtract(Vector512<double> x, Vector512<double> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Multiply(Vector512<double> x, Vector512<double> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Divide(Vector512<double> x, Vector512<double> y) => x / y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> FusedMultiplyAdd(Vector512<double> x, Vector512<double> y, Vector512<double> z) => Vector512.FusedMultiplyAdd(x, y, z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Truncate(Vector512<double> x) => Vector512.Truncate(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> AddToExponent(Vector512<double> y, Vector512<double> n) =>
        (y.AsInt64() + Vector512.ShiftLeft((n + Vector512.Create(DoubleLanes.WholeNumberOffset)).AsInt64() - Vector512.Create(DoubleLanes.WholeNumberOffsetBits), 52)).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> LessThan(Vector512<double> x, Vector512<double> y) => Vector512.LessThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Equals(Vector512<double> x, Vector512<double> y) => Vector512.Equals(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Bits(Vector512<double> mask) => mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Select(Vector512<double> mask, Vector512<double> ifSet, Vector512<double> otherwise) =>
        Vector512.ConditionalSelect(mask, ifSet, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> WithSignOf(Vector512<double> magnitude, Vector512<double> sign) => magnitude | (sign & Vector512.Create(-0.0));
}

/// <summary><see cref="IDoubleLanes{TVec}"/> on 256-bit vectors.</summary>
internal readonly unsafe struct DoubleLanes256 : IDoubleLanes<Vector256<double>>
{
    public static int Count => Vector256<double>.Count;

    public static ulong AllBits => 0xF;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Load(double* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<double> value, double* target) => Vector256.Store(value, target);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Splat(double value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Abs(Vector256<double> x) => Vector256.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Add(Vector256<double> x, Vector256<double> y) => x + y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Subtract(Vector256<double> x, Vector256<double> y) => x - y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Multiply(Vector256<double> x, Vector256<double> y) => x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Divide(Vector256<double> x, Vector256<double> y) => x / y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> FusedMultiplyAdd(Vector256<double> x, Vector256<double> y, Vector256<double> z) => Vector256.FusedMultiplyAdd(x, y, z);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Truncate(Vector256<double> x) => Vector256.Truncate(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> AddToExponent(Vector256<double> y, Vector256<double> n) =>
        (y.AsInt64() + Vector256.ShiftLeft((n + Vector256.Create(DoubleLanes.WholeNumberOffset)).AsInt64() - Vector256.Create(DoubleLanes.WholeNumberOffsetBits), 52)).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> LessThan(Vector256<double> x, Vector256<double> y) => Vector256.LessThan(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Equals(Vector256<double> x, Vector256<double> y) => Vector256.Equals(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Bits(Vector256<double> mask) => mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Select(Vector256<double> mask, Vector256<double> ifSet, Vector256<double> otherwise) =>
        Vector256.ConditionalSelect(mask, ifSet, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> WithSignOf(Vector256<double> magnitude, Vector256<double> sign) => magnitude | (sign & Vector256.Create(-0.0));
}

/// <summary>The constants the <see cref="IDoubleLanes{TVec}"/> implementations share.</summary>
internal static class DoubleLanes
{
    /// <summary>1.5·2⁵²: a whole number n with |n| &lt; 2⁵¹ added to it gives a double whose bits are this one's plus n.</summary>
    public const double WholeNumberOffset = 6755399441055744.0;

    /// <summary>The bits of <see cref="WholeNumberOffset"/>.</summary>
    public const long WholeNumberOffsetBits = 0x4338000000000000;
}
