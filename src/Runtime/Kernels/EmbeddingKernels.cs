using System.Numerics;
using System.Runtime.InteropServices;

namespace Graph.Runtime;

/// <summary>
/// Kernels of the row-gathering operations: Gather (rows of a table by index), EmbeddingSum and EmbeddingMean
/// (the sum or mean of the gathered rows), their gradients (added into the rows that were read, and only those),
/// and the SGD step over those rows. Indices are checked by the generated method before any kernel runs.
/// </summary>
public static partial class Kernels
{
    /// <summary>Row j of <paramref name="destination"/> = row <c>indices[j]</c> of <paramref name="table"/> (rows of <paramref name="rowLength"/>).</summary>
    public static void GatherRows<T>(ReadOnlySpan<T> table, int rowLength, ReadOnlySpan<int> indices, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRows(destination.Length, indices.Length, rowLength, nameof(destination));
        for (int j = 0; j < indices.Length; j++)
        {
            table.Slice(indices[j] * rowLength, rowLength).CopyTo(destination.Slice(j * rowLength, rowLength));
        }
    }

    /// <summary>
    /// For each of <paramref name="samples"/> samples, the sum (or, with <paramref name="mean"/>, the mean) of the
    /// table rows its indices name, in index order; the indices are split evenly between the samples.
    /// </summary>
    public static void EmbeddingBag<T>(ReadOnlySpan<T> table, int rowLength, ReadOnlySpan<int> indices, int samples, bool mean, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = IndicesPerSample(indices.Length, samples);
        CheckRows(destination.Length, samples, rowLength, nameof(destination));
        for (int s = 0; s < samples; s++)
        {
            var sum = destination.Slice(s * rowLength, rowLength);
            sum.Clear();
            foreach (int index in indices.Slice(s * count, count))
            {
                AddRow(sum, table.Slice(index * rowLength, rowLength));
            }

            if (mean)
            {
                T n = T.CreateChecked(count);
                for (int i = 0; i < rowLength; i++)
                {
                    sum[i] /= n;
                }
            }
        }
    }

    /// <summary>
    /// The gradient of <see cref="GatherRows{T}"/>: clears <paramref name="gradient"/> (only the rows listed in
    /// <paramref name="rows"/> when it is given, else entirely), then adds row j of <paramref name="rowGradients"/>
    /// into row <c>indices[j]</c>, so a repeated index receives the sum of its rows' gradients.
    /// </summary>
    public static void ScatterAddRows<T>(Span<T> gradient, int rowLength, ReadOnlySpan<int> indices, ReadOnlySpan<T> rowGradients, SparseRows? rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRows(rowGradients.Length, indices.Length, rowLength, nameof(rowGradients));
        ClearGradient(gradient, rowLength, rows);
        for (int j = 0; j < indices.Length; j++)
        {
            rows?.Add(indices[j]);
            AddRow(gradient.Slice(indices[j] * rowLength, rowLength), rowGradients.Slice(j * rowLength, rowLength));
        }
    }

    /// <summary>
    /// The gradient of <see cref="EmbeddingBag{T}"/>: clears <paramref name="gradient"/> as
    /// <see cref="ScatterAddRows{T}"/> does, then adds each sample's bag gradient (divided by its index count for a
    /// mean) into the row of every index of that sample, once per occurrence.
    /// </summary>
    public static void ScatterAddBag<T>(Span<T> gradient, int rowLength, ReadOnlySpan<int> indices, int samples, bool mean, ReadOnlySpan<T> bagGradients, SparseRows? rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = IndicesPerSample(indices.Length, samples);
        CheckRows(bagGradients.Length, samples, rowLength, nameof(bagGradients));
        ClearGradient(gradient, rowLength, rows);
        T n = T.CreateChecked(count);
        for (int s = 0; s < samples; s++)
        {
            var g = bagGradients.Slice(s * rowLength, rowLength);
            foreach (int index in indices.Slice(s * count, count))
            {
                rows?.Add(index);
                var row = gradient.Slice(index * rowLength, rowLength);
                if (mean)
                {
                    for (int i = 0; i < rowLength; i++)
                    {
                        row[i] += g[i] / n;
                    }
                }
                else
                {
                    AddRow(row, g);
                }
            }
        }
    }

    /// <summary>
    /// <see cref="SgdStep{T}"/> on the listed rows only: <c>value[r] -= learningRate * gradient[r]</c> for each row r
    /// of <paramref name="rows"/>; every other row is left as it is (its gradient is zero).
    /// </summary>
    public static void SgdStepRows<T>(Span<T> value, ReadOnlySpan<T> gradient, int rowLength, SparseRows rows, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (int row in rows.Rows)
        {
            SgdStep(value.Slice(row * rowLength, rowLength), gradient.Slice(row * rowLength, rowLength), learningRate);
        }
    }

    /// <summary>
    /// <see cref="ScatterAddRows{T}"/> and <see cref="SgdStepRows{T}"/> in one pass, for a training step that does not
    /// keep the gradient: row <c>indices[j]</c> of <paramref name="value"/> -= <paramref name="learningRate"/> · row j of
    /// <paramref name="rowGradients"/>, one step per occurrence of a repeated index.
    /// </summary>
    public static void ScatterSgdRows<T>(Span<T> value, int rowLength, ReadOnlySpan<int> indices, ReadOnlySpan<T> rowGradients, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRows(rowGradients.Length, indices.Length, rowLength, nameof(rowGradients));
        for (int j = 0; j < indices.Length; j++)
        {
            SgdStep(value.Slice(indices[j] * rowLength, rowLength), rowGradients.Slice(j * rowLength, rowLength), learningRate);
        }
    }

    /// <summary>
    /// <see cref="ScatterAddBag{T}"/> and <see cref="SgdStepRows{T}"/> in one pass: the row of every index of a sample
    /// -= <paramref name="learningRate"/> · the sample's bag gradient (divided by its index count for a mean), one step
    /// per occurrence of a repeated index.
    /// </summary>
    public static void ScatterSgdBag<T>(Span<T> value, int rowLength, ReadOnlySpan<int> indices, int samples, bool mean, ReadOnlySpan<T> bagGradients, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = IndicesPerSample(indices.Length, samples);
        CheckRows(bagGradients.Length, samples, rowLength, nameof(bagGradients));
        T n = T.CreateChecked(count);
        for (int s = 0; s < samples; s++)
        {
            var g = bagGradients.Slice(s * rowLength, rowLength);
            foreach (int index in indices.Slice(s * count, count))
            {
                var row = value.Slice(index * rowLength, rowLength);
                if (mean)
                {
                    for (int i = 0; i < rowLength; i++)
                    {
                        row[i] -= learningRate * (g[i] / n);
                    }
                }
                else
                {
                    SgdStep(row, g, learningRate);
                }
            }
        }
    }

    private static void ClearGradient<T>(Span<T> gradient, int rowLength, SparseRows? rows)
    {
        if (rows is null)
        {
            gradient.Clear();
        }
        else
        {
            rows.Clear(gradient, rowLength);
        }
    }

    private static int IndicesPerSample(int indices, int samples)
    {
        if (samples < 1 || indices % samples != 0)
        {
            throw new ArgumentException($"{indices} indices cannot be split evenly between {samples} samples.", nameof(samples));
        }

        return indices / samples;
    }

    /// <summary><c>sum[i] += row[i]</c>, vectorised (an add per element, so the result does not depend on the vector width).</summary>
    private static void AddRow<T>(Span<T> sum, ReadOnlySpan<T> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && sum.Length >= Vector<T>.Count)
        {
            var sums = MemoryMarshal.Cast<T, Vector<T>>(sum);
            var values = MemoryMarshal.Cast<T, Vector<T>>(row);
            for (int v = 0; v < sums.Length; v++)
            {
                sums[v] += values[v];
            }

            i = sums.Length * Vector<T>.Count;
        }

        for (; i < sum.Length; i++)
        {
            sum[i] += row[i];
        }
    }
}
