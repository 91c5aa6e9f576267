using System.Numerics;
using Graph.Samples.Examples;
using Graph.Samples.Formatting;

namespace Graph.Samples.Chapter13;

/// <summary>
/// Chapter 13, a deep learning framework: the book builds an eager autograd <c>Tensor</c> and layers; here the
/// same networks are compiled models whose backward pass and SGD step the generator writes. Each network starts
/// from the book's initial weights, drawn in the book framework's order (<see cref="BookFrameworkRandom"/>).
/// </summary>
public static class Chapter13Examples
{
    public const string ChapterId = "ch13";

    public const string ChapterTitle = "Introducing automatic optimization: let's build a deep learning framework";

    /// <summary>The chapter's examples in the book's order.</summary>
    public static IReadOnlyList<IExample> All { get; } =
    [
        new MultipleUse(),
        new Negation(),
        new NumpyBaseline(),
        new Autograd(),
        new Sgd(),
        new SequentialLayers(),
        new Nonlinearity(),
        new IndexSelect(),
        new EmbeddingLayer(),
        new CrossEntropy(),
        new RecurrentLayer(),
    ];

    /// <summary>The book's <c>data</c> for Parts 7-12: four samples of two inputs.</summary>
    private static readonly double[] Data = [0, 0, 0, 1, 1, 0, 1, 1];

    /// <summary>The book's <c>target</c> for Parts 7-12, and the targets of Parts 15-16.</summary>
    private static readonly double[] Target = [0, 1, 0, 1];

    /// <summary>The word indices of Parts 15-16, one per sample.</summary>
    private static readonly int[] Words = [1, 2, 1, 2];

    private const int BatchSize = 4;

    /// <summary>E13.4: a tensor used twice receives the gradients of both uses.</summary>
    private sealed class MultipleUse() : Example(ChapterId, "multiple-use", "E13.4",
        "a tensor used twice: d = a + b, e = b + c, f = d + e; the compiled Backward gives b the gradient [2, 2, 2, 2, 2]",
        ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) => "gradient of a tensor used twice, through the compiled Backward";

        protected override void Execute(ExampleOptions options, TextWriter output)
        {
            var model = new MultipleUseModel<double>();
            model.Backward([1.0, 1, 1, 1, 1]);
            output.WriteLine(EqualTo(model.Parameters["B"].Gradient, 2));
        }
    }

    /// <summary>E13.5: negation, <c>d = a + (-b)</c>, <c>e = (-b) + c</c>.</summary>
    private sealed class Negation() : Example(ChapterId, "negation", "E13.5",
        "negation: d = a + (-b), e = (-b) + c, f = d + e; the compiled Backward gives b the gradient [-2, -2, -2, -2, -2]",
        ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) => "gradient through negation, through the compiled Backward";

        protected override void Execute(ExampleOptions options, TextWriter output)
        {
            var model = new NegationModel<double>();
            model.Backward([1.0, 1, 1, 1, 1]);
            output.WriteLine(EqualTo(model.Parameters["B"].Gradient, -2));
        }
    }

    /// <summary>The book's <c>print(b.grad.data == np.array([v, v, v, v, v]))</c>.</summary>
    private static string EqualTo(double[] gradient, double value) =>
        PythonFormat.NumpyBoolArray(gradient.Select(g => g == value).ToArray());

    /// <summary>E13.7: the plain numpy 2-3-1 network with the book's hand-written update.</summary>
    private sealed class NumpyBaseline() : NetworkExample(ChapterId, "numpy-baseline", "E13.7",
        "\"previously we would train a model like this\": 2-3-1 linear network on 4 samples, np.random.seed(0), rand weights, alpha 0.1, 10 steps",
        ExampleKnobs.Seed | ExampleKnobs.Alpha | ExampleKnobs.Iterations)
    {
        public override string Title(ExampleOptions options) =>
            $"2-3-1 linear network, half squared error summed over the batch, {LinearTitle(options, 0.1)}";

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            // Plain numpy arrays: np.random.seed(seed), then rand(2,3) and rand(3,1), with no Tensor ids in between.
            var book = new BookFrameworkRandom(options.Seed ?? 0);
            var network = new NumpyLinearNetwork<T>();
            BookFrameworkRandom.Load(network.Parameters["Weights01"], book.Rand(2, 3));
            BookFrameworkRandom.Load(network.Parameters["Weights12"], book.Rand(3, 1));
            var data = Values<T>(Data);
            var target = Values<T>(Target);
            var squaredErrors = new T[BatchSize];
            T alpha = Value<T>(options.Alpha ?? 0.1);
            for (int i = 0; i < (options.Iterations ?? 10); i++)
            {
                // loss = sqdiff.sum(0), printed as loss[0].
                network.SquaredError(data, target, squaredErrors, BatchSize);
                T loss = T.Zero;
                foreach (T error in squaredErrors)
                {
                    loss += error;
                }

                network.TrainStep(data, target, alpha, BatchSize);
                output.WriteLine(Str(loss));
            }
        }
    }

    /// <summary>The book's Part 7-8 set-up: data and target tensors, then <c>w[0]</c> and <c>w[1]</c>.</summary>
    private static AutogradLinearNetwork<T> AutogradNetwork<T>(ExampleOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var book = new BookFrameworkRandom(options.Seed ?? 0);
        book.Tensor(); // data = Tensor(np.array([[0,0],[0,1],[1,0],[1,1]]), autograd=True)
        book.Tensor(); // target = Tensor(np.array([[0],[1],[0],[1]]), autograd=True)
        var network = new AutogradLinearNetwork<T>();
        BookFrameworkRandom.Load(network.Parameters["Weights0"], book.RandTensor(2, 3));
        BookFrameworkRandom.Load(network.Parameters["Weights1"], book.RandTensor(3, 1));
        return network;
    }

    /// <summary>E13.8: the same network through autograd, updated by hand from the gradients.</summary>
    private sealed class Autograd() : NetworkExample(ChapterId, "autograd", "E13.8",
        "the 2-3-1 network through autograd: Backward, then w -= alpha * w.grad (ApplyGradients); Tensor ids drawn as the book draws them, alpha 0.1, 10 steps",
        ExampleKnobs.Seed | ExampleKnobs.Alpha | ExampleKnobs.Iterations)
    {
        public override string Title(ExampleOptions options) =>
            $"2-3-1 linear network, Backward and ApplyGradients, {LinearTitle(options, 0.1)}";

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = AutogradNetwork<T>(options);
            var data = Values<T>(Data);
            var target = Values<T>(Target);
            T alpha = Value<T>(options.Alpha ?? 0.1);
            for (int i = 0; i < (options.Iterations ?? 10); i++)
            {
                T loss = network.Backward(data, target, BatchSize);
                network.ApplyGradients(alpha);
                output.WriteLine(Array(loss));
            }
        }
    }

    /// <summary>E13.9: the same network and update through the book's <c>SGD</c> optimiser: the compiled TrainStep.</summary>
    private sealed class Sgd() : NetworkExample(ChapterId, "sgd", "E13.9",
        "the 2-3-1 network with SGD(parameters=w, alpha=0.1).step(): the compiled TrainStep, 10 steps",
        ExampleKnobs.Seed | ExampleKnobs.Alpha | ExampleKnobs.Iterations)
    {
        public override string Title(ExampleOptions options) =>
            $"2-3-1 linear network, TrainStep, {LinearTitle(options, 0.1)}";

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = AutogradNetwork<T>(options);
            PrintTrainingLosses<T>((data, target, alpha) => network.TrainStep(data, target, alpha, BatchSize), options, 0.1, output);
        }
    }

    /// <summary>E13.10 and E13.11: <c>Sequential([Linear(2,3), Linear(3,1)])</c>, the loss inline and as <c>MSELoss</c>.</summary>
    private sealed class SequentialLayers() : NetworkExample(ChapterId, "sequential", "E13.10/E13.11",
        "Sequential([Linear(2,3), Linear(3,1)]) with MSELoss: randn weights * sqrt(2/n_in), zero biases, alpha 0.05, 10 steps",
        ExampleKnobs.Seed | ExampleKnobs.Alpha | ExampleKnobs.Iterations)
    {
        public override string Title(ExampleOptions options) =>
            $"Linear(2,3), Linear(3,1), MSELoss, {LinearTitle(options, 0.05)}";

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = new SequentialLinearNetwork<T>();
            LoadBookLinearLayers(network.Parameters, options);
            PrintTrainingLosses<T>((data, target, alpha) => network.TrainStep(data, target, alpha, BatchSize), options, 0.05, output);
        }
    }

    /// <summary>E13.12: <c>Sequential([Linear(2,3), Tanh(), Linear(3,1), Sigmoid()])</c>.</summary>
    private sealed class Nonlinearity() : NetworkExample(ChapterId, "nonlinearity", "E13.12",
        "Sequential([Linear(2,3), Tanh(), Linear(3,1), Sigmoid()]) with MSELoss, alpha 1, 10 steps",
        ExampleKnobs.Seed | ExampleKnobs.Alpha | ExampleKnobs.Iterations)
    {
        public override string Title(ExampleOptions options) =>
            $"Linear(2,3), Tanh, Linear(3,1), Sigmoid, MSELoss, {LinearTitle(options, 1)}";

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = new TanhSigmoidNetwork<T>();
            LoadBookLinearLayers(network.Parameters, options);
            PrintTrainingLosses<T>((data, target, alpha) => network.TrainStep(data, target, alpha, BatchSize), options, 1, output);
        }
    }

    /// <summary>
    /// Trains on the book's four examples with <paramref name="trainStep"/> (the data, the targets, alpha) and prints
    /// each step's loss as the book prints it.
    /// </summary>
    private static void PrintTrainingLosses<T>(Func<T[], T[], T, T> trainStep, ExampleOptions options, double defaultAlpha, TextWriter output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = Data.Select(T.CreateChecked).ToArray();
        var target = Target.Select(T.CreateChecked).ToArray();
        T alpha = T.CreateChecked(options.Alpha ?? defaultAlpha);
        for (int i = 0; i < (options.Iterations ?? 10); i++)
        {
            output.WriteLine(Array(trainStep(data, target, alpha)));
        }
    }

    /// <summary>
    /// The book's <c>Linear(2,3)</c> and <c>Linear(3,1)</c> weights and biases, drawn after the data and target tensors'
    /// ids as E13.10-E13.12 draw them, into the parameters Weight1, Bias1, Weight2 and Bias2.
    /// </summary>
    private static void LoadBookLinearLayers<T>(Graph.Runtime.ParameterSet<T> parameters, ExampleOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var book = new BookFrameworkRandom(options.Seed ?? 0);
        book.Tensor(); // data
        book.Tensor(); // target
        var (weight1, bias1) = book.Linear(2, 3);
        var (weight2, bias2) = book.Linear(3, 1);
        BookFrameworkRandom.Load(parameters["Weight1"], weight1);
        BookFrameworkRandom.Load(parameters["Bias1"], bias1);
        BookFrameworkRandom.Load(parameters["Weight2"], weight2);
        BookFrameworkRandom.Load(parameters["Bias2"], bias2);
    }

    /// <summary>E13.13: the gradient of <c>index_select</c> counts how often each row was selected.</summary>
    private sealed class IndexSelect() : Example(ChapterId, "index-select", "E13.13",
        "the gradient of index_select: x = eye(5), rows [[1,2,3],[2,3,4]], the compiled Backward's x.grad",
        ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) => "gradient of eye(5).index_select([[1,2,3],[2,3,4]]), through the compiled Backward";

        protected override void Execute(ExampleOptions options, TextWriter output)
        {
            var model = new IndexSelectModel<double>();
            model.Backward([1, 2, 3, 2, 3, 4], batch: 2);
            output.WriteLine(PythonFormat.NumpyArray<double>(model.Parameters["X"].Gradient, 5, 5));
        }
    }

    /// <summary>E13.14: <c>Sequential([Embedding(5,3), Tanh(), Linear(3,1), Sigmoid()])</c> on word indices.</summary>
    private sealed class EmbeddingLayer() : NetworkExample(ChapterId, "embedding", "E13.14",
        "Sequential([Embedding(5,3), Tanh(), Linear(3,1), Sigmoid()]) with MSELoss on words [1,2,1,2], alpha 0.5, 10 steps",
        ExampleKnobs.Seed | ExampleKnobs.Alpha | ExampleKnobs.Iterations)
    {
        public override string Title(ExampleOptions options) =>
            $"Embedding(5,3), Tanh, Linear(3,1), Sigmoid, MSELoss, {LinearTitle(options, 0.5)}";

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var book = new BookFrameworkRandom(options.Seed ?? 0);
            book.Tensor(); // data = Tensor(np.array([1,2,1,2]), autograd=True)
            book.Tensor(); // target = Tensor(np.array([[0],[1],[0],[1]]), autograd=True)
            var embedding = book.Embedding(5, 3);
            var (weight, bias) = book.Linear(3, 1);
            var network = new EmbeddingSigmoidNetwork<T>();
            BookFrameworkRandom.Load(network.Parameters["Embedding"], embedding);
            BookFrameworkRandom.Load(network.Parameters["Weight"], weight);
            BookFrameworkRandom.Load(network.Parameters["Bias"], bias);
            var target = Values<T>(Target);
            T alpha = Value<T>(options.Alpha ?? 0.5);
            for (int i = 0; i < (options.Iterations ?? 10); i++)
            {
                output.WriteLine(Array(network.TrainStep(Words, target, alpha, BatchSize)));
            }
        }
    }

    /// <summary>E13.15: <c>Sequential([Embedding(3,3), Tanh(), Linear(3,4)])</c> with <c>CrossEntropyLoss</c>.</summary>
    private sealed class CrossEntropy() : NetworkExample(ChapterId, "cross-entropy", "E13.15",
        "Sequential([Embedding(3,3), Tanh(), Linear(3,4)]) with CrossEntropyLoss on words [1,2,1,2], classes [0,1,0,1], alpha 0.1, 10 steps",
        ExampleKnobs.Seed | ExampleKnobs.Alpha | ExampleKnobs.Iterations)
    {
        public override string Title(ExampleOptions options) =>
            $"Embedding(3,3), Tanh, Linear(3,4), CrossEntropyLoss, {LinearTitle(options, 0.1)}";

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var book = new BookFrameworkRandom(options.Seed ?? 0);
            book.Tensor(); // data = Tensor(np.array([1,2,1,2]), autograd=True)
            book.Tensor(); // target = Tensor(np.array([0,1,0,1]), autograd=True)
            var embedding = book.Embedding(3, 3);
            var (weight, bias) = book.Linear(3, 4);
            var network = new EmbeddingCrossEntropyNetwork<T>();
            BookFrameworkRandom.Load(network.Parameters["Embedding"], embedding);
            BookFrameworkRandom.Load(network.Parameters["Weight"], weight);
            BookFrameworkRandom.Load(network.Parameters["Bias"], bias);
            var labels = Values<T>(Target);
            T alpha = Value<T>(options.Alpha ?? 0.1);
            T batch = T.CreateChecked(BatchSize);
            for (int i = 0; i < (options.Iterations ?? 10); i++)
            {
                // The loss is summed over the batch (the gradient the book backpropagates); the book prints its mean.
                T loss = network.TrainStep(Words, labels, alpha, BatchSize);
                output.WriteLine(Str(loss / batch));
            }
        }
    }

    /// <summary>
    /// E13.16: the recurrent cell on the first 100 bAbI sentences, 1000 full-batch steps; every 200 steps the book
    /// prints a tenth of the mean cross-entropy (<c>total_loss / (len(data)/batch_size)</c>) and the fraction of the
    /// batch whose sixth word is the most likely, then the prediction for the first sentence.
    /// </summary>
    private sealed class RecurrentLayer() : NetworkExample(ChapterId, "recurrent", "E13.16",
        "RNNCell(16, 16, vocab) with a sigmoid over Embedding(vocab, 16) on bAbI task 1: the sixth word of the first 100 sentences from the first five, alpha 0.05, 1000 steps (statistical)",
        ExampleKnobs.Seed | ExampleKnobs.Alpha | ExampleKnobs.Iterations)
    {
        private const int Batch = 100;

        private const int ReportEvery = 200;

        public override string Title(ExampleOptions options) =>
            $"recurrent cell on bAbI task 1, batch {Batch}, {LinearTitle(options, 0.05, 1000, "iterations")}";

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var sentences = BabiSentences.Load();
            int vocab = sentences.Vocabulary.Count;
            const int length = RnnCellNetwork<T>.SentenceLength;

            // The book seeds nothing here; the draws follow its order from np.random.seed(seed): Embedding, then the
            // cell's three Linear layers (w_ih, w_hh, w_ho), each tensor drawing its id.
            var book = new BookFrameworkRandom(options.Seed ?? 0);
            var embedding = book.Embedding(vocab, 16);
            var (inputWeight, inputBias) = book.Linear(16, 16);
            var (hiddenWeight, hiddenBias) = book.Linear(16, 16);
            var (outputWeight, outputBias) = book.Linear(16, vocab);
            var network = new RnnCellNetwork<T>(vocab: vocab);
            BookFrameworkRandom.Load(network.Parameters["Embedding"], embedding);
            BookFrameworkRandom.Load(network.Parameters["InputWeight"], inputWeight);
            BookFrameworkRandom.Load(network.Parameters["InputBias"], inputBias);
            BookFrameworkRandom.Load(network.Parameters["HiddenWeight"], hiddenWeight);
            BookFrameworkRandom.Load(network.Parameters["HiddenBias"], hiddenBias);
            BookFrameworkRandom.Load(network.Parameters["OutputWeight"], outputWeight);
            BookFrameworkRandom.Load(network.Parameters["OutputBias"], outputBias);

            var batch = sentences.Indices.AsSpan(0, Batch * length);
            var logits = new T[Batch * vocab];
            T alpha = Value<T>(options.Alpha ?? 0.05);
            T batches = T.CreateChecked(sentences.Count / Batch);
            for (int iteration = 0; iteration < (options.Iterations ?? 1000); iteration++)
            {
                bool report = iteration % ReportEvery == 0;
                if (report)
                {
                    network.Predict(batch, logits, Batch);
                }

                T loss = network.TrainStep(batch, alpha, Batch);
                if (report)
                {
                    int correct = 0;
                    for (int i = 0; i < Batch; i++)
                    {
                        correct += Argmax<T>(logits.AsSpan(i * vocab, vocab)) == batch[(i * length) + length - 1] ? 1 : 0;
                    }

                    T mean = loss / T.CreateChecked(Batch);
                    output.WriteLine("Loss: " + Str(mean / batches) + " % Correct: " + PythonFormat.Repr((double)correct / Batch));
                }
            }

            var first = batch[..length];
            var firstLogits = logits.AsSpan(0, vocab);
            network.Predict(first, firstLogits, 1);
            var context = new System.Text.StringBuilder();
            foreach (int word in first[..^1])
            {
                context.Append(sentences.Vocabulary[word]).Append(' ');
            }

            output.WriteLine("Context: " + context);
            output.WriteLine("True: " + sentences.Vocabulary[first[^1]]);
            output.WriteLine("Pred: " + sentences.Vocabulary[Argmax<T>(firstLogits)]);
        }

        /// <summary>numpy's <c>argmax</c>: the first index of the largest value.</summary>
        private static int Argmax<T>(ReadOnlySpan<T> values)
            where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        {
            int best = 0;
            for (int i = 1; i < values.Length; i++)
            {
                if (values[i] > values[best])
                {
                    best = i;
                }
            }

            return best;
        }
    }

    /// <summary>The title's seed (when given), alpha and step count.</summary>
    private static string LinearTitle(ExampleOptions options, double defaultAlpha, int defaultSteps = 10, string steps = "steps")
    {
        string seed = options.Seed is { } s ? $", seed {s}" : string.Empty;
        string precision = options.Precision == Precision.Float ? ", float32" : string.Empty;
        return $"alpha {PythonFormat.Repr(options.Alpha ?? defaultAlpha)}, {options.Iterations ?? defaultSteps} {steps}{seed}{precision}";
    }

    /// <summary><c>print(loss)</c> of the book's one-element loss array: <c>[0.58128304]</c>.</summary>
    private static string Array<T>(T loss)
        where T : unmanaged, IFloatingPointIeee754<T> => PythonFormat.NumpyArray<T>([loss]);
}
