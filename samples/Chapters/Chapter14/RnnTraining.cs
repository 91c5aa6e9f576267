using System.Numerics;
using Graph.Runtime;
using Graph.Samples.Formatting;

namespace Graph.Samples.Chapter14;

/// <summary>The book's settings of the character RNN (E14.2); each can be changed on the command line.</summary>
/// <param name="Seed">The seed of the initial weights, <c>np.random.seed(0)</c>, and of the samples' draws.</param>
/// <param name="Alpha">The first learning rate; it is multiplied by <see cref="Decay"/> after every iteration.</param>
/// <param name="Iterations">Passes over the text, <c>train(100)</c>.</param>
/// <param name="Hidden">The embedding and hidden width, 512.</param>
/// <param name="BatchSize">Columns of text trained side by side, 32.</param>
/// <param name="MaxBatches">How many batches of each pass to train; all when null.</param>
public sealed record RnnSettings(int Seed, double Alpha, int Iterations, int Hidden, int BatchSize, int? MaxBatches = null)
{
    /// <summary>The learning rate's factor after each iteration, <c>optim.alpha *= 0.99</c>.</summary>
    public const double Decay = 0.99;

    /// <summary>The length of the sample written at each iteration's first batch.</summary>
    public const int SampleLength = 70;

    /// <summary>The book writes its log line at every tenth batch.</summary>
    public const int LogEvery = 10;

    /// <summary>The book's settings.</summary>
    public static RnnSettings Book { get; } = new(0, 0.05, 100, 512, 32);
}

/// <summary>
/// E14.2: the book's <c>train(100)</c> of the character RNN. Each batch starts from the hidden state the previous one
/// ended in (each pass from zeros), takes one SGD step on the last step's cross-entropy (the book's gradient of the
/// batch sum) and adds the batch's mean last-step loss to the pass's total; the log shows
/// <c>exp(total / batches so far)</c>.
/// </summary>
/// <remarks>
/// The book writes its log with <c>"\r Iter:..."</c> at batches 1, 11, ..., 191 (the first with a 70-character sample
/// generated after that batch's step) and ends each pass's line with <c>print()</c>. Each printed line here is what
/// the terminal then shows: the batch-191 log over the end of the longer batch-1 log.
/// </remarks>
public static class RnnTraining
{
    /// <summary>Trains as the book does, writing its lines to <paramref name="output"/>; returns the trained network.</summary>
    public static ShakespeareRnn<T> Run<T>(CharacterText text, RnnSettings s, TextWriter output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(output);
        var batches = new CharacterBatches(text.Indices, s.BatchSize, ShakespeareRnn<T>.Steps);
        var network = new ShakespeareRnn<T>(s.Seed, text.Vocabulary.Count, s.Hidden);
        BookInitialisation.Apply(network, s.Seed);
        var sampling = NumpyRandom.FromSeed(s.Seed);
        int batchCount = Math.Min(batches.Count, s.MaxBatches ?? batches.Count);
        double alpha = s.Alpha;
        var h = new T[s.BatchSize * s.Hidden];
        var state = new T[s.BatchSize * s.Hidden];
        for (int iteration = 0; iteration < s.Iterations; iteration++)
        {
            double total = 0;
            Array.Clear(h);
            var line = new OverwrittenLine();
            for (int b = 0; b < batchCount; b++)
            {
                int[] inputs = batches.InputsBySample(b);
                int[] targets = batches.TargetsBySample(b);

                // The state this batch hands on is the one the step's forward pass reaches, before the step changes the
                // weights: the loss marks it as its prediction, so the step writes it to state.
                double loss = double.CreateChecked(network.TrainStep(inputs, targets, h, T.CreateChecked(alpha), state, s.BatchSize));
                state.CopyTo(h, 0);

                // The loss is the batch sum; the book adds the batch mean.
                total += loss / s.BatchSize;
                if (b % RnnSettings.LogEvery == 0)
                {
                    string log = " Iter:" + iteration + " - Batch " + (b + 1) + "/" + batches.Count +
                        " - Loss:" + PythonFormat.Repr(Math.Exp(total / (b + 1)));
                    if (b == 0)
                    {
                        log += " - " + Generate(network, text, '\n', RnnSettings.SampleLength, sampling).Replace('\n', ' ');
                    }

                    line.Write(log);
                }
            }

            output.WriteLine(line.ToString());
            alpha *= RnnSettings.Decay;
        }

        return network;
    }

    /// <summary>
    /// The book's RNN <c>generate_sample(n, init_char)</c>: from a zero state and <paramref name="start"/>, each step
    /// feeds the previous character, takes the softmax of 10 · logits and picks the first character whose probability
    /// exceeds a uniform draw (<c>(temp_dist &gt; np.random.rand()).argmax()</c>, the first character when none does).
    /// </summary>
    public static string Generate<T>(ShakespeareRnn<T> network, CharacterText text, char start, int length, NumpyRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var h = new T[network.Hidden];
        var next = new T[network.Hidden];
        var logits = new T[network.Vocab];
        var probabilities = new double[network.Vocab];
        int character = text.IndexOf(start);
        var result = new System.Text.StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            network.StepState([character], h, next);
            next.CopyTo(h, 0);
            network.StepLogits(h, logits);
            SoftmaxOfTenTimes(logits, probabilities);
            double draw = random.RandomSample();
            character = Math.Max(0, Array.FindIndex(probabilities, p => p > draw));
            result.Append(text.Vocabulary[character]);
        }

        return result.ToString();
    }

    /// <summary>The book's <c>output.data *= 10</c> then <c>softmax()</c> (with the largest subtracted first: the same probabilities to rounding, where the book's <c>np.exp</c> can overflow).</summary>
    private static void SoftmaxOfTenTimes<T>(ReadOnlySpan<T> logits, Span<double> probabilities)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double max = double.NegativeInfinity;
        foreach (var logit in logits)
        {
            max = Math.Max(max, 10 * double.CreateChecked(logit));
        }

        double sum = 0;
        for (int k = 0; k < logits.Length; k++)
        {
            probabilities[k] = Math.Exp(10 * double.CreateChecked(logits[k]) - max);
            sum += probabilities[k];
        }

        for (int k = 0; k < logits.Length; k++)
        {
            probabilities[k] /= sum;
        }
    }
}
