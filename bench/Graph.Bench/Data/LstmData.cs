namespace Graph.Bench.Data;

/// <summary>
/// The character LSTM's shapes (the book's chapter 14: 62 characters, embedding and hidden 512, 25 steps), and batches
/// of random characters for it: the step's time does not depend on which characters it reads.
/// </summary>
public sealed class LstmData
{
    /// <summary>The characters of shakespear.txt.</summary>
    public const int Vocab = 62;

    /// <summary>The embedding width and the hidden width.</summary>
    public const int Hidden = 512;

    /// <summary>The characters per batch, the book's <c>bptt</c>.</summary>
    public const int Steps = 25;

    /// <summary>The book's learning rate.</summary>
    public const float LearningRate = 0.05f;

    /// <summary><paramref name="count"/> batches of <paramref name="batch"/> samples, drawn from <paramref name="seed"/>.</summary>
    public LstmData(int batch, int count = 8, int seed = 7)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Batch = batch;
        var random = new Random(seed);
        int[] Draw() => Enumerable.Range(0, batch * Steps).Select(_ => random.Next(Vocab)).ToArray();
        Chars = Enumerable.Range(0, count).Select(_ => Draw()).ToArray();
        Targets = Enumerable.Range(0, count).Select(_ => Draw()).ToArray();

        // The book's init_hidden: zeros but column 0, which is 1.
        H0 = new float[batch * Hidden];
        for (int sample = 0; sample < batch; sample++)
        {
            H0[sample * Hidden] = 1;
        }

        C0 = (float[])H0.Clone();
    }

    /// <summary>The samples per batch.</summary>
    public int Batch { get; }

    /// <summary>Each batch's inputs, <see cref="Batch"/> × <see cref="Steps"/> character indices, sample by sample.</summary>
    public int[][] Chars { get; }

    /// <summary>Each batch's next characters, laid out as <see cref="Chars"/>.</summary>
    public int[][] Targets { get; }

    /// <summary>The state every batch starts from, <see cref="Batch"/> × <see cref="Hidden"/>.</summary>
    public float[] H0 { get; }

    /// <summary>The cell state every batch starts from, as <see cref="H0"/>.</summary>
    public float[] C0 { get; }

    /// <summary>
    /// The flops of one training step's products at <paramref name="batch"/>: per sample and step, the forward pass
    /// multiplies the input and the previous state by the four gates' matrices (2 · 4·hidden · (embedding + hidden)) and
    /// the state by the output layer (2 · hidden · vocab); the backward pass does each product twice more (the gradient
    /// of its input and of its weights). The element-wise work (gates, softmax, updates) is left out.
    /// </summary>
    public static double StepFlops(int batch) => 3.0 * 2 * batch * Steps * ((4.0 * Hidden * (Hidden + Hidden)) + (Hidden * Vocab));

    /// <summary>
    /// The flops of the products Graph's compiled step computes at <paramref name="batch"/>: the input products of
    /// <see cref="StepFlops"/> are rows of the table products <c>Embed·W</c> (vocab rows each, once per step, forward,
    /// and twice backward: the embedding's and the weights' gradients), the state's and the output layer's as there.
    /// </summary>
    public static double GraphStepFlops(int batch) =>
        (3.0 * 2 * 4 * Vocab * Hidden * Hidden) + (3.0 * 2 * batch * Steps * ((4.0 * Hidden * Hidden) + (Hidden * Vocab)));
}
