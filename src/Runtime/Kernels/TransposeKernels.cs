using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graph.Runtime;

/// <summary>
/// The kernel of <c>Transpose</c>: each sample's rows × columns matrix copied as its columns × rows transpose, in
/// square blocks (<see cref="TransposeBlock"/> on a side), so the rows a block reads and the rows it writes both stay
/// in the cache; a column-by-column copy of a 512 × 512 matrix misses the cache on nearly every write. With AVX, the
/// whole 8 × 8 (float) or 4 × 4 (double) squares of a block of 16 rows move through registers (a 512 × 512 transpose:
/// 166 against 126 µs in float, 788 against 274 µs in double, where 16 rows 4 KB apart share one set of the
/// first-level cache and a copy one element at a time keeps evicting them), and only the columns past the last whole
/// square, and the rows past the last whole square, go one element at a time: the CNN's 10000 × 10 weights take 8 of
/// their 10 columns by squares (a program timing this method alone, one thread, against the build that took squares
/// from whole blocks only: 10000 × 10 floats in 29 µs against 62-63, 10 × 10000 in 29 against 62, 100 × 10 in 2.6
/// against 4.5, 512 × 512 floats in 73-74 against 162-169). Float blocks fewer than 8 rows high or columns wide go
/// by 4 × 4 squares through SSE registers (the 4 last columns of a 784 × 100 matrix, 784 × 4, and back).
/// </summary>
public static partial class Kernels
{
    /// <summary>
    /// The side of the square blocks a transpose copies: 16, so that a block's rows stay in L1 even when the rows lie a
    /// large power of two apart, which puts every row of a block in the same cache set (an L1 set holds 8 to 12 lines;
    /// with blocks of 32, copying a 512×2048 matrix took three times as long).
    /// </summary>
    private const int TransposeBlock = 16;

    /// <summary>
    /// For each of <paramref name="samples"/> samples, its <paramref name="rows"/> × <paramref name="columns"/>
    /// matrix of <paramref name="source"/> (row-major) written to <paramref name="destination"/> as the
    /// <paramref name="columns"/> × <paramref name="rows"/> transpose.
    /// </summary>
    /// <exception cref="ArgumentException">A span holds fewer than the samples' matrices.</exception>
    public static unsafe void Transpose<T>(ReadOnlySpan<T> source, Span<T> destination, int rows, int columns, int samples)
        where T : unmanaged
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        int size = checked(rows * columns);
        CheckRows(source.Length, samples, size, nameof(source));
        CheckRows(destination.Length, samples, size, nameof(destination));
        if (source.Overlaps(destination))
        {
            throw new ArgumentException("The transpose's destination overlaps its source.", nameof(destination));
        }

        fixed (T* from = source, to = destination)
        {
            for (int s = 0; s < samples; s++)
            {
                TransposeBlocks(from + ((nint)s * size), columns, to + ((nint)s * size), rows, columns);
            }
        }
    }

    /// <summary>
    /// Writes the transpose of the <paramref name="rows"/> × <paramref name="columns"/> matrix at
    /// <paramref name="source"/> (rows <paramref name="sourceStride"/> elements apart) to <paramref name="target"/>
    /// as a dense <paramref name="columns"/> × <paramref name="rows"/> row-major matrix, block by block.
    /// </summary>
    internal static unsafe void TransposeBlocks<T>(T* source, nint sourceStride, T* target, int rows, int columns)
        where T : unmanaged =>
        TransposeBlocks(source, sourceStride, target, rows, rows, columns);

    /// <summary>
    /// <see cref="TransposeBlocks{T}(T*, nint, T*, int, int)"/> into rows <paramref name="targetStride"/> elements
    /// apart: the transpose of a band of rows of a matrix, written as the band of columns of the whole transpose.
    /// </summary>
    internal static unsafe void TransposeBlocks<T>(T* source, nint sourceStride, T* target, nint targetStride, int rows, int columns)
        where T : unmanaged
    {
        for (int r0 = 0; r0 < rows; r0 += TransposeBlock)
        {
            int r1 = Math.Min(r0 + TransposeBlock, rows);
            for (int c0 = 0; c0 < columns; c0 += TransposeBlock)
            {
                int c1 = Math.Min(c0 + TransposeBlock, columns);
                // Floats by 8 × 8 squares, or by 4 × 4 where the block is narrower or shorter than 8 (the last four
                // columns of a row 100 wide, 784 × 4, and their transpose, 4 × 784); doubles by 4 × 4.
                bool small = r1 - r0 < 8 || c1 - c0 < 8;
                int square = typeof(T) == typeof(float) ? (!small && Avx.IsSupported ? 8 : Sse.IsSupported ? 4 : 0)
                    : typeof(T) == typeof(double) && Avx.IsSupported ? 4
                    : 0;
                int squaredRows = square == 0 ? r0 : r0 + ((r1 - r0) / square * square);
                int squared = square == 0 || squaredRows == r0 ? c0 : c0 + ((c1 - c0) / square * square);
                for (int i = r0; i < squaredRows && squared > c0; i += square)
                {
                    // The block's whole squares through registers: all of a whole block, or the first rows and columns
                    // of a block at a ragged edge (8 of the 10 columns of the CNN's 10000 × 10 weights).
                    for (int j = c0; j < squared; j += square)
                    {
                        if (typeof(T) == typeof(float) && square == 4)
                        {
                            Transpose4x4((float*)source + (i * sourceStride) + j, sourceStride, (float*)target + (j * targetStride) + i, targetStride);
                        }
                        else if (typeof(T) == typeof(float))
                        {
                            Transpose8x8((float*)source + (i * sourceStride) + j, sourceStride, (float*)target + (j * targetStride) + i, targetStride);
                        }
                        else
                        {
                            Transpose4x4((double*)source + (i * sourceStride) + j, sourceStride, (double*)target + (j * targetStride) + i, targetStride);
                        }
                    }
                }

                // The rest one element at a time: the columns past the squares in the squared rows, every column after.
                for (int r = r0; r < r1; r++)
                {
                    T* row = source + (r * sourceStride);
                    for (int c = r < squaredRows ? squared : c0; c < c1; c++)
                    {
                        target[(c * targetStride) + r] = row[c];
                    }
                }
            }
        }
    }

    /// <summary>
    /// The 8 × 8 floats at <paramref name="source"/> (rows <paramref name="sourceStride"/> apart) written transposed at
    /// <paramref name="target"/> (rows <paramref name="targetStride"/> apart): pairs of rows interleaved, then pairs of
    /// pairs, then the 128-bit halves exchanged, so that each output row gathers one column.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose8x8(float* source, nint sourceStride, float* target, nint targetStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(source), r1 = Avx.LoadVector256(source + sourceStride);
        Vector256<float> r2 = Avx.LoadVector256(source + (2 * sourceStride)), r3 = Avx.LoadVector256(source + (3 * sourceStride));
        Vector256<float> r4 = Avx.LoadVector256(source + (4 * sourceStride)), r5 = Avx.LoadVector256(source + (5 * sourceStride));
        Vector256<float> r6 = Avx.LoadVector256(source + (6 * sourceStride)), r7 = Avx.LoadVector256(source + (7 * sourceStride));

        // Elements 0, 1, 4, 5 (low) and 2, 3, 6, 7 (high) of each pair of rows, interleaved.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);

        // Four rows' element of each column, per 128-bit half.
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);

        // Rows 0-3 of a column from the first four rows' half, rows 4-7 from the last four's.
        Avx.Store(target, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(target + targetStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(target + (2 * targetStride), Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(target + (3 * targetStride), Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(target + (4 * targetStride), Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(target + (5 * targetStride), Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(target + (6 * targetStride), Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(target + (7 * targetStride), Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>
    /// The 4 × 4 floats at <paramref name="source"/> (rows <paramref name="sourceStride"/> apart) written transposed at
    /// <paramref name="target"/> (rows <paramref name="targetStride"/> apart): pairs of rows interleaved, then the
    /// interleaved pairs' halves joined.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose4x4(float* source, nint sourceStride, float* target, nint targetStride)
    {
        Vector128<float> r0 = Sse.LoadVector128(source), r1 = Sse.LoadVector128(source + sourceStride);
        Vector128<float> r2 = Sse.LoadVector128(source + (2 * sourceStride)), r3 = Sse.LoadVector128(source + (3 * sourceStride));

        // Elements 0 and 1 (low) and 2 and 3 (high) of each pair of rows, interleaved.
        Vector128<float> t0 = Sse.UnpackLow(r0, r1), t1 = Sse.UnpackLow(r2, r3);
        Vector128<float> t2 = Sse.UnpackHigh(r0, r1), t3 = Sse.UnpackHigh(r2, r3);

        Sse.Store(target, Sse.MoveLowToHigh(t0, t1));
        Sse.Store(target + targetStride, Sse.MoveHighToLow(t1, t0));
        Sse.Store(target + (2 * targetStride), Sse.MoveLowToHigh(t2, t3));
        Sse.Store(target + (3 * targetStride), Sse.MoveHighToLow(t3, t2));
    }

    /// <summary>
    /// The 4 × 4 doubles at <paramref name="source"/> (rows <paramref name="sourceStride"/> apart) written transposed at
    /// <paramref name="target"/> (rows <paramref name="targetStride"/> apart): pairs of rows interleaved, then the
    /// 128-bit halves exchanged.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Transpose4x4(double* source, nint sourceStride, double* target, nint targetStride)
    {
        Vector256<double> r0 = Avx.LoadVector256(source), r1 = Avx.LoadVector256(source + sourceStride);
        Vector256<double> r2 = Avx.LoadVector256(source + (2 * sourceStride)), r3 = Avx.LoadVector256(source + (3 * sourceStride));

        // Elements 0 and 2 (low) and 1 and 3 (high) of each pair of rows, interleaved.
        Vector256<double> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<double> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);

        Avx.Store(target, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(target + targetStride, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(target + (2 * targetStride), Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(target + (3 * targetStride), Avx.Permute2x128(t1, t3, 0x31));
    }
}
