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
        var network = NewNetwork<T>(s, vocabulary.Count);
        var rate = T.CreateChecked(s.Alpha);
        var label = new T[1];
        int correct = 0, total = 0;
        for (int iteration = 0; iteration < s.Iterations; iteration++)
        {
            string? progress = null;
            for (int i = 0; i < s.TrainSize; i++)
            {
                label[0] = T.CreateChecked(corpus.Labels[i]);

                correct += IsCorrect(network.TrainStep(reviews[i], label, rate)) ? 1 : 0;
                total++;
                if (i % 10 == 9)
                {
                    progress = ProgressLine(iteration, i, s, correct, total);
                }
            }

            output.WriteLine(progress ?? $"Iter:{iteration}");
        }

        int testCorrect = 0;
        for (int i = corpus.Count - SentimentSettings.TestSize; i < corpus.Count; i++)
        {
            testCorrect += IsCorrectPrediction(network.Predict(reviews[i]), corpus.Labels[i]) ? 1 : 0;
        }

        double accuracy = testCorrect / (double)SentimentSettings.TestSize;
        output.WriteLine(TestLine(accuracy));
        return new Result<T>(network, vocabulary, accuracy);
    }

    /// <summary>The network the settings ask for, over a vocabulary of <paramref name="vocabularySize"/> words.</summary>
    public static ISentimentNetwork<T> NewNetwork<T>(SentimentSettings s, int vocabularySize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(s);
        return s.BookDelta
            ? new SentimentBookDeltaNetwork<T>(s.Seed, vocabularySize, s.Hidden)
            : new SentimentNetwork<T>(s.Seed, vocabularySize, s.Hidden);
    }

    /// <summary>
    /// Whether a training review counts as correct: its loss is -log of the probability given to the true label,
    /// below log 2 exactly when |prediction - y| &lt; 0.5.
    /// </summary>
    public static bool IsCorrect<T>(T loss)
        where T : unmanaged, IFloatingPointIeee754<T> => double.CreateChecked(loss) < Math.Log(2);

    /// <summary>Whether a test prediction is on the label's side of 0.5, as the book counts it.</summary>
    public static bool IsCorrectPrediction<T>(T prediction, int label)
        where T : unmanaged, IFloatingPointIeee754<T> => Math.Abs(double.CreateChecked(prediction) - label) < 0.5;

    /// <summary>
    /// The book's progress line after training review <paramref name="index"/> of an iteration, with the running
    /// <paramref name="correct"/> of <paramref name="total"/> reviews. Its percentage is of <c>len(input_dataset)</c>:
    /// every review the book reads, the training ones and the 1,000 test reviews.
    /// </summary>
    public static string ProgressLine(int iteration, int index, SentimentSettings s, int correct, int total)
    {
        ArgumentNullException.ThrowIfNull(s);
        int used = s.TrainSize + SentimentSettings.TestSize;
        return $"Iter:{iteration} Progress:{Percent(index / (double)used)}% Training Accuracy:{PythonFormat.Repr(correct / (double)total)}%";
    }

    /// <summary>The book's closing line.</summary>
    public static string TestLine(double accuracy) => "Test Accuracy:" + PythonFormat.Repr(accuracy);

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
