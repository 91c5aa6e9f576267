using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    /// <summary>
    /// The <see cref="Vector{T}.Count"/> elements from <paramref name="index"/> of a dropout mask as a training body
    /// keeps it (<see cref="Kernels.DropoutMaskPacked{T}(Span{T}, double, NumpyRandom)"/>): read from its bits for
    /// double (<see cref="MaskBits{T}"/>, kept elements <paramref name="scale"/>), loaded as values for every other type.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> PackedMask<T>(ReadOnlySpan<T> mask, int index, T scale)
        where T : unmanaged, INumberBase<T> =>
        Kernels.PacksMasks<T>() ? MaskBits(mask, index, scale) : Load(mask, index);

    /// <summary>Element <paramref name="index"/> of a dropout mask as a training body keeps it (see <see cref="PackedMask{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T PackedMaskElement<T>(ReadOnlySpan<T> mask, int index, T scale)
        where T : unmanaged, INumberBase<T> =>
        Kernels.PacksMasks<T>() ? MaskBit(mask, index, scale) : mask[index];

    /// <summary>
    /// The <see cref="Vector{T}.Count"/> elements from <paramref name="index"/> of a dropout mask kept as bits in
    /// <paramref name="mask"/>'s memory (<see cref="Kernels.DropoutMaskBits{T}(Span{T}, double, NumpyRandom)"/>):
    /// <paramref name="scale"/> where the element's bit is set, 0 where it is not.
    /// </summary>
    /// <remarks>The lanes' bits start at bit index % 8 of byte index / 8, so at most 7 + 16 bits: four bytes are read
    /// there. Each pattern of 8 bits (float) or 4 (double) selects its lanes from a table, all ones where kept.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The mask's memory ends before those four bytes.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> MaskBits<T>(ReadOnlySpan<T> mask, int index, T scale)
        where T : unmanaged, INumberBase<T>
    {
        uint bits = MaskWord(mask, index);
        if (typeof(T) == typeof(float) && Vector<uint>.Count == MaskLanes.SingleWidth)
        {
            return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(MaskLanes.Single), (nint)(bits & 0xFF)).As<uint, T>() & new Vector<T>(scale);
        }

        if (typeof(T) == typeof(double) && Vector<ulong>.Count == MaskLanes.DoubleWidth)
        {
            return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(MaskLanes.Double), (nint)(bits & 0xF)).As<ulong, T>() & new Vector<T>(scale);
        }

        Span<T> values = stackalloc T[Vector<T>.Count];
        for (int lane = 0; lane < values.Length; lane++)
        {
            values[lane] = ((bits >> lane) & 1) != 0 ? scale : T.Zero;
        }

        return new Vector<T>(values);
    }

    /// <summary>Element <paramref name="index"/> of a dropout mask kept as bits (see <see cref="MaskBits{T}"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The mask's memory ends before the four bytes read.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaskBit<T>(ReadOnlySpan<T> mask, int index, T scale)
        where T : unmanaged, INumberBase<T> =>
        (MaskWord(mask, index) & 1) != 0 ? scale : T.Zero;

    /// <summary>The four bytes of <paramref name="mask"/>'s memory from byte index / 8, shifted right by index % 8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint MaskWord<T>(ReadOnlySpan<T> mask, int index)
        where T : unmanaged
    {
        // One unsigned comparison in 64 bits: a negative index is out of range, and no product overflows.
        if ((ulong)(uint)(index >> 3) + sizeof(uint) > (ulong)(uint)mask.Length * (ulong)Unsafe.SizeOf<T>())
        {
            ThrowMaskIndex(index, mask.Length);
        }

        ref byte first = ref Unsafe.As<T, byte>(ref MemoryMarshal.GetReference(mask));
        return Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref first, index >> 3)) >> (index & 7);
    }

    private static void ThrowMaskIndex(int index, int length) =>
        throw new ArgumentOutOfRangeException(nameof(index), index, $"The bits of a dropout mask of {length} elements do not reach element {index}.");

    /// <summary>Vector i of each table holds all ones in the lanes whose bit is set in i, zeros elsewhere.</summary>
    private static class MaskLanes
    {
        /// <summary>The float lanes the table covers: 8, a 256-bit vector, one byte of bits.</summary>
        public const int SingleWidth = 8;

        /// <summary>The double lanes the table covers: 4, a 256-bit vector.</summary>
        public const int DoubleWidth = 4;

        public static readonly Vector<uint>[] Single = Vector<uint>.Count == SingleWidth ? Table<uint>(SingleWidth, uint.MaxValue) : [];
        public static readonly Vector<ulong>[] Double = Vector<ulong>.Count == DoubleWidth ? Table<ulong>(DoubleWidth, ulong.MaxValue) : [];

        private static Vector<TLane>[] Table<TLane>(int width, TLane ones)
            where TLane : struct
        {
            var table = new Vector<TLane>[1 << width];
            var lanes = new TLane[width];
            for (int pattern = 0; pattern < table.Length; pattern++)
            {
                for (int lane = 0; lane < width; lane++)
                {
                    lanes[lane] = ((pattern >> lane) & 1) != 0 ? ones : default;
                }

                table[pattern] = new Vector<TLane>(lanes);
            }

            return table;
        }
    }
}
