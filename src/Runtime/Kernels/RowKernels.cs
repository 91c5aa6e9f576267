using System.Numerics;
using System.Numerics.Tensors;

namespace Graph.Runtime;

/// <summary>Kernels that work along the last axis of row-major data: softmax, its cross-entropy, one-hot and argmax.</summary>
public static partial class Kernels
{
    /// <summary><c>y = exp(x - max) / Σ exp(x - max)</c> for each of <paramref name="rows"/> rows of <paramref name="columns"/>.</summary>
    public static void Softmax<T>(ReadOnlySpan<T> x, Span<T> y, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRows(x.Length, rows, columns, nameof(x));
        CheckRows(y.Length, rows, columns, nameof(y));
        Span<T> sums = RowScratch<T>.Exps(2 * rows);
        ShiftedExp(x, y, rows, columns, sums[rows..]);
        RowSums(y, sums[..rows], rows, columns);
        for (int r = 0; r < rows; r++)
        {
            var output = y.Slice(r * columns, columns);
            T sum = sums[r];
            var divisor = new Vector<T>(sum);
            int c = 0;
            for (; c <= columns - Vector<T>.Count; c += Vector<T>.Count)
            {
                Simd.Store(Simd.Load<T>(output, c) / divisor, output, c);
            }

            for (; c < columns; c++)
            {
                output[c] /= sum;
            }
        }
    }

    /// <summary><c>y = x - max - log Σ exp(x - max)</c> (the log of <see cref="Softmax{T}"/>) for each of <paramref name="rows"/> rows of <paramref name="columns"/>.</summary>
    public static void LogSoftmax<T>(ReadOnlySpan<T> x, Span<T> y, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRows(x.Length, rows, columns, nameof(x));
        CheckRows(y.Length, rows, columns, nameof(y));
        for (int r = 0; r < rows; r++)
        {
            var input = x.Slice(r * columns, columns);
            var output = y.Slice(r * columns, columns);
            var (max, logSum) = ShiftedLogSumExp(input);
            for (int c = 0; c < columns; c++)
            {
                output[c] = input[c] - max - logSum;
            }
        }
    }

    /// <summary>
    /// For each row, <c>loss = -Σ target · log(softmax(logits))</c> = <c>Σ target · (logsumexp(logits) - logits)</c>,
    /// computed without forming the softmax.
    /// </summary>
    public static void SoftmaxCrossEntropy<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target, Span<T> loss, int rows, int columns, bool targetShared)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRows(logits.Length, rows, columns, nameof(logits));
        CheckRows(target.Length, targetShared ? 1 : rows, columns, nameof(target));
        CheckRows(loss.Length, rows, 1, nameof(loss));
        if (GemmNumerics.IsRelaxed<T>())
        {
            SoftmaxCrossEntropyInBulk(logits, target, loss, rows, columns, targetShared);
            return;
        }

        for (int r = 0; r < rows; r++)
        {
            var z = logits.Slice(r * columns, columns);
            var t = target.Slice(targetShared ? 0 : r * columns, columns);
            var (max, logSum) = ShiftedLogSumExp(z);
            loss[r] = CrossEntropyOfRow(z, t, max + logSum);
        }
    }

    /// <summary>Writes a one-hot row of <paramref name="classes"/> for each class index; an index outside the classes is an error.</summary>
    public static void OneHot<T>(ReadOnlySpan<T> index, Span<T> oneHot, int rows, int classes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRows(index.Length, rows, 1, nameof(index));
        CheckRows(oneHot.Length, rows, classes, nameof(oneHot));
        oneHot.Slice(0, rows * classes).Clear();
        for (int r = 0; r < rows; r++)
        {
            T value = index[r];
            int label = int.CreateSaturating(value);
            if (T.CreateTruncating(label) != value || label < 0 || label >= classes)
            {
                throw new ArgumentException($"Class index {value} of sample {r} is not an integer from 0 to {classes - 1}.", nameof(index));
            }

            oneHot[(r * classes) + label] = T.One;
        }
    }

    /// <summary>The index of the largest element of each row (the first, on ties), as a number.</summary>
    public static void Argmax<T>(ReadOnlySpan<T> x, Span<T> index, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckRows(x.Length, rows, columns, nameof(x));
        CheckRows(index.Length, rows, 1, nameof(index));
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * columns, columns);
            int best = 0;
            for (int c = 1; c < columns; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            index[r] = T.CreateTruncating(best);
        }
    }

    /// <summary>A row's maximum and <c>log Σ exp(x - max)</c>, the sum in index order.</summary>
    private static (T Max, T LogSum) ShiftedLogSumExp<T>(ReadOnlySpan<T> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = Max(row);
        T sum = T.Zero;
        for (int c = 0; c < row.Length; c++)
        {
            sum += T.Exp(row[c] - max);
        }

        return (max, T.Log(sum));
    }

    /// <summary>
    /// <see cref="SoftmaxCrossEntropy{T}"/> in single precision: the exponentials of the whole batch
    /// (<see cref="ShiftedExp{T}"/>) and the logs of the rows' sums (each sum in index order) each taken in one
    /// vectorised call, within a few units in the last place of <see cref="MathF.Exp"/> and <see cref="MathF.Log"/>.
    /// </summary>
    private static void SoftmaxCrossEntropyInBulk<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target, Span<T> loss, int rows, int columns, bool targetShared)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> scratch = RowScratch<T>.Exps((rows * columns) + (2 * rows));
        Span<T> exps = scratch[..(rows * columns)];
        Span<T> logSums = scratch.Slice(rows * columns, rows);
        Span<T> maxima = scratch.Slice((rows * columns) + rows, rows);
        ShiftedExp(logits, exps, rows, columns, maxima);
        RowSums(exps, logSums, rows, columns);
        TensorPrimitives.Log<T>(logSums, logSums);
        for (int r = 0; r < rows; r++)
        {
            var z = logits.Slice(r * columns, columns);
            var t = target.Slice(targetShared ? 0 : r * columns, columns);
            loss[r] = CrossEntropyOfRow(z, t, maxima[r] + logSums[r]);
        }
    }

    /// <summary>
    /// Each row's sum, from zero in index order, four rows at a time: a row's sum is a chain of dependent additions,
    /// and four chains side by side keep the adder busy where one leaves it waiting on each addition's latency (the
    /// sums are the one-row loop's, bit for bit).
    /// </summary>
    private static void RowSums<T>(ReadOnlySpan<T> values, Span<T> sums, int rows, int columns)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            ReadOnlySpan<T> row0 = values.Slice(r * columns, columns), row1 = values.Slice((r + 1) * columns, columns);
            ReadOnlySpan<T> row2 = values.Slice((r + 2) * columns, columns), row3 = values.Slice((r + 3) * columns, columns);
            T sum0 = T.Zero, sum1 = T.Zero, sum2 = T.Zero, sum3 = T.Zero;
            for (int c = 0; c < columns; c++)
            {
                sum0 += row0[c];
                sum1 += row1[c];
                sum2 += row2[c];
                sum3 += row3[c];
            }

            sums[r] = sum0;
            sums[r + 1] = sum1;
            sums[r + 2] = sum2;
            sums[r + 3] = sum3;
        }

        for (; r < rows; r++)
        {
            T sum = T.Zero;
            foreach (T value in values.Slice(r * columns, columns))
            {
                sum += value;
            }

            sums[r] = sum;
        }
    }

    /// <summary>A row's cross-entropy from its log-sum-exp: Σ t[c] · (logSumExp − z[c]), column by column.</summary>
    private static T CrossEntropyOfRow<T>(ReadOnlySpan<T> z, ReadOnlySpan<T> t, T logSumExp)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T total = T.Zero;
        for (int c = 0; c < z.Length; c++)
        {
            total += t[c] * (logSumExp - z[c]);
        }

        return total;
    }

    /// <summary>
    /// <c>e = exp(x − max)</c> for each row, with the row's maximum (kept in <paramref name="maxima"/>). Single
    /// precision takes the exponentials of the whole buffer at once, vectorised
    /// (<see cref="TensorPrimitives.Exp{T}(ReadOnlySpan{T}, Span{T})"/>, within a few units in the last place of
    /// <see cref="MathF.Exp"/>); every other type takes each one from <c>T.Exp</c>, so that double gives the same bits
    /// as the scalar loop (and the book's numpy) always did.
    /// </summary>
    private static void ShiftedExp<T>(ReadOnlySpan<T> x, Span<T> e, int rows, int columns, Span<T> maxima)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < rows; r++)
        {
            var input = x.Slice(r * columns, columns);
            var output = e.Slice(r * columns, columns);
            T max = Max(input);
            maxima[r] = max;
            var shift = new Vector<T>(max);
            int c = 0;
            for (; c <= columns - Vector<T>.Count; c += Vector<T>.Count)
            {
                Simd.Store(Simd.Load(input, c) - shift, output, c);
            }

            for (; c < columns; c++)
            {
                output[c] = input[c] - max;
            }
        }

        Span<T> all = e[..(rows * columns)];
        if (GemmNumerics.IsRelaxed<T>())
        {
            TensorPrimitives.Exp<T>(all, all);
            return;
        }

        for (int i = 0; i < all.Length; i++)
        {
            all[i] = T.Exp(all[i]);
        }
    }

    /// <summary>
    /// The largest value by <c>&gt;</c>, as a loop from the first value keeps it: a row as wide as a vector or wider
    /// is taken a vector at a time (its last vector overlapping the one before where the width does not divide it),
    /// each lane keeping its larger by the same comparison, and the lanes then compared in turn. The lanes can only
    /// pick a different zero (−0 against +0) than the loop, which leaves <c>x − max</c> and its exponential alone.
    /// </summary>
    private static T Max<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        if (!Vector.IsHardwareAccelerated || values.Length < width)
        {
            T max = values[0];
            for (int i = 1; i < values.Length; i++)
            {
                max = values[i] > max ? values[i] : max;
            }

            return max;
        }

        var lanes = Simd.Load(values, 0);
        for (int i = width; i < values.Length; i += width)
        {
            var next = Simd.Load(values, Math.Min(i, values.Length - width));
            lanes = Vector.ConditionalSelect(Vector.GreaterThan(next, lanes), next, lanes);
        }

        T largest = lanes[0];
        for (int lane = 1; lane < width; lane++)
        {
            largest = lanes[lane] > largest ? lanes[lane] : largest;
        }

        return largest;
    }

    private static void CheckRows(int length, int rows, int columns, string name)
    {
        if (rows < 0 || columns < 1 || length < (long)rows * columns)
        {
            throw new ArgumentException($"'{name}' holds {length} values, fewer than {rows} rows × {columns} columns.", name);
        }
    }
}
