using System.Numerics;
using Graph.Samples.Examples;
using Graph.Samples.Formatting;

namespace Graph.Samples.Chapter14;

/// <summary>The book's settings of the character LSTM (E14.5); each can be changed on the command line.</summary>
/// <param name="Seed">The seed of the initial weights, <c>np.random.seed(0)</c>.</param>
/// <param name="Alpha">The first learning rate; it is multiplied by <see cref="Decay"/> after every iteration.</param>
/// <param name="Iterations">Passes over the text, <c>train(10)</c>.</param>
/// <param name="Hidden">The embedding and hidden width, 512.</param>
/// <param name="BatchSize">Columns of text trained side by side, 16.</param>
/// <param name="MaxBatches">How many batches of each pass to train (the book's commented-out <c>batches_to_train</c>); all when null.</param>
/// <param name="BookGradient">True to train <see cref="BookGradientLstm{T}"/>, on the gradient the book's autograd computes.</param>
/// <param name="Optimizer">The update rule, its rate <see cref="Alpha"/> decayed as the book's; null for the book's plain SGD step.</param>
/// <param name="Save">A checkpoint to write after training, or null.</param>
/// <param name="Load">A checkpoint to start from instead of the book's initial weights, or null.</param>
public sealed record LstmSettings(int Seed, double Alpha, int Iterations, int Hidden, int BatchSize, int? MaxBatches = null, bool BookGradient = false,
    OptimizerChoice? Optimizer = null, string? Save = null, string? Load = null)
{
    /// <summary>The learning rate's factor after each iteration, <c>optim.alpha *= 0.99</c>.</summary>
    public const double Decay = 0.99;

    /// <summary>The length of the sample written at each iteration's first batch.</summary>
    public const int SampleLength = 70;

    /// <summary>The book's settings.</summary>
    public static LstmSettings Book { get; } = new(0, 0.05, 10, 512, 16);

    /// <summary>
    /// The first learning rate of a rule when <c>--alpha</c> does not give one: the book's 0.05 for SGD, 0.005 for
    /// momentum 0.9 (the same step once the velocity has built up), and 0.002 for Adam and AdamW.
    /// </summary>
    public static double DefaultAlpha(OptimizerChoice? rule) => rule switch
    {
        OptimizerChoice.Momentum or OptimizerChoice.Nesterov => 0.005,
        OptimizerChoice.Adam or OptimizerChoice.AdamW => 0.002,
        _ => Book.Alpha,
    };

    /// <summary>The optimizer of <see cref="Optimizer"/> at rate <see cref="Alpha"/>, times <see cref="Decay"/> after every <paramref name="stepsPerIteration"/> steps; null for the book's step.</summary>
    public Graph.Runtime.Optimizer? Rule(int stepsPerIteration)
    {
        Graph.Runtime.Optimizer? rule = Optimizer switch
        {
            OptimizerChoice.Sgd => Graph.Runtime.Optimizer.Sgd(Alpha),
            OptimizerChoice.Momentum => Graph.Runtime.Optimizer.SgdWithMomentum(Alpha, 0.9),
            OptimizerChoice.Nesterov => Graph.Runtime.Optimizer.SgdWithMomentum(Alpha, 0.9, nesterov: true),
            OptimizerChoice.Adam => Graph.Runtime.Optimizer.Adam(Alpha),
            OptimizerChoice.AdamW => Graph.Runtime.Optimizer.AdamW(Alpha, weightDecay: 0.01),
            _ => null,
        };
        return rule?.WithSchedule(Graph.Runtime.LearningRateSchedule.StepDecay(Decay, stepsPerIteration));
    }
}

/// <summary>
/// E14.5: the book's <c>train()</c> of the character LSTM with truncated backpropagation. Each batch starts from the
/// state the previous batch ended in (each pass from <c>init_hidden</c>: h and c zero but their column 0, which is 1),
/// takes one SGD step on the cross-entropy summed over its 25 steps (averaged over the batch; with
/// <see cref="LstmSettings.BookGradient"/>, the book's gradient of the batch sum), and adds the batch's mean loss / 25
/// to the pass's total; the log shows <c>exp(total / batches so far)</c>.
/// </summary>
/// <remarks>
/// The book rewrites one console line with <c>\r</c> and starts a new one whenever the pass's loss reaches a new
/// minimum; here a line is written for the first batch of each pass (with the book's 70-character argmax sample from
/// <c>'T'</c>, generated after the batch's step), for each new minimum and for the pass's last batch. The first line has
/// no leading space and the others one, as the book's <c>"\r Iter:"</c> shows them.
/// </remarks>
public static class LstmTraining
{
    /// <summary>
    /// Refuses a run whose <c>--optimizer</c> cannot go on from the optimizer state a <c>--load</c> checkpoint holds
    /// (another rule's moments); a checkpoint without state, or the book's step (no <c>--optimizer</c>), which reads none, is fine.
    /// </summary>
    /// <exception cref="ConflictingOptionException">The checkpoint holds steps of another rule.</exception>
    public static void CheckLoadedState<T>(Graph.Runtime.OptimizerState<T> state, string checkpoint, OptimizerChoice? choice, Graph.Runtime.Optimizer? rule)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(state);
        if (choice is OptimizerChoice chosen && rule is Graph.Runtime.Optimizer given && state.Kind is Graph.Runtime.OptimizerKind saved && saved != given.Kind)
        {
            string option = Option(chosen);
            throw new ConflictingOptionException(
                $"--load {checkpoint} holds the optimizer state of {state.Step} {saved} steps, which --optimizer {option} ({given.Kind}) cannot go on from; " +
                $"load it with --optimizer {Option(saved)}, or train {option} without --load.");
        }
    }

    private static string Option(OptimizerChoice choice) => choice.ToString().ToLowerInvariant();

    private static string Option(Graph.Runtime.OptimizerKind kind) => kind switch
    {
        Graph.Runtime.OptimizerKind.Momentum => "momentum or nesterov",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Trains as the book does in the element type <typeparamref name="T"/>, writing its lines to
    /// <paramref name="output"/>; returns the trained network. The losses are summed and logged in double whatever the
    /// element type, and the learning rate is decayed in double and rounded to <typeparamref name="T"/> at each step.
    /// </summary>
    public static ICharacterLstm<T> Run<T>(CharacterText text, LstmSettings s, TextWriter output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(output);
        var batches = new CharacterBatches(text.Indices, s.BatchSize, ShakespeareLstm<T>.Steps);
        ICharacterLstm<T> network = s.BookGradient
            ? new BookGradientLstm<T>(s.Seed, text.Vocabulary.Count, s.Hidden)
            : new ShakespeareLstm<T>(s.Seed, text.Vocabulary.Count, s.Hidden);
        BookInitialisation.Apply(network, s.Seed);
        int batchCount = Math.Min(batches.Count, s.MaxBatches ?? batches.Count);
        var optimizer = s.Rule(batchCount);
        if (s.Load is string checkpoint)
        {
            network.Load(checkpoint);
            CheckLoadedState(network.OptimizerState, checkpoint, s.Optimizer, optimizer);
        }
        double alpha = s.Alpha;
        bool first = true;
        var h = new T[s.BatchSize * s.Hidden];
        var c = new T[s.BatchSize * s.Hidden];
        var state = new T[s.BatchSize * 2 * s.Hidden];
        for (int iteration = 0; iteration < s.Iterations; iteration++)
        {
            double total = 0;
            double min = 1000;
            InitialState(h, c, s.Hidden);
            for (int b = 0; b < batchCount; b++)
            {
                int[] inputs = batches.InputsBySample(b);
                int[] targets = batches.TargetsBySample(b);

                // The state this batch hands on is the one the step's forward pass reaches, before the step changes the
                // weights: the loss marks it as its prediction, so the step writes it to state.
                double loss = double.CreateChecked(optimizer is Graph.Runtime.Optimizer rule
                    ? network.TrainStep(inputs, targets, h, c, rule, state, s.BatchSize)
                    : network.TrainStep(inputs, targets, h, c, T.CreateChecked(alpha), state, s.BatchSize));
                SplitState(state, h, c, s.Hidden);

                // The book logs the batch's mean loss; the book-gradient model's loss is the batch sum.
                total += (s.BookGradient ? loss / s.BatchSize : loss) / ShakespeareLstm<T>.Steps;
                double epochLoss = Math.Exp(total / (b + 1));
                bool newMin = epochLoss < min;
                min = newMin ? epochLoss : min;
                if (b == 0 || newMin || b == batchCount - 1)
                {
                    string line = (first ? "Iter:" : " Iter:") + iteration +
                        " - Alpha:" + Prefix(PythonFormat.Repr(alpha)) +
                        " - Batch " + (b + 1) + "/" + batches.Count +
                        " - Min Loss:" + Prefix(PythonFormat.Repr(min)) +
                        " - Loss:" + PythonFormat.Repr(epochLoss);
                    if (b == 0)
                    {
                        line += " - " + Generate(network, text, 'T', LstmSettings.SampleLength).Replace('\n', ' ');
                    }

                    output.WriteLine(line);
                    first = false;
                }
            }

            alpha *= LstmSettings.Decay;
        }

        if (s.Save is string path)
        {
            network.Save(path);
        }

        return network;
    }

    /// <summary>
    /// The book's LSTM <c>generate_sample(n, init_char)</c>: from <c>init_hidden</c> and <paramref name="start"/>, each
    /// step feeds the previous character and takes the most likely next one (<c>output.data.argmax()</c>).
    /// </summary>
    public static string Generate<T>(ICharacterLstm<T> network, CharacterText text, char start, int length)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        int hidden = network.Hidden;
        var h = new T[hidden];
        var c = new T[hidden];
        var state = new T[2 * hidden];
        var logits = new T[network.Vocab];
        InitialState(h, c, hidden);
        int character = text.IndexOf(start);
        var result = new System.Text.StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            network.StepState([character], h, c, state);
            SplitState(state, h, c, hidden);
            network.StepLogits(h, logits);
            character = Argmax(logits);
            result.Append(text.Vocabulary[character]);
        }

        return result.ToString();
    }

    /// <summary>The book's <c>init_hidden</c>: zeros, with column 0 of h and of c set to 1.</summary>
    private static void InitialState<T>(T[] h, T[] c, int hidden)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Array.Clear(h);
        Array.Clear(c);
        for (int i = 0; i < h.Length; i += hidden)
        {
            h[i] = T.One;
            c[i] = T.One;
        }
    }

    /// <summary>Copies each sample's <c>[2, hidden]</c> state (rows h and c) into <paramref name="h"/> and <paramref name="c"/>.</summary>
    private static void SplitState<T>(T[] state, T[] h, T[] c, int hidden)
    {
        for (int sample = 0; sample < h.Length / hidden; sample++)
        {
            state.AsSpan(2 * sample * hidden, hidden).CopyTo(h.AsSpan(sample * hidden));
            state.AsSpan((2 * sample + 1) * hidden, hidden).CopyTo(c.AsSpan(sample * hidden));
        }
    }

    /// <summary>Python's <c>str(x)[0:5]</c>.</summary>
    private static string Prefix(string value) => value.Length > 5 ? value[..5] : value;

    /// <summary>numpy's <c>argmax</c>: the index of the largest value, the first on ties.</summary>
    private static int Argmax<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            best = values[i] > values[best] ? i : best;
        }

        return best;
    }
}
