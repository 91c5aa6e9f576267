using System.Numerics;
using Graph.Distributed.Mpi;
using Graph.Runtime;

namespace Graph.Distributed.Training;

/// <summary>
/// The gradient of one row-sparse parameter (an embedding table) as rows: the rows this rank's samples touched,
/// each once in first-touch order, with their weighted gradient rows summed over the rank's <c>Backward</c> calls.
/// The ranks exchange these rows (an allgather of row numbers and one of values) instead of the dense table, and
/// every rank adds them into the parameter's gradient in rank order.
/// </summary>
internal sealed class SparseRowGradient<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T> parameter;
    private readonly SparseRows touched;
    private readonly int rowLength;
    private readonly int[] slotOfRow;
    private int[] rows = new int[64];
    private T[] values;

    public SparseRowGradient(Parameter<T> parameter)
    {
        this.parameter = parameter;
        touched = parameter.TouchedRows ?? throw new ArgumentException($"Parameter '{parameter.Name}' has a dense gradient.", nameof(parameter));
        rowLength = parameter.Size / touched.RowCount;
        slotOfRow = new int[touched.RowCount];
        Array.Fill(slotOfRow, -1);
        values = new T[rows.Length * rowLength];
    }

    /// <summary>The rows this rank has gathered since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Adds <paramref name="weight"/> times the rows the last <c>Backward</c> wrote.</summary>
    public void Accumulate(T weight)
    {
        var gradient = parameter.Gradient;
        foreach (int row in touched.Rows)
        {
            int slot = slotOfRow[row];
            if (slot < 0)
            {
                slot = Count++;
                if (slot == rows.Length)
                {
                    Array.Resize(ref rows, rows.Length * 2);
                    Array.Resize(ref values, rows.Length * rowLength);
                }

                rows[slot] = row;
                slotOfRow[row] = slot;
            }

            var target = values.AsSpan(slot * rowLength, rowLength);
            var source = gradient.AsSpan(row * rowLength, rowLength);
            for (int j = 0; j < rowLength; j++)
            {
                target[j] += weight * source[j];
            }
        }
    }

    /// <summary>
    /// Gathers every rank's rows (<paramref name="counts"/>[r] from rank r) and writes their sum, added in rank order,
    /// into the parameter's gradient and touched rows, as one <c>Backward</c> over the whole batch would leave them.
    /// </summary>
    public void Exchange(Communicator ranks, ReadOnlySpan<int> counts)
    {
        int total = 0;
        foreach (int count in counts)
        {
            total = checked(total + count);
        }

        var allRows = new int[total];
        ranks.AllgatherVariable<int>(rows.AsSpan(0, Count), allRows, counts);
        var valueCounts = new int[counts.Length];
        for (int rank = 0; rank < counts.Length; rank++)
        {
            valueCounts[rank] = checked(counts[rank] * rowLength);
        }

        var allValues = new T[checked(total * rowLength)];
        ranks.AllgatherVariable<T>(values.AsSpan(0, Count * rowLength), allValues, valueCounts);

        var gradient = parameter.Gradient;
        touched.Clear<T>(gradient, rowLength);
        for (int i = 0; i < total; i++)
        {
            int row = allRows[i];
            if ((uint)row >= (uint)touched.RowCount)
            {
                throw new InvalidOperationException($"A rank sent row {row} of '{parameter.Name}', which has {touched.RowCount} rows.");
            }

            touched.Add(row);
            var target = gradient.AsSpan(row * rowLength, rowLength);
            var source = allValues.AsSpan(i * rowLength, rowLength);
            for (int j = 0; j < rowLength; j++)
            {
                target[j] += source[j];
            }
        }
    }

    /// <summary>Forgets the gathered rows (their values are zeroed for the next step).</summary>
    public void Clear()
    {
        for (int slot = 0; slot < Count; slot++)
        {
            slotOfRow[rows[slot]] = -1;
        }

        values.AsSpan(0, Count * rowLength).Clear();
        Count = 0;
    }
}
