using System.Diagnostics;
using Graph.Datasets;
using Graph.Samples.Examples;
using Graph.Samples.Formatting;

namespace Graph.Samples.Chapter14;

/// <summary>Chapter 14, learning to write like Shakespeare: long short-term memory.</summary>
public static class Chapter14Examples
{
    public const string ChapterId = "ch14";

    public const string ChapterTitle = "Learning to write like Shakespeare: long short-term memory";

    /// <summary>The chapter's examples in the book's order.</summary>
    public static IReadOnlyList<IExample> All { get; } = [new Batching(), new Rnn(), new Exploding(), new Lstm(), new Generate()];

    /// <summary>
    /// The book's text, its characters numbered in first-occurrence order, or with <c>--hash-seed</c> in the order of
    /// <c>list(set(raw))</c> under that <c>PYTHONHASHSEED</c>, the book's own vocabulary order for the seed.
    /// </summary>
    public static CharacterText LoadText(ExampleOptions options) => new(Shakespeare.ReadText(), options.HashSeed);

    /// <summary>How a title names the vocabulary order: nothing for first occurrence (the default).</summary>
    private static string OrderSuffix(ExampleOptions options) =>
        options.HashSeed is uint seed ? $", characters in list(set(raw)) order of PYTHONHASHSEED={seed}" : string.Empty;

    /// <summary>
    /// E14.1: <c>raw[0:5]</c>, <c>indices[0:5]</c>, <c>batched_indices[0:5]</c>, <c>input_batches[0][0:5]</c> and
    /// <c>target_batches[0][0:5]</c> for batch 32 and bptt 16, as the notebook displays them. The book's indices follow
    /// Python's string hash; these follow first occurrence ('T' is 0), so only the layout can match the book's.
    /// </summary>
    private sealed class Batching() : Example(ChapterId, "batching", "E14.1",
        "the book's batching of shakespear.txt into batch 32 x bptt 16 (195 batches); indices in first-occurrence order, or --hash-seed's", ExampleKnobs.HashSeed)
    {
        public const int BatchSize = 32;

        public const int Bptt = 16;

        public override string Title(ExampleOptions options) =>
            $"truncated backpropagation: batch {Number(BatchSize)} x bptt {Number(Bptt)}, characters numbered " +
            (options.HashSeed is uint seed ? $"in list(set(raw)) order of PYTHONHASHSEED={seed}" : "in order of first occurrence");

        protected override void Execute(ExampleOptions options, TextWriter output)
        {
            var text = LoadText(options);
            var batches = new CharacterBatches(text.Indices, BatchSize, Bptt);
            output.WriteLine(PythonFormat.Repr(text.Raw[0..5]));
            output.WriteLine(PythonFormat.NumpyIntegerArrayRepr(text.Indices.AsSpan(0, 5).ToArray().Select(i => (long)i).ToArray()));
            output.WriteLine(Rows(row => batches.BatchedRow(row)));
            output.WriteLine(Rows(step => batches.Input(0, step)));
            output.WriteLine(Rows(step => batches.Target(0, step)));
            output.WriteLine($"{batches.Count} batches of {Bptt} steps x {BatchSize} columns");
        }

        private static string Rows(Func<int, ReadOnlySpan<int>> row)
        {
            var values = new List<long>();
            for (int i = 0; i < 5; i++)
            {
                foreach (int value in row(i))
                {
                    values.Add(value);
                }
            }

            return PythonFormat.NumpyIntegerArrayRepr(values.ToArray(), 5, BatchSize);
        }
    }

    /// <summary>
    /// E14.2: the character RNN trained with truncated backpropagation on the book's last-step loss. Its curve is
    /// statistical: it depends on the vocabulary order, which follows Python's per-process string hash in the book and
    /// first occurrence here, or, with <c>--hash-seed</c>, Python's order under that <c>PYTHONHASHSEED</c>.
    /// </summary>
    private sealed class Rnn() : NetworkExample(ChapterId, "rnn", "E14.2",
        "character RNN: embed 512, hidden 512, bptt 16, batch 32, the book's last-step loss, alpha 0.05 x 0.99 per iteration, 100 iterations (book: Loss 129.37 ... 1.168); --train-size: batches per iteration",
        ExampleKnobs.Seed | ExampleKnobs.Alpha | ExampleKnobs.Iterations | ExampleKnobs.Hidden | ExampleKnobs.Batch | ExampleKnobs.TrainSize | ExampleKnobs.HashSeed)
    {
        private static RnnSettings Settings(ExampleOptions options)
        {
            var book = RnnSettings.Book;
            return new(options.Seed ?? book.Seed, options.Alpha ?? book.Alpha, options.Iterations ?? book.Iterations,
                options.Hidden ?? book.Hidden, options.Batch ?? book.BatchSize, options.TrainSize);
        }

        public override string Title(ExampleOptions options)
        {
            var s = Settings(options);
            return $"Shakespeare RNN: embed and hidden {Number(s.Hidden)}, bptt {Number(ShakespeareRnn<double>.Steps)}, batch {Number(s.BatchSize)}, " +
                $"the last step's loss, alpha {Number(s.Alpha)} x {Number(RnnSettings.Decay)} per iteration, {Number(s.Iterations)} iterations" +
                (s.MaxBatches is int batches ? $" of at most {Number(batches)} batches" : string.Empty) + $", seed {Number(s.Seed)}" + OrderSuffix(options) + PrecisionSuffix(options);
        }

        protected override string? CheckValues(ExampleOptions options) => CheckSizes(options.Hidden, options.Batch, options.TrainSize);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var watch = Stopwatch.StartNew();
            var s = Settings(options);
            RnnTraining.Run<T>(LoadText(options), s, output);
            output.WriteLine($"trained {Number(s.Iterations)} iterations in {watch.Elapsed.TotalSeconds:F1} s");
        }
    }

    /// <summary>E14.4: activations and gradients through ten sigmoid steps, then ten relu steps.</summary>
    private sealed class Exploding() : Example(ChapterId, "exploding-gradients", "E14.4",
        "vanishing and exploding gradients: 10 sigmoid then 10 relu steps of W = [[1,4],[4,1]], activations and gradients", ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) => "vanishing and exploding gradients through 10 steps of W = [[1, 4], [4, 1]]";

        protected override void Execute(ExampleOptions options, TextWriter output) => ExplodingGradients.Run(output);
    }

    /// <summary>
    /// E14.5: the character LSTM trained with truncated backpropagation. The first loss is exactly the book's (the zero
    /// output layer predicts all 62 characters alike); the rest depends on the vocabulary order, which follows Python's
    /// string hash in the book and first occurrence here, so it can only fall as the book's does. The default trains on
    /// the true gradient; <c>--book-gradient</c> on the one the book's framework computes (<see cref="BookGradientLstm{T}"/>).
    /// </summary>
    private sealed class Lstm() : LstmExample("lstm", "E14.5",
        "character LSTM: embed 512, hidden 512, bptt 25, batch 16, alpha 0.05 x 0.99 per iteration, 10 iterations (book: Loss 62.000000000000064 ... 10.26); --train-size: batches per iteration; --book-gradient: the book's gradient")
    {
        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var watch = Stopwatch.StartNew();
            var s = Settings(options);
            LstmTraining.Run<T>(LoadText(options), s, output);
            output.WriteLine($"trained {Number(s.Iterations)} iterations in {watch.Elapsed.TotalSeconds:F1} s");
        }
    }

    /// <summary>
    /// E14.6: the book's <c>generate_sample(n=500, init_char='\n')</c> after training as E14.5 (its log is not printed):
    /// each character the argmax of the network's prediction after the one before. <c>--book-gradient</c> trains as the
    /// book's framework does. With <c>--load</c> it generates from the checkpoint's weights (saved by <c>lstm --save</c>)
    /// without training, unless <c>--iterations</c> asks for more passes.
    /// </summary>
    private sealed class Generate() : LstmExample("generate", "E14.6",
        "500 characters from '\\n' by argmax after training the character LSTM as lstm does (book, after 10 iterations: 'And will will will ...'); --load: from a checkpoint of lstm --save, untrained further")
    {
        /// <summary>The book's <c>n=500</c>.</summary>
        private const int Length = 500;

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var text = LoadText(options);
            var settings = Settings(options);
            if (settings.Load is not null && options.Iterations is null)
            {
                settings = settings with { Iterations = 0 };
            }

            var network = LstmTraining.Run<T>(text, settings, TextWriter.Null);
            output.WriteLine(LstmTraining.Generate(network, text, '\n', Length));
        }
    }

    /// <summary>The settings and options shared by the examples that train the character LSTM, in double or float (<c>--precision</c>).</summary>
    private abstract class LstmExample(string name, string bookId, string description) : NetworkExample(ChapterId, name, bookId, description,
        ExampleKnobs.Seed | ExampleKnobs.Alpha | ExampleKnobs.Iterations | ExampleKnobs.Hidden | ExampleKnobs.Batch | ExampleKnobs.TrainSize | ExampleKnobs.BookGradient
        | ExampleKnobs.Optimizer | ExampleKnobs.Save | ExampleKnobs.Load | ExampleKnobs.HashSeed)
    {
        protected static LstmSettings Settings(ExampleOptions options)
        {
            var book = LstmSettings.Book;
            return new(options.Seed ?? book.Seed, options.Alpha ?? LstmSettings.DefaultAlpha(options.Optimizer), options.Iterations ?? book.Iterations,
                options.Hidden ?? book.Hidden, options.Batch ?? book.BatchSize, options.TrainSize, options.BookGradient,
                options.Optimizer, options.Save, options.Load);
        }

        public override string Title(ExampleOptions options)
        {
            var s = Settings(options);
            return $"Shakespeare LSTM: embed and hidden {Number(s.Hidden)}, bptt {Number(ShakespeareLstm<double>.Steps)}, batch {Number(s.BatchSize)}, " +
                $"alpha {Number(s.Alpha)} x {Number(LstmSettings.Decay)} per iteration, {Number(s.Iterations)} iterations" +
                (s.MaxBatches is int batches ? $" of at most {Number(batches)} batches" : string.Empty) + $", seed {Number(s.Seed)}" +
                (s.BookGradient ? ", the book's gradient" : string.Empty) +
                (s.Optimizer is OptimizerChoice rule ? $", optimizer {rule.ToString().ToLowerInvariant()}" : string.Empty) + OrderSuffix(options) + PrecisionSuffix(options);
        }

        protected override string? CheckValues(ExampleOptions options) => CheckSizes(options.Hidden, options.Batch, options.TrainSize);
    }

    /// <summary>The check of the character models' sizes: <c>--hidden</c>, <c>--batch</c> and <c>--train-size</c> (batches per iteration).</summary>
    private static string? CheckSizes(int? hidden, int? batch, int? batches) =>
        hidden is < 1 ? $"--hidden must be at least 1, not {hidden}."
        : batch is < 1 ? $"--batch must be at least 1, not {batch}."
        : batches is < 1 ? $"--train-size (batches per iteration) must be at least 1, not {batches}."
        : null;
}
