using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Graph.Runtime;

/// <summary>
/// Kernels of the row-gathering operations: Gather (rows of a table by index), EmbeddingSum and EmbeddingMean
/// (the sum or mean of the gathered rows), their gradients (added into the rows that were read, and only those),
/// and the SGD step over those rows. Indices are checked by the generated method before any kernel runs; a negative
/// index is padding (only -1 passes the check, and only in an input declared Padded): it reads a zero row, is left out
/// of a mean, and receives no gradient.
/// </summary>
/// <remarks>
/// The rows a sample reads are scattered over a table far larger than the caches (chapter 11's embedding is 30 MB), so
/// the gathers ask for the rows <see cref="PrefetchDistance"/> indices ahead while they sum the current one: the
/// memory latency of one row then overlaps the work on the others. The scatters that follow find the same rows in
/// cache.
/// </remarks>
public static partial class Kernels
{
    /// <summary>How many indices ahead the gathers prefetch the rows they will read.</summary>
    private const int PrefetchDistance = 8;

    /// <summary>Row j of <paramref name="destination"/> = row <c>indices[j]</c> of <paramref name="table"/> (rows of <paramref name="rowLength"/>).</summary>
    public static void GatherRows<T>(ReadOnlySpan<T> table, int rowLength, ReadOnlySpan<int> indices, Span<T> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRows(destination.Length, indices.Length, rowLength, nameof(destination));
        PrefetchRows(table, rowLength, indices[..Math.Min(PrefetchDistance, indices.Length)]);
        for (int j = 0; j < indices.Length; j++)
        {
            if (j + PrefetchDistance < indices.Length)
            {
                PrefetchRows(table, rowLength, indices.Slice(j + PrefetchDistance, 1));
            }

            var row = destination.Slice(j * rowLength, rowLength);
            if (indices[j] < 0)
            {
                row.Clear();
            }
            else
            {
                table.Slice(indices[j] * rowLength, rowLength).CopyTo(row);
            }
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
            int rows = 0;
            ReadOnlySpan<int> bag = indices.Slice(s * count, count);
            PrefetchRows(table, rowLength, bag[..Math.Min(PrefetchDistance, bag.Length)]);
            for (int j = 0; j < bag.Length; j++)
            {
                if (j + PrefetchDistance < bag.Length)
                {
                    PrefetchRows(table, rowLength, bag.Slice(j + PrefetchDistance, 1));
                }

                int index = bag[j];
                if (index >= 0)
                {
                    AddRow(sum, table.Slice(index * rowLength, rowLength));
                    rows++;
                }
            }

            if (mean && rows > 0)
            {
                T n = T.CreateChecked(rows);
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
            if (indices[j] < 0)
            {
                continue;
            }

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
        for (int s = 0; s < samples; s++)
        {
            var g = bagGradients.Slice(s * rowLength, rowLength);
            var bag = indices.Slice(s * count, count);
            T n = T.CreateChecked(RowCount(bag));
            foreach (int index in bag)
            {
                if (index < 0)
                {
                    continue;
                }

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
    /// The gradient of one index per sample read at every step of a loop, summed over the steps after the loop: clears
    /// <paramref name="gradient"/> as <see cref="ScatterAddBag{T}"/> does, then, for each of <paramref name="steps"/>
    /// steps from <paramref name="firstStep"/> and each sample, adds that step's gradient row to the row of the index the
    /// sample holds at position <paramref name="coefficient"/> × step + <paramref name="offset"/> of its
    /// <paramref name="positions"/> indices in <paramref name="sequence"/> (a padding index, -1, adds nothing).
    /// <paramref name="stepRows"/> holds the steps' rows one step after the other, each step's samples together.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its rows, or a step's position lies outside the sequence.</exception>
    public static void ScatterAddSteps<T>(Span<T> gradient, int rowLength, ReadOnlySpan<int> sequence, int positions, int coefficient, int offset, int firstStep, int steps, ReadOnlySpan<T> stepRows, int samples, SparseRows? rows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        CheckRows(sequence.Length, samples, positions, nameof(sequence));
        CheckRows(stepRows.Length, steps * samples, rowLength, nameof(stepRows));
        if (steps > 0)
        {
            // The positions move linearly with the step: the first and the last bound them all.
            CheckStepPosition(firstStep, coefficient, offset, positions);
            CheckStepPosition(firstStep + steps - 1, coefficient, offset, positions);
        }

        ClearGradient(gradient, rowLength, rows);
        for (int s = 0; s < steps; s++)
        {
            int position = (coefficient * (firstStep + s)) + offset;
            for (int sample = 0; sample < samples; sample++)
            {
                int index = sequence[(sample * positions) + position];
                if (index < 0)
                {
                    continue;
                }

                rows?.Add(index);
                AddRow(gradient.Slice(index * rowLength, rowLength), stepRows.Slice(((s * samples) + sample) * rowLength, rowLength));
            }
        }
    }

    /// <summary>
    /// The sum of two row-sparse tables (rows of <paramref name="rowLength"/> values, each zero except in the rows its
    /// list names): clears the rows <paramref name="sumRows"/> lists in <paramref name="sum"/>, lists the rows of
    /// <paramref name="leftRows"/> and then those of <paramref name="rightRows"/>, and sets each listed row to
    /// <c>left[r] + right[r]</c>, element by element, the expression a dense sum computes there. Every other row of
    /// <paramref name="sum"/> stays zero, as the dense sum's would be.
    /// </summary>
    /// <exception cref="ArgumentException">A span does not hold its list's rows, or the sum's list is one of the parts'.</exception>
    public static void AddScatteredRows<T>(Span<T> sum, int rowLength, SparseRows sumRows, ReadOnlySpan<T> left, SparseRows leftRows, ReadOnlySpan<T> right, SparseRows rightRows)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(sumRows);
        ArgumentNullException.ThrowIfNull(leftRows);
        ArgumentNullException.ThrowIfNull(rightRows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowLength);
        CheckTable(sum.Length, sumRows, rowLength, nameof(sum));
        CheckTable(left.Length, leftRows, rowLength, nameof(left));
        CheckTable(right.Length, rightRows, rowLength, nameof(right));
        if (ReferenceEquals(sumRows, leftRows) || ReferenceEquals(sumRows, rightRows))
        {
            throw new ArgumentException("The sum of two row-sparse tables needs a row list of its own, not one of its parts'.", nameof(sumRows));
        }

        sumRows.Clear(sum, rowLength);
        foreach (int row in leftRows.Rows)
        {
            sumRows.Add(row);
        }

        foreach (int row in rightRows.Rows)
        {
            sumRows.Add(row);
        }

        foreach (int row in sumRows.Rows)
        {
            int start = row * rowLength;
            AddRows(sum.Slice(start, rowLength), left.Slice(start, rowLength), right.Slice(start, rowLength));
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
            if (indices[j] < 0)
            {
                continue;
            }

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
        for (int s = 0; s < samples; s++)
        {
            var g = bagGradients.Slice(s * rowLength, rowLength);
            var bag = indices.Slice(s * count, count);
            T n = T.CreateChecked(RowCount(bag));
            foreach (int index in bag)
            {
                if (index < 0)
                {
                    continue;
                }

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

    /// <summary>
    /// Position <paramref name="position"/> of each sample's <paramref name="count"/> indices, one per sample of
    /// <paramref name="destination"/>: <c>destination[s] = indices[s * count + position]</c>.
    /// </summary>
    public static void PickIndices(ReadOnlySpan<int> indices, int count, int position, Span<int> destination)
    {
        if ((uint)position >= (uint)count || indices.Length < destination.Length * count)
        {
            throw new ArgumentException($"Cannot pick position {position} of {count} indices per sample for {destination.Length} samples from {indices.Length} indices.", nameof(indices));
        }

        for (int s = 0; s < destination.Length; s++)
        {
            destination[s] = indices[(s * count) + position];
        }
    }

    /// <summary>
    /// For each of <paramref name="samples"/> samples of <paramref name="sampleSize"/> elements, the
    /// <paramref name="length"/> elements from <paramref name="offset"/> (one row along the first axis) into
    /// <paramref name="destination"/>, one row per sample.
    /// </summary>
    public static void SelectRow<T>(ReadOnlySpan<T> source, int sampleSize, int offset, int length, Span<T> destination, int samples)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRows(source.Length, samples, sampleSize, nameof(source));
        CheckRows(destination.Length, samples, length, nameof(destination));
        for (int s = 0; s < samples; s++)
        {
            source.Slice((s * sampleSize) + offset, length).CopyTo(destination.Slice(s * length, length));
        }
    }

    /// <summary>
    /// The adjoint of <see cref="SelectRow{T}"/>: clears each sample of <paramref name="destination"/> and copies its
    /// row of <paramref name="rows"/> to <paramref name="offset"/>.
    /// </summary>
    public static void InsertRow<T>(ReadOnlySpan<T> rows, int length, Span<T> destination, int sampleSize, int offset, int samples)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRows(rows.Length, samples, length, nameof(rows));
        CheckRows(destination.Length, samples, sampleSize, nameof(destination));
        destination.Slice(0, samples * sampleSize).Clear();
        for (int s = 0; s < samples; s++)
        {
            rows.Slice(s * length, length).CopyTo(destination.Slice((s * sampleSize) + offset, length));
        }
    }

    /// <summary>A one-hot row of <paramref name="classes"/> per class index; an all-zero row for padding (-1).</summary>
    public static void OneHotIndices<T>(ReadOnlySpan<int> indices, Span<T> oneHot, int rows, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRows(indices.Length, rows, 1, nameof(indices));
        CheckRows(oneHot.Length, rows, classes, nameof(oneHot));
        oneHot.Slice(0, rows * classes).Clear();
        for (int r = 0; r < rows; r++)
        {
            int label = indices[r];
            if (label >= classes || label < -1)
            {
                throw new ArgumentException($"Class index {label} of sample {r} is not from 0 to {classes - 1} (or -1 for padding).", nameof(indices));
            }

            if (label >= 0)
            {
                oneHot[(r * classes) + label] = T.One;
            }
        }
    }

    /// <summary><c>mask[s]</c> = 1 where <c>indices[s]</c> is a row index, 0 where it is padding (negative).</summary>
    public static void PaddingMask<T>(ReadOnlySpan<int> indices, Span<T> mask)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRows(mask.Length, indices.Length, 1, nameof(mask));
        for (int s = 0; s < indices.Length; s++)
        {
            mask[s] = indices[s] < 0 ? T.Zero : T.One;
        }
    }

    /// <summary>
    /// Asks the processor to start loading the table rows of <paramref name="indices"/> into the cache (every cache
    /// line of each row; padding is skipped). A hint only: it reads nothing and cannot fault.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchRows<T>(ReadOnlySpan<T> table, int rowLength, ReadOnlySpan<int> indices)
        where T : unmanaged
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        fixed (T* first = table)
        {
            foreach (int index in indices)
            {
                if ((uint)index < (uint)(table.Length / Math.Max(1, rowLength)))
                {
                    byte* row = (byte*)(first + ((nint)index * rowLength));
                    int bytes = rowLength * sizeof(T);
                    for (int offset = 0; offset < bytes; offset += 64)
                    {
                        Sse.Prefetch0(row + offset);
                    }

                    // The row's last line, when the row does not start on a line.
                    Sse.Prefetch0(row + bytes - 1);
                }
            }
        }
    }

    /// <summary>The number of indices of a bag that are not padding (at least 1, so that a mean never divides by 0).</summary>
    private static int RowCount(ReadOnlySpan<int> bag)
    {
        int rows = 0;
        foreach (int index in bag)
        {
            rows += index >= 0 ? 1 : 0;
        }

        return Math.Max(rows, 1);
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

    private static void CheckStepPosition(int step, int coefficient, int offset, int positions)
    {
        int position = (coefficient * step) + offset;
        if (position < 0 || position >= positions)
        {
            throw new ArgumentException($"Step {step} reads position {position} of a sequence of {positions}.", "sequence");
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

    /// <summary>
    /// <paramref name="sum"/>[i] = <paramref name="left"/>[i] + <paramref name="right"/>[i] over one row, vectorised (an
    /// add per element, so the result does not depend on the vector width); <paramref name="sum"/> may be
    /// <paramref name="left"/>.
    /// </summary>
    private static void AddRows<T>(Span<T> sum, ReadOnlySpan<T> left, ReadOnlySpan<T> right)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && sum.Length >= Vector<T>.Count)
        {
            var sums = MemoryMarshal.Cast<T, Vector<T>>(sum);
            var lefts = MemoryMarshal.Cast<T, Vector<T>>(left);
            var rights = MemoryMarshal.Cast<T, Vector<T>>(right);
            for (int v = 0; v < sums.Length; v++)
            {
                sums[v] = lefts[v] + rights[v];
            }

            i = sums.Length * Vector<T>.Count;
        }

        for (; i < sum.Length; i++)
        {
            sum[i] = left[i] + right[i];
        }
    }

    /// <summary>Throws unless a table of <paramref name="length"/> values holds exactly the rows of <paramref name="rows"/>.</summary>
    private static void CheckTable(int length, SparseRows rows, int rowLength, string name)
    {
        if ((long)rows.RowCount * rowLength != length)
        {
            throw new ArgumentException($"{name} holds {length} values, not the {rows.RowCount} rows of {rowLength} its row list describes.", name);
        }
    }

    /// <summary><c>sum[i] += row[i]</c>, vectorised (an add per element, so the result does not depend on the vector width).</summary>
    private static void AddRow<T>(Span<T> sum, ReadOnlySpan<T> row)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AddRows(sum, sum, row);
}
