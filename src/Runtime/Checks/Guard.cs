using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.InteropServices;

namespace Graph.Runtime;

/// <summary>Argument checks used by generated model code; each failure names what was wrong.</summary>
public static class Guard
{
    /// <summary>Checks that a batch count is at least one.</summary>
    public static void Batch(int batch)
    {
        if (batch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "The batch count must be at least 1.");
        }
    }

    /// <summary>
    /// Checks a run-time step count: at least <paramref name="min"/> (the steps a model lays out before its loops) and at
    /// most <paramref name="max"/> (the declared [MaxSteps], which its buffers are sized for).
    /// </summary>
    public static void StepCount(int steps, int min, int max, string name)
    {
        if (steps < min || steps > max)
        {
            throw new ArgumentOutOfRangeException(name, steps, $"'{name}' is a step count from {min} to {max}, not {steps}.");
        }
    }

    /// <summary>Checks that a span holds exactly <paramref name="batch"/> samples of <paramref name="perSample"/> values.</summary>
    public static void Length<T>(ReadOnlySpan<T> span, int batch, int perSample, string name)
    {
        long expected = (long)batch * perSample;
        if (span.Length != expected)
        {
            throw new ArgumentException(
                $"'{name}' holds {span.Length} values, but batch {batch} × {perSample} per sample = {expected} were expected.", name);
        }
    }

    /// <summary>
    /// The length of a buffer holding <paramref name="batch"/> samples of <paramref name="perSample"/> values, checked:
    /// a batch whose buffer would pass the largest .NET array throws instead of wrapping around to a short buffer.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">batch × perSample passes <see cref="Array.MaxLength"/>.</exception>
    public static int BufferLength(int batch, int perSample, string model)
    {
        long length = (long)batch * perSample;
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch,
                $"{model} needs a buffer of batch {batch} × {perSample} values per sample = {length} values, more than a .NET array holds ({Array.MaxLength}); use a smaller batch.");
        }

        return (int)length;
    }

    /// <summary>Checks that a destination span holds exactly <paramref name="batch"/> samples of <paramref name="perSample"/> values.</summary>
    public static void Length<T>(Span<T> span, int batch, int perSample, string name) => Length((ReadOnlySpan<T>)span, batch, perSample, name);

    /// <summary>Checks that every value is finite (no NaN, no infinity).</summary>
    public static void Finite<T>(ReadOnlySpan<T> values, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int index = FirstNonFinite(values);
        if (index >= 0)
        {
            throw new ArgumentException($"'{name}' holds {values[index]} at index {index}; every value must be finite.", name);
        }
    }

    /// <summary>
    /// Checks that every value is finite, as <see cref="Finite{T}(ReadOnlySpan{T}, string)"/> does, through a product
    /// that multiplied each value into every element of its row (the values as A of A·B, whole rows): a NaN or infinite
    /// factor makes each sum it enters NaN or infinite, so where every element of <paramref name="product"/> is finite,
    /// so is every value, and the values are scanned only where one is not (finite values whose product overflows pass),
    /// or where the product holds as many elements as they do (scanning them then costs no more).
    /// </summary>
    /// <param name="product">The product's elements, written from <paramref name="values"/> just before.</param>
    /// <param name="values">The values checked.</param>
    /// <param name="name">The name the exception gives the values.</param>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    public static void FiniteByProduct<T>(ReadOnlySpan<T> product, ReadOnlySpan<T> values, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (product.Length >= values.Length || FirstNonFinite(product) >= 0)
        {
            Finite(values, name);
        }
    }

    /// <summary>Checks that a scalar argument is finite.</summary>
    public static void Finite<T>(T value, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(value))
        {
            throw new ArgumentException($"'{name}' is {value}; it must be finite.", name);
        }
    }

    /// <summary>
    /// Checks that every index is a row of a table of <paramref name="rows"/> rows, and, for a variable-length index
    /// input (<paramref name="allowEmpty"/> false), that there is at least one. In a <paramref name="padded"/> input
    /// -1 (padding) is accepted too.
    /// </summary>
    public static void Indices(ReadOnlySpan<int> indices, int rows, string name, bool allowEmpty = true, bool padded = false)
    {
        if (!allowEmpty && indices.IsEmpty)
        {
            throw new ArgumentException($"'{name}' holds no indices; it needs at least one.", name);
        }

        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)rows && !(padded && indices[i] == -1))
            {
                string range = padded ? $"-1 (padding) or 0 to {rows - 1}" : $"0 to {rows - 1}";
                throw new ArgumentOutOfRangeException(name, $"'{name}' holds index {indices[i]} at position {i}, outside the valid range {range} (the table has {rows} rows).");
            }
        }
    }

    /// <summary>Fails a training step whose loss is not finite, before any parameter is changed.</summary>
    /// <exception cref="TrainingDivergedException">The loss is NaN or infinite.</exception>
    public static void FiniteLoss<T>(T loss, string model)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!T.IsFinite(loss))
        {
            throw new TrainingDivergedException(
                $"{model}: the loss is {loss}, so training has diverged; the parameters were left as they were before this step. Lower the learning rate or check the inputs.");
        }
    }

    private static int FirstNonFinite<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            i = FiniteGroups512(values);
        }
        else if (Vector.IsHardwareAccelerated && values.Length >= Vector<T>.Count)
        {
            // x - x is zero for every finite x and NaN for NaN or an infinity.
            var vectors = MemoryMarshal.Cast<T, Vector<T>>(values);
            for (int v = 0; v < vectors.Length; v++)
            {
                var x = vectors[v];
                if (!Vector.EqualsAll(x - x, Vector<T>.Zero))
                {
                    break;
                }

                i += Vector<T>.Count;
            }
        }

        for (; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// Scans whole groups of four 512-bit vectors, up to 16 groups between tests: x − x is zero for every finite x and
    /// NaN for NaN or an infinity, and a sum of such terms is zero only when every one is, so one test per 16 groups
    /// tells whether they are all finite (four running sums, no branch per vector). Returns where the scalar scan
    /// goes on: the start of the first 16 groups that hold a value that is not finite, or the end of the last whole
    /// group.
    /// </summary>
    private static int FiniteGroups512<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = Vector512<T>.Count;
        int group = 4 * count;
        int lastGroup = values.Length - group;
        ref T first = ref MemoryMarshal.GetReference(values);
        int i = 0;
        while (i <= lastGroup)
        {
            int end = Math.Min(i + (16 * group), lastGroup + 1);
            Vector512<T> s0 = Vector512<T>.Zero, s1 = Vector512<T>.Zero, s2 = Vector512<T>.Zero, s3 = Vector512<T>.Zero;
            int g = i;
            for (; g < end; g += group)
            {
                Vector512<T> x0 = Vector512.LoadUnsafe(ref first, (nuint)g);
                Vector512<T> x1 = Vector512.LoadUnsafe(ref first, (nuint)(g + count));
                Vector512<T> x2 = Vector512.LoadUnsafe(ref first, (nuint)(g + (2 * count)));
                Vector512<T> x3 = Vector512.LoadUnsafe(ref first, (nuint)(g + (3 * count)));
                s0 += x0 - x0;
                s1 += x1 - x1;
                s2 += x2 - x2;
                s3 += x3 - x3;
            }

            if (!Vector512.EqualsAll((s0 + s1) + (s2 + s3), Vector512<T>.Zero))
            {
                return i;
            }

            i = g;
        }

        return i;
    }
}
