using System.Numerics;
using Graph.Runtime.Datasets;
using Graph.Samples.Formatting;

namespace Graph.Samples.Chapter11;

/// <summary>The book's settings of the sentiment network (E11.2); each can be changed on the command line.</summary>
public sealed record SentimentSettings(int Seed, double Alpha, int Iterations, int Hidden, int TrainSize, bool BookDelta)
{
    /// <summary>The reviews the network is tested on: the last 1,000, as in the book.</summary>
    public const int TestSize = 1000;
}

/// <summary>
/// E11.2: each review as the set of its words' indices (the words of the vocabulary, every non-empty token), one
/// training step per review over the first reviews, then the accuracy on the last 1,000.
/// </summary>
public static class SentimentTraining
{
    /// <summary>A trained sentiment network with its vocabulary.</summary>
    public sealed record Result<T>(ISentimentNetwork<T> Network, Vocabulary Vocabulary, double TestAccuracy)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Trains as the book does, writing its progress lines and test accuracy to <paramref name="output"/>.</summary>
    public static Result<T> Run<T>(ImdbCorpus corpus, SentimentSettings s, TextWriter output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (vocabulary, reviews) = Prepare(corpus);
        ISentimentNetwork<T> network = s.BookDelta
            ? new SentimentBookDeltaNetwork<T>(s.Seed, vocabulary.Count, s.Hidden)
            : new SentimentNetwork<T>(s.Seed, vocabulary.Count, s.Hidden);
        var rate = T.CreateChecked(s.Alpha);
        var label = new T[1];

        // The book's len(input_dataset): every review it reads, the training ones and the 1,000 test reviews.
        int used = s.TrainSize + SentimentSettings.TestSize;
        double threshold = Math.Log(2);
        int correct = 0, total = 0;
        for (int iteration = 0; iteration < s.Iterations; iteration++)
        {
            string? progress = null;
            for (int i = 0; i < s.TrainSize; i++)
            {
                label[0] = T.CreateChecked(corpus.Labels[i]);

                // The loss is -log of the probability given to the true label: below log 2 exactly when |prediction - y| < 0.5.
                double loss = double.CreateChecked(network.TrainStep(reviews[i], label, rate));
                correct += loss < threshold ? 1 : 0;
                total++;
                if (i % 10 == 9)
                {
                    progress = $"Iter:{iteration} Progress:{Percent(i / (double)used)}% Training Accuracy:{PythonFormat.Repr(correct / (double)total)}%";
                }
            }

            output.WriteLine(progress ?? $"Iter:{iteration}");
        }

        int testCorrect = 0;
        for (int i = corpus.Count - SentimentSettings.TestSize; i < corpus.Count; i++)
        {
            double prediction = double.CreateChecked(network.Predict(reviews[i]));
            testCorrect += Math.Abs(prediction - corpus.Labels[i]) < 0.5 ? 1 : 0;
        }

        double accuracy = testCorrect / (double)SentimentSettings.TestSize;
        output.WriteLine("Test Accuracy:" + PythonFormat.Repr(accuracy));
        return new Result<T>(network, vocabulary, accuracy);
    }

    /// <summary>The vocabulary (every non-empty token, in order of first occurrence) and each review's distinct word indices.</summary>
    public static (Vocabulary Vocabulary, int[][] Reviews) Prepare(ImdbCorpus corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var vocabulary = Vocabulary.Build(corpus.Tokens, word => word.Length > 0);
        var reviews = corpus.Tokens.Select(tokens => tokens.Where(w => w.Length > 0).Select(vocabulary.IndexOf).Distinct().ToArray()).ToArray();
        return (vocabulary, reviews);
    }

    /// <summary>The book's <c>progress[2:4] + '.' + progress[4:6]</c> of <c>str(fraction)</c>.</summary>
    private static string Percent(double fraction)
    {
        string text = PythonFormat.Repr(fraction);
        static string Slice(string s, int from, int to) => from >= s.Length ? string.Empty : s[from..Math.Min(to, s.Length)];
        return Slice(text, 2, 4) + "." + Slice(text, 4, 6);
    }
}
