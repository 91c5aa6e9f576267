using System.Numerics;
using System.Runtime.CompilerServices;

namespace Graph.Runtime;

/// <summary>
/// The vector operations that generated elementwise loops use, <see cref="Vector{T}.Count"/> elements at a time.
/// Loads and stores are bounds-checked like array accesses; every lane computes exactly what the scalar loop
/// computes for its element (the same IEEE operations in the same order), so vectorising changes no result, except
/// float's exp and tanh (Simd.Transcendental.cs), computed in double and rounded once.
/// </summary>
public static partial class Simd
{
    /// <summary>The <see cref="Vector{T}.Count"/> elements of <paramref name="source"/> from <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than <see cref="Vector{T}.Count"/> elements follow <paramref name="index"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Load<T>(ReadOnlySpan<T> source, int index) => new(source.Slice(index, Vector<T>.Count));

    /// <summary>Writes <paramref name="value"/> to the <see cref="Vector{T}.Count"/> elements of <paramref name="destination"/> from <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than <see cref="Vector{T}.Count"/> elements follow <paramref name="index"/>.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store<T>(Vector<T> value, Span<T> destination, int index) => value.CopyTo(destination.Slice(index, Vector<T>.Count));

    /// <summary>Every lane <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Splat<T>(T value) => new(value);

    /// <summary><c>x &gt; 0 ? x : 0</c> in each lane (NaN gives 0, as the scalar comparison does).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Relu<T>(Vector<T> x) => Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), x, Vector<T>.Zero);

    /// <summary><c>x &gt; 0 ? 1 : 0</c> in each lane: the derivative of <see cref="Relu{T}"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Step<T>(Vector<T> x) => Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), Vector<T>.One, Vector<T>.Zero);
}
