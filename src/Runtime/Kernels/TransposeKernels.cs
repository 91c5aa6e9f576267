namespace Graph.Runtime;

/// <summary>
/// The kernel of <c>Transpose</c>: each sample's rows × columns matrix copied as its columns × rows transpose, in
/// square blocks (<see cref="TransposeBlock"/> on a side), so the rows a block reads and the rows it writes both stay
/// in the cache; a column-by-column copy of a 512 × 512 matrix misses the cache on nearly every write.
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
        where T : unmanaged
    {
        for (int r0 = 0; r0 < rows; r0 += TransposeBlock)
        {
            int r1 = Math.Min(r0 + TransposeBlock, rows);
            for (int c0 = 0; c0 < columns; c0 += TransposeBlock)
            {
                int c1 = Math.Min(c0 + TransposeBlock, columns);
                for (int r = r0; r < r1; r++)
                {
                    T* row = source + (r * sourceStride);
                    for (int c = c0; c < c1; c++)
                    {
                        target[(c * (nint)rows) + r] = row[c];
                    }
                }
            }
        }
    }
}
