namespace Graph.Samples.Chapter14;

/// <summary>
/// The book's character vocabulary and indices of a text. The book numbers the characters in <c>list(set(raw))</c>
/// order, which follows Python's per-process string hash; by default they are numbered in order of first occurrence,
/// so <c>'T'</c> is 0, <c>'h'</c> 1, <c>'a'</c> 2 in the book's text, and with a hash seed in the order CPython lists
/// the set in a process run with <c>PYTHONHASHSEED</c> set to it (<see cref="PythonSetOrder"/>).
/// </summary>
public sealed class CharacterText
{
    private readonly Dictionary<char, int> index = [];
    private readonly List<char> vocabulary = [];

    /// <summary>
    /// Numbers the characters of <paramref name="raw"/> in order of first occurrence, or, given
    /// <paramref name="hashSeed"/>, in the order of <c>list(set(raw))</c> under <c>PYTHONHASHSEED=hashSeed</c>.
    /// </summary>
    public CharacterText(string raw, uint? hashSeed = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(raw);
        Raw = raw;
        Indices = new int[raw.Length];
        if (hashSeed is uint seed)
        {
            foreach (char c in PythonSetOrder.Of(raw, seed))
            {
                index.Add(c, vocabulary.Count);
                vocabulary.Add(c);
            }
        }

        for (int i = 0; i < raw.Length; i++)
        {
            if (!index.TryGetValue(raw[i], out int number))
            {
                number = vocabulary.Count;
                index.Add(raw[i], number);
                vocabulary.Add(raw[i]);
            }

            Indices[i] = number;
        }
    }

    /// <summary>The text.</summary>
    public string Raw { get; }

    /// <summary>The distinct characters, the book's <c>vocab</c>.</summary>
    public IReadOnlyList<char> Vocabulary => vocabulary;

    /// <summary>Each character's index, the book's <c>indices</c>.</summary>
    public int[] Indices { get; }

    /// <summary>The index of <paramref name="character"/>, the book's <c>word2index[character]</c>.</summary>
    /// <exception cref="ArgumentException">The character does not occur in the text.</exception>
    public int IndexOf(char character) => index.TryGetValue(character, out int number)
        ? number
        : throw new ArgumentException($"'{character}' does not occur in the text, so it has no index.", nameof(character));
}

/// <summary>
/// The book's truncated-backpropagation batches: the indices cut to <c>n_batches · batch_size</c>, laid out as
/// <c>batch_size</c> columns of consecutive text (<c>reshape(batch_size, n_batches).transpose()</c>), and split into
/// runs of <c>bptt</c> rows; the targets are the same rows one character later.
/// </summary>
public sealed class CharacterBatches
{
    private readonly int[] batched;

    /// <summary>Batches <paramref name="indices"/> into <paramref name="batchSize"/> columns and runs of <paramref name="bptt"/> rows.</summary>
    public CharacterBatches(int[] indices, int batchSize, int bptt)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(bptt, 1);
        BatchSize = batchSize;
        Bptt = bptt;
        Rows = indices.Length / batchSize;
        Count = (Rows - 1) / bptt;
        if (Count == 0)
        {
            throw new ArgumentException(
                $"{indices.Length} characters make {Rows} rows of {batchSize}, too few for one batch of {bptt} steps and their targets ({bptt + 1} rows).",
                nameof(indices));
        }

        // batched_indices[row, column] = indices[column * Rows + row].
        batched = new int[Rows * batchSize];
        for (int row = 0; row < Rows; row++)
        {
            for (int column = 0; column < batchSize; column++)
            {
                batched[row * batchSize + column] = indices[column * Rows + row];
            }
        }
    }

    /// <summary>The columns, the book's <c>batch_size</c>.</summary>
    public int BatchSize { get; }

    /// <summary>The steps per batch, the book's <c>bptt</c>.</summary>
    public int Bptt { get; }

    /// <summary>The rows of <c>batched_indices</c>, the book's <c>n_batches</c>.</summary>
    public int Rows { get; }

    /// <summary>The number of batches, the book's <c>n_bptt</c>.</summary>
    public int Count { get; }

    /// <summary>Row <paramref name="row"/> of <c>batched_indices</c>: one character of each column.</summary>
    public ReadOnlySpan<int> BatchedRow(int row) => batched.AsSpan(row * BatchSize, BatchSize);

    /// <summary><c>input_batches[batch][step]</c>: one character of each column.</summary>
    public ReadOnlySpan<int> Input(int batch, int step) => BatchedRow(Row(batch, step));

    /// <summary><c>target_batches[batch][step]</c>: the characters after <see cref="Input"/>'s.</summary>
    public ReadOnlySpan<int> Target(int batch, int step) => BatchedRow(Row(batch, step) + 1);

    /// <summary>A batch's inputs laid out per sample for a compiled model: column b's steps at <c>[b · bptt, (b + 1) · bptt)</c>.</summary>
    public int[] InputsBySample(int batch) => BySample(batch, 0);

    /// <summary>A batch's targets laid out per sample, as <see cref="InputsBySample"/>.</summary>
    public int[] TargetsBySample(int batch) => BySample(batch, 1);

    private int Row(int batch, int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(batch, Count);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, Bptt);
        return batch * Bptt + step;
    }

    private int[] BySample(int batch, int offset)
    {
        var result = new int[BatchSize * Bptt];
        for (int step = 0; step < Bptt; step++)
        {
            ReadOnlySpan<int> row = BatchedRow(Row(batch, step) + offset);
            for (int b = 0; b < BatchSize; b++)
            {
                result[b * Bptt + step] = row[b];
            }
        }

        return result;
    }
}
