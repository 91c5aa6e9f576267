using System.Numerics;
using Graph.Samples.Cli;
using Graph.Samples.Examples;

namespace Graph.Samples.Chapter11;

/// <summary>Chapter 11, neural networks that understand language: word embeddings learnt from IMDB reviews.</summary>
public static class Chapter11Examples
{
    public const string ChapterId = "ch11";

    public const string ChapterTitle = "Neural networks that understand language: word embeddings (IMDB)";

    public static IReadOnlyList<IExample> All { get; } = [new Sentiment(), new Similar(), new FillBlank(), new Analogy()];

    /// <summary>The last network trained in this process with its options, so that an example asking the same question of it does not train it again.</summary>
    private static (ExampleOptions Options, object Result)? lastTrained;

    private static TResult Trained<TResult>(ExampleOptions options, Func<TResult> train)
        where TResult : class
    {
        if (lastTrained is { } last && last.Options == options && last.Result is TResult result)
        {
            return result;
        }

        var trained = train();
        lastTrained = (options, trained);
        return trained;
    }

    /// <summary>The options of the training run an example reads: the training knobs, without the example's own.</summary>
    private static ExampleOptions TrainingOptions(ExampleOptions options) => options.RestrictTo(TrainingKnobs | ExampleKnobs.Precision);

    /// <summary>The knobs of every chapter 11 example: those of its training run.</summary>
    private const ExampleKnobs TrainingKnobs = ExampleKnobs.Seed | ExampleKnobs.Alpha | ExampleKnobs.Iterations | ExampleKnobs.Hidden | ExampleKnobs.TrainSize | ExampleKnobs.BookDelta;

    /// <summary>The common part of the examples that train the sentiment network.</summary>
    private abstract class SentimentExample(string name, string bookId, string description, ExampleKnobs extra = ExampleKnobs.None)
        : NetworkExample(ChapterId, name, bookId, description, TrainingKnobs | extra)
    {
        protected static SentimentSettings Settings(ExampleOptions options) => new(
            options.Seed ?? 1, options.Alpha ?? 0.01, options.Iterations ?? 2, options.Hidden ?? 100, options.TrainSize ?? 24000, options.BookDelta);

        public override string Title(ExampleOptions options)
        {
            var s = Settings(options);
            return $"IMDB sentiment: embedding sum -> sigmoid({Number(s.Hidden)}) -> sigmoid, alpha {Number(s.Alpha)}, {Number(s.Iterations)} iterations over {Number(s.TrainSize)} reviews, " +
                $"tested on the last {Number(SentimentSettings.TestSize)}, seed {Number(s.Seed)}{(s.BookDelta ? ", the book's deltas" : string.Empty)}" + PrecisionSuffix(options);
        }

        protected override string? CheckValues(ExampleOptions options)
        {
            var s = Settings(options);
            int most = 25000 - SentimentSettings.TestSize;
            return s.Hidden < 1 ? $"--hidden must be at least 1, not {s.Hidden}."
                : s.TrainSize is < 1 or > 24000 ? $"--train-size must be between 1 and {most} (the last {SentimentSettings.TestSize} reviews are the test set), not {s.TrainSize}."
                : null;
        }

        protected static SentimentTraining.Result<T> Train<T>(ExampleOptions options, TextWriter output)
            where T : unmanaged, IFloatingPointIeee754<T> =>
            Trained(TrainingOptions(options), () => SentimentTraining.Run<T>(ImdbCorpus.Load(), Settings(options), output));
    }

    /// <summary>
    /// E11.2. The compiled network trains on the true gradient of its loss, the binary cross-entropy of the output
    /// sigmoid: at the output that is the book's <c>layer_2 - y</c>, but the hidden layer's gradient also carries the
    /// sigmoid's derivative <c>layer_1 (1 - layer_1)</c>, which the book's <c>layer_1_delta</c> leaves out.
    /// <c>--book-delta</c> trains <see cref="SentimentBookDeltaNetwork{T}"/>, which leaves it out too.
    /// </summary>
    /// <remarks>
    /// With <c>--data-parallel</c> each step trains <c>--batch</c> reviews (one per rank by default) sharded over the
    /// ranks, their gradients summed (<see cref="SentimentDataParallel"/>); the book's loop is one review per step.
    /// </remarks>
    private sealed class Sentiment() : SentimentExample("sentiment", "E11.2",
        "IMDB reviews: embedding sum -> sigmoid(100) -> sigmoid, alpha 0.01, 2 iterations over 24,000 reviews (book: Test Accuracy:0.848)",
        ExampleKnobs.DataParallel | ExampleKnobs.Batch)
    {
        public override string Title(ExampleOptions options) =>
            !options.DataParallel ? base.Title(options)
            : base.Title(options) + (options.Batch is { } batch ? $", data-parallel: {Number(batch)} reviews per step" : ", data-parallel: one review per rank per step");

        protected override string? CheckValues(ExampleOptions options) =>
            base.CheckValues(options)
            ?? (options.Batch is not null && !options.DataParallel ? "--batch applies to ch11 sentiment with --data-parallel; without it the book's loop trains one review per step."
                : options.Batch is < 1 ? $"--batch must be at least 1, not {options.Batch}."
                : null);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            if (options.DataParallel)
            {
                var ranks = DataParallelJob.World;
                var (_, statistics) = SentimentDataParallel.Run<T>(ranks, LoadReviews, Settings(options), options.Batch ?? ranks.Size, output);
                DataParallelJob.Report(statistics);
                return;
            }

            // Always trains, so that the progress lines are printed.
            var result = SentimentTraining.Run<T>(ImdbCorpus.Load(), Settings(options), output);
            lastTrained = (TrainingOptions(options), result);
        }
    }

    /// <summary>The IMDB reviews numbered as <see cref="SentimentTraining.Prepare"/> numbers them.</summary>
    private static SentimentDataParallel.Reviews LoadReviews()
    {
        var corpus = ImdbCorpus.Load();
        var (vocabulary, reviews) = SentimentTraining.Prepare(corpus);
        return new SentimentDataParallel.Reviews(vocabulary.Count, reviews, corpus.Labels);
    }

    /// <summary>E11.3: the ten nearest words to 'beautiful' and to 'terrible' in the trained sentiment embedding.</summary>
    private sealed class Similar() : SentimentExample("similar", "E11.3",
        "the 10 nearest words to 'beautiful' and 'terrible' by Euclidean distance in the sentiment network's embedding")
    {
        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var result = Train<T>(options, TextWriter.Null);
            var vectors = new WordVectors(ToDouble(result.Network.Parameters["Weights01"].Value), result.Network.Hidden, result.Vocabulary);
            output.WriteLine(WordVectors.Format(vectors.Nearest("beautiful")));
            output.WriteLine(WordVectors.Format(vectors.Nearest("terrible")));
        }
    }

    /// <summary>The common part of the examples that train the fill-in-the-blank network.</summary>
    private abstract class FillBlankExample(string name, string bookId, string description)
        : NetworkExample(ChapterId, name, bookId, description, TrainingKnobs)
    {
        protected static FillBlankSettings Settings(ExampleOptions options) => new(
            options.Seed ?? 1, options.Alpha ?? 0.05, options.Iterations ?? 2, options.Hidden ?? 50, options.TrainSize ?? 25000, options.BookDelta);

        public override string Title(ExampleOptions options)
        {
            var s = Settings(options);
            return $"IMDB fill in the blank: mean of {FillBlankSettings.Window}+1 context rows -> sigmoid over the word and {FillBlankSettings.Negative} negative samples, " +
                $"hidden {Number(s.Hidden)}, alpha {Number(s.Alpha)}, {Number(s.Iterations)} iterations over {Number(s.TrainSize)} shuffled reviews, seed {Number(s.Seed)}{(s.BookDelta ? ", the book's deltas" : string.Empty)}" + PrecisionSuffix(options);
        }

        protected override string? CheckValues(ExampleOptions options)
        {
            var s = Settings(options);
            return s.Hidden < 1 ? $"--hidden must be at least 1, not {s.Hidden}."
                : s.TrainSize is < 1 or > 25000 ? $"--train-size must be between 1 and 25000, not {s.TrainSize}."
                : null;
        }

        protected static WordVectors Train<T>(ExampleOptions options, TextWriter output)
            where T : unmanaged, IFloatingPointIeee754<T>
        {
            var result = Trained(TrainingOptions(options), () => FillBlankTraining.Run<T>(ImdbCorpus.Load(), Settings(options), output, out _));
            return new WordVectors(ToDouble(result.Network.Parameters["Weights01"].Value), result.Network.Hidden, result.Vocabulary);
        }
    }

    /// <summary>
    /// E11.4 and E11.5. The compiled network steps on the true gradient of its loss: the mean's gradient reaches each
    /// context row divided by the context's size (the book applies <c>layer_1_delta</c> to each row whole), and a
    /// word that appears twice among the context or the sampled rows gets both contributions (numpy's
    /// <c>w[idx] -= d</c> applies a repeated index once). <c>--book-delta</c> trains <see cref="FillBlankBookDeltaNetwork{T}"/>,
    /// which gives each context row the whole gradient as the book does.
    /// </summary>
    private sealed class FillBlank() : FillBlankExample("fill-blank", "E11.4/E11.5",
        "word embeddings by filling in the blank with negative sampling (hidden 50, window 2, 5 negatives, alpha 0.05, 2 iterations), then the words nearest 'terrible' and 'beautiful'")
    {
        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var vectors = Train<T>(options, output);
            output.WriteLine(WordVectors.Format(vectors.Nearest("terrible")));
            output.WriteLine(WordVectors.Format(vectors.Nearest("beautiful")));
        }
    }

    /// <summary>E11.6: word analogies on the fill-in-the-blank embedding, computed as the book does.</summary>
    private sealed class Analogy() : FillBlankExample("analogy", "E11.6",
        "analogy(['terrible','good'],['bad']), analogy(['elizabeth','he'],['she']) and king - man + woman on the fill-in-the-blank embedding")
    {
        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var vectors = Train<T>(options, TextWriter.Null);
            output.WriteLine(WordVectors.Format(vectors.Analogy(["terrible", "good"], ["bad"])));
            output.WriteLine(WordVectors.Format(vectors.Analogy(["elizabeth", "he"], ["she"])));
            output.WriteLine(WordVectors.Format(vectors.Analogy(["king", "woman"], ["man"])));
        }
    }

    private static double[] ToDouble<T>(T[] values)
        where T : unmanaged, IFloatingPointIeee754<T> => values.Select(double.CreateChecked).ToArray();
}
