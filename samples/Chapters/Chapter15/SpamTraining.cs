using System.Numerics;
using Graph.Datasets;
using Graph.Samples.Formatting;

namespace Graph.Samples.Chapter15;

/// <summary>
/// The book's <c>train</c> and <c>test</c> of chapter 15 for <see cref="SpamNetwork{T}"/>: batches of e-mails in
/// order, the padding word's weight reset to zero before every batch and before testing, the loss reported as the
/// running mean of the summed batch loss divided by the batch size.
/// </summary>
public sealed class SpamTraining<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The book's batch size.</summary>
    public const int BookBatchSize = 500;

    /// <summary>The book's learning rate.</summary>
    public const double BookAlpha = 0.01;

    private readonly int unknownIndex;
    private readonly int vocab;

    /// <summary>Trains models over a vocabulary of <paramref name="vocab"/> words whose padding word has index <paramref name="unknownIndex"/>.</summary>
    public SpamTraining(int vocab, int unknownIndex, int batchSize = BookBatchSize, double alpha = BookAlpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vocab, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(unknownIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(unknownIndex, vocab);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        this.vocab = vocab;
        this.unknownIndex = unknownIndex;
        BatchSize = batchSize;
        Alpha = alpha;
    }

    /// <summary>The e-mails per training step.</summary>
    public int BatchSize { get; }

    /// <summary>The learning rate.</summary>
    public double Alpha { get; }

    /// <summary>A model of the vocabulary's size with every weight zero (the book's <c>model.weight.data *= 0</c>).</summary>
    public SpamNetwork<T> NewModel() => new(vocab: vocab);

    /// <summary>A new model with <paramref name="weights"/> (the book's <c>copy.deepcopy(model)</c> when given a model's weights).</summary>
    public SpamNetwork<T> NewModel(ReadOnlySpan<T> weights)
    {
        var model = NewModel();
        model.Parameters[0].CopyFrom(weights);
        return model;
    }

    /// <summary>
    /// One pass of the book's <c>train</c>: <c>len(inputs) / batch</c> whole batches (a last partial batch is left
    /// out, as <c>int(len(input_data) / batch_size)</c> does). Writes <c>\tLoss:</c> and the mean of
    /// <c>batch loss / batch size</c> over the batches, the line the book's progress output ends on, and returns that mean.
    /// </summary>
    /// <exception cref="ArgumentException">The e-mails do not fill one batch, or the targets do not match them.</exception>
    public double TrainPass(SpamNetwork<T> model, IReadOnlyList<int[]> inputs, IReadOnlyList<int> targets, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(output);
        if (inputs.Count != targets.Count)
        {
            throw new ArgumentException($"{inputs.Count} e-mails need as many targets, not {targets.Count}.", nameof(targets));
        }

        int batchSize = BatchSize;
        int batches = inputs.Count / batchSize;
        if (batches == 0)
        {
            throw new ArgumentException($"{inputs.Count} e-mails do not fill one batch of {batchSize}.", nameof(inputs));
        }

        var weights = model.Parameters[0].Value;
        var rate = T.CreateChecked(Alpha);
        double total = 0;
        for (int b = 0; b < batches; b++)
        {
            // The padding word should stay at 0.
            weights[unknownIndex] = T.Zero;
            var (emails, batchTargets) = Batch(inputs, targets, b * batchSize, batchSize);
            double loss = double.CreateChecked(model.TrainStep(emails, batchTargets, rate, batchSize));
            total += loss / batchSize;
        }

        double mean = total / batches;
        output.WriteLine("\tLoss:" + PythonFormat.Repr(mean));
        return mean;
    }

    /// <summary>The book's <c>test</c>: the percentage of e-mails whose prediction is on the target's side of 0.5, as <c>mean() * 100</c>.</summary>
    public double TestPercent(SpamNetwork<T> model, IReadOnlyList<int[]> inputs, IReadOnlyList<int> targets)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        model.Parameters[0].Value[unknownIndex] = T.Zero;
        var (emails, _) = Batch(inputs, targets, 0, inputs.Count);
        var predictions = new T[inputs.Count];
        model.Predict(emails, predictions, inputs.Count);
        int correct = 0;
        var half = T.CreateChecked(0.5);
        for (int i = 0; i < predictions.Length; i++)
        {
            correct += (predictions[i] > half) == (targets[i] == 1) ? 1 : 0;
        }

        return correct / (double)inputs.Count * 100;
    }

    /// <summary>The line the book prints after a test.</summary>
    public static string CorrectLine(double percent) => "% Correct on Test Set: " + PythonFormat.Repr(percent);

    private static (int[] Emails, T[] Targets) Batch(IReadOnlyList<int[]> inputs, IReadOnlyList<int> targets, int start, int count)
    {
        int length = inputs[start].Length;
        var emails = new int[count * length];
        var values = new T[count];
        for (int i = 0; i < count; i++)
        {
            int[] email = inputs[start + i];
            if (email.Length != length)
            {
                throw new ArgumentException($"E-mail {start + i} has {email.Length} word indices, not {length} as the others.", nameof(inputs));
            }

            email.CopyTo(emails, i * length);
            values[i] = T.CreateChecked(targets[start + i]);
        }

        return (emails, values);
    }
}

/// <summary>Creates <see cref="SpamTraining{T}"/> for a prepared dataset.</summary>
public static class SpamTraining
{
    /// <summary>The book's training over <paramref name="data"/>'s vocabulary.</summary>
    public static SpamTraining<T> For<T>(SpamDataset data, int batchSize = SpamTraining<T>.BookBatchSize, double alpha = SpamTraining<T>.BookAlpha)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data);
        return new SpamTraining<T>(data.Vocabulary.Count, data.UnknownIndex, batchSize, alpha);
    }
}
