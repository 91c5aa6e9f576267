namespace Graph.Runtime;

/// <summary>
/// The rows of a parameter matrix that the last Backward wrote a gradient to, for a parameter read only by
/// row-gathering operations (Gather, EmbeddingSum, EmbeddingMean). Every other row of its gradient is zero, so
/// a training step updates only these rows and the next Backward clears only these rows: neither sweeps the
/// whole matrix. Each row is listed once, in the order it was first written.
/// </summary>
public sealed class SparseRows
{
    private readonly bool[] listed;
    private int[] rows = new int[64];

    /// <param name="rowCount">The number of rows of the parameter.</param>
    public SparseRows(int rowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rowCount);
        listed = new bool[rowCount];
    }

    /// <summary>The number of rows of the parameter.</summary>
    public int RowCount => listed.Length;

    /// <summary>How many rows are listed.</summary>
    public int Count { get; private set; }

    /// <summary>The listed rows, each once.</summary>
    public ReadOnlySpan<int> Rows => rows.AsSpan(0, Count);

    /// <summary>True when <paramref name="row"/> is listed.</summary>
    public bool Contains(int row) => (uint)row < (uint)listed.Length && listed[row];

    /// <summary>Zeroes the listed rows of <paramref name="gradient"/> (rows of <paramref name="rowLength"/> values) and empties the list.</summary>
    public void Clear<T>(Span<T> gradient, int rowLength)
    {
        for (int i = 0; i < Count; i++)
        {
            int row = rows[i];
            gradient.Slice(row * rowLength, rowLength).Clear();
            listed[row] = false;
        }

        Count = 0;
    }

    /// <summary>Lists <paramref name="row"/> unless it is listed already.</summary>
    public void Add(int row)
    {
        if (listed[row])
        {
            return;
        }

        listed[row] = true;
        if (Count == rows.Length)
        {
            Array.Resize(ref rows, Math.Min(rows.Length * 2, Math.Max(listed.Length, 64)));
        }

        rows[Count++] = row;
    }
}
