using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>The numerical contract of the GEMM kernels, per element type.</summary>
internal static class GemmNumerics
{
    /// <summary>
    /// Whether sums of <typeparamref name="T"/> may be fused and reordered: single precision is computed for speed.
    /// Every other type gets, for each element of C, the sequential sum over p with every product and every sum
    /// rounded separately, bit for bit what a plain loop (or numpy) gives.
    /// </summary>
    /// <remarks>Always inlined, as are the vectors' <c>MultiplyAdd</c>, which branch on it: the JIT folds the type test
    /// only where it inlines it, and left to its budget inside the large tile methods it inlined them only where tiered
    /// PGO had marked the calls hot, so whether a tile's multiply-adds were calls depended on the process's profile
    /// (with PGO off, the CNN's products ran 5-10x slower).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsRelaxed<T>() => typeof(T) == typeof(float);
}

/// <summary>
/// The vector operations the GEMM kernels are written against, for one element type and one SIMD width.
/// </summary>
/// <remarks>
/// The kernels are generic over a struct implementing this interface, so the JIT compiles one specialised copy per
/// width with every operation inlined: the same source serves Vector512, Vector256, Vector128 and plain scalars.
/// <see cref="MultiplyAdd"/> carries the numerical contract (<see cref="GemmNumerics.IsRelaxed{T}"/>): fused for
/// single precision, a rounded product then a rounded sum for every other type.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TVec">The vector of <typeparamref name="T"/> (or <typeparamref name="T"/> itself for scalars).</typeparam>
internal interface IGemmVector<T, TVec>
    where T : unmanaged
    where TVec : struct
{
    /// <summary>The number of elements in one vector.</summary>
    static abstract int Count { get; }

    /// <summary>The vector of zeros.</summary>
    static abstract TVec Zero { get; }

    /// <summary>Loads <see cref="Count"/> consecutive elements (no alignment needed).</summary>
    static abstract unsafe TVec Load(T* source);

    /// <summary>Stores <see cref="Count"/> consecutive elements (no alignment needed).</summary>
    static abstract unsafe void Store(T* destination, TVec value);

    /// <summary>The vector with every element equal to <paramref name="value"/>.</summary>
    static abstract TVec Broadcast(T value);

    /// <summary><paramref name="accumulator"/> + <paramref name="left"/>·<paramref name="right"/>: fused where
    /// <see cref="GemmNumerics.IsRelaxed{T}"/>, a rounded multiply then a rounded add otherwise.</summary>
    static abstract TVec MultiplyAdd(TVec accumulator, TVec left, TVec right);

    /// <summary>The sum of the elements, in no particular order.</summary>
    static abstract T Sum(TVec value);

    /// <summary><paramref name="left"/>·<paramref name="right"/>, rounded.</summary>
    static abstract TVec Multiply(TVec left, TVec right);

    /// <summary><paramref name="value"/> − <paramref name="rate"/>·<paramref name="product"/>, a rounded multiply then a
    /// rounded subtract (never fused): the SGD step of <see cref="Kernels.SgdStep{T}"/>.</summary>
    static abstract TVec SgdStep(TVec value, TVec rate, TVec product);

    /// <summary>Whether every element is zero, of either sign (a NaN is not zero).</summary>
    static abstract bool IsZero(TVec value);
}

/// <summary><see cref="IGemmVector{T, TVec}"/> on <see cref="Vector512{T}"/> (AVX-512).</summary>
internal readonly struct GemmVector512<T> : IGemmVector<T, Vector512<T>>
    where T : unmanaged
{
    /// <inheritdoc/>
    public static int Count => Vector512<T>.Count;

    /// <inheritdoc/>
    public static Vector512<T> Zero => Vector512<T>.Zero;

    /// <inheritdoc/>
    public static unsafe Vector512<T> Load(T* source) => Vector512.Load(source);

    /// <inheritdoc/>
    public static unsafe void Store(T* destination, Vector512<T> value) => value.Store(destination);

    /// <inheritdoc/>
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> accumulator, Vector512<T> left, Vector512<T> right) =>
        GemmNumerics.IsRelaxed<T>()
            ? Vector512.MultiplyAddEstimate(left.AsSingle(), right.AsSingle(), accumulator.AsSingle()).As<float, T>()
            : accumulator + (left * right);

    /// <inheritdoc/>
    public static T Sum(Vector512<T> value) => Vector512.Sum(value);

    /// <inheritdoc/>
    public static Vector512<T> Multiply(Vector512<T> left, Vector512<T> right) => left * right;

    /// <inheritdoc/>
    public static Vector512<T> SgdStep(Vector512<T> value, Vector512<T> rate, Vector512<T> product) => value - (rate * product);

    /// <inheritdoc/>
    public static bool IsZero(Vector512<T> value) => Vector512.EqualsAll(value, Vector512<T>.Zero);
}

/// <summary><see cref="IGemmVector{T, TVec}"/> on <see cref="Vector256{T}"/> (AVX2).</summary>
internal readonly struct GemmVector256<T> : IGemmVector<T, Vector256<T>>
    where T : unmanaged
{
    /// <inheritdoc/>
    public static int Count => Vector256<T>.Count;

    /// <inheritdoc/>
    public static Vector256<T> Zero => Vector256<T>.Zero;

    /// <inheritdoc/>
    public static unsafe Vector256<T> Load(T* source) => Vector256.Load(source);

    /// <inheritdoc/>
    public static unsafe void Store(T* destination, Vector256<T> value) => value.Store(destination);

    /// <inheritdoc/>
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> accumulator, Vector256<T> left, Vector256<T> right) =>
        GemmNumerics.IsRelaxed<T>()
            ? Vector256.MultiplyAddEstimate(left.AsSingle(), right.AsSingle(), accumulator.AsSingle()).As<float, T>()
            : accumulator + (left * right);

    /// <inheritdoc/>
    public static T Sum(Vector256<T> value) => Vector256.Sum(value);

    /// <inheritdoc/>
    public static Vector256<T> Multiply(Vector256<T> left, Vector256<T> right) => left * right;

    /// <inheritdoc/>
    public static Vector256<T> SgdStep(Vector256<T> value, Vector256<T> rate, Vector256<T> product) => value - (rate * product);

    /// <inheritdoc/>
    public static bool IsZero(Vector256<T> value) => Vector256.EqualsAll(value, Vector256<T>.Zero);
}

/// <summary><see cref="IGemmVector{T, TVec}"/> on <see cref="Vector128{T}"/> (SSE, NEON).</summary>
internal readonly struct GemmVector128<T> : IGemmVector<T, Vector128<T>>
    where T : unmanaged
{
    /// <inheritdoc/>
    public static int Count => Vector128<T>.Count;

    /// <inheritdoc/>
    public static Vector128<T> Zero => Vector128<T>.Zero;

    /// <inheritdoc/>
    public static unsafe Vector128<T> Load(T* source) => Vector128.Load(source);

    /// <inheritdoc/>
    public static unsafe void Store(T* destination, Vector128<T> value) => value.Store(destination);

    /// <inheritdoc/>
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> accumulator, Vector128<T> left, Vector128<T> right) =>
        GemmNumerics.IsRelaxed<T>()
            ? Vector128.MultiplyAddEstimate(left.AsSingle(), right.AsSingle(), accumulator.AsSingle()).As<float, T>()
            : accumulator + (left * right);

    /// <inheritdoc/>
    public static T Sum(Vector128<T> value) => Vector128.Sum(value);

    /// <inheritdoc/>
    public static Vector128<T> Multiply(Vector128<T> left, Vector128<T> right) => left * right;

    /// <inheritdoc/>
    public static Vector128<T> SgdStep(Vector128<T> value, Vector128<T> rate, Vector128<T> product) => value - (rate * product);

    /// <inheritdoc/>
    public static bool IsZero(Vector128<T> value) => Vector128.EqualsAll(value, Vector128<T>.Zero);
}

/// <summary><see cref="IGemmVector{T, TVec}"/> on single elements: the fallback without SIMD, and the path for
/// element types that have no hardware vectors (<see cref="Half"/>, …).</summary>
internal readonly struct GemmScalar<T> : IGemmVector<T, T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public static int Count => 1;

    /// <inheritdoc/>
    public static T Zero => T.Zero;

    /// <inheritdoc/>
    public static unsafe T Load(T* source) => *source;

    /// <inheritdoc/>
    public static unsafe void Store(T* destination, T value) => *destination = value;

    /// <inheritdoc/>
    public static T Broadcast(T value) => value;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd(T accumulator, T left, T right) =>
        GemmNumerics.IsRelaxed<T>()
            ? Unsafe.BitCast<float, T>(float.MultiplyAddEstimate(
                Unsafe.BitCast<T, float>(left), Unsafe.BitCast<T, float>(right), Unsafe.BitCast<T, float>(accumulator)))
            : accumulator + (left * right);

    /// <inheritdoc/>
    public static T Sum(T value) => value;

    /// <inheritdoc/>
    public static T Multiply(T left, T right) => left * right;

    /// <inheritdoc/>
    public static T SgdStep(T value, T rate, T product) => value - (rate * product);

    /// <inheritdoc/>
    public static bool IsZero(T value) => value == T.Zero;
}
