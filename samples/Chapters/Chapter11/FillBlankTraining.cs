using System.Numerics;
using Graph.Runtime;
using Graph.Datasets;
using Graph.Samples.Formatting;

namespace Graph.Samples.Chapter11;

/// <summary>The book's settings of the fill-in-the-blank network (E11.4); each can be changed on the command line.</summary>
public sealed record FillBlankSettings(int Seed, double Alpha, int Iterations, int Hidden, int TrainSize, bool BookDelta)
{
    /// <summary>Context words on each side of the blank.</summary>
    public const int Window = 2;

    /// <summary>Random words scored against each blank's word.</summary>
    public const int Negative = FillBlankNetwork<double>.Samples - 1;
}

/// <summary>
/// E11.4: every position of every review (shuffled with Python's <c>random.seed(seed)</c>) is a blank; the mean of
/// the context words' rows predicts the blank's word against 5 words drawn from the whole corpus with numpy's
/// <c>np.random.rand(5) * len(concatenated)</c>. The vocabulary is every token, the empty one and <c>'\n'</c> included.
/// </summary>
/// <remarks>
/// The context is the book's: up to two words on the left and, through its slice <c>review[target_i+1 :
/// min(len(review), target_i+window)]</c>, one word on the right. A blank with no context at all (a review of one
/// token) is skipped: the book's mean over no rows would be NaN.
/// </remarks>
public static class FillBlankTraining
{
    /// <summary>A trained fill-in-the-blank network with its vocabulary.</summary>
    public sealed record Result<T>(IFillBlankNetwork<T> Network, Vocabulary Vocabulary)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Trains as the book does and writes its last progress line; <paramref name="steps"/> receives the number of training steps.</summary>
    public static Result<T> Run<T>(ImdbCorpus corpus, FillBlankSettings s, TextWriter output, out long steps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (vocabulary, reviews, concatenated) = Prepare(corpus, s.Seed);
        reviews = reviews.Take(s.TrainSize).ToList();

        // np.random.seed(seed): the embedding draws first, then weights_1_2 = np.random.rand(...) * 0 draws as many again.
        var random = NumpyRandom.FromSeed(s.Seed);
        IFillBlankNetwork<T> network = s.BookDelta
            ? new FillBlankBookDeltaNetwork<T>(random, vocabulary.Count, s.Hidden)
            : new FillBlankNetwork<T>(random, vocabulary.Count, s.Hidden);
        for (long i = 0; i < (long)vocabulary.Count * s.Hidden; i++)
        {
            random.RandomSample();
        }

        var blanks = new Blanks(concatenated, random);
        var rate = T.CreateChecked(s.Alpha);
        var labels = new T[FillBlankNetwork<T>.Samples];
        labels[0] = T.One;
        steps = 0;
        int passes = reviews.Count * s.Iterations;
        for (int pass = 0; pass < passes; pass++)
        {
            var review = reviews[pass % reviews.Count];
            for (int target = 0; target < review.Length; target++)
            {
                if (blanks.Next(review, target, out var context, out var targets))
                {
                    network.TrainStep(context, targets, labels, rate);
                    steps++;
                }
            }
        }

        output.WriteLine("Progress:" + PythonFormat.Repr((passes - 1) / (double)passes));
        return new Result<T>(network, vocabulary);
    }

    /// <summary>
    /// The vocabulary (every token, in order of first occurrence), each review's word indices shuffled as the book's
    /// <c>random.seed(seed); random.shuffle(input_dataset)</c>, and every word index of the corpus in file order.
    /// </summary>
    public static (Vocabulary Vocabulary, List<int[]> Reviews, int[] Concatenated) Prepare(ImdbCorpus corpus, int seed)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var vocabulary = Vocabulary.Build(corpus.Tokens);
        var reviews = corpus.Tokens.Select(tokens => tokens.Select(vocabulary.IndexOf).ToArray()).ToList();
        var concatenated = reviews.SelectMany(r => r).ToArray();
        new PythonRandom(seed).Shuffle(reviews);
        return (vocabulary, reviews, concatenated);
    }

    /// <summary>One blank at a time: its context words and its word followed by the negative samples.</summary>
    public sealed class Blanks(int[] concatenated, NumpyRandom random)
    {
        private readonly int[] context = new int[2 * FillBlankSettings.Window];
        private readonly int[] targets = new int[FillBlankNetwork<double>.Samples];

        /// <summary>
        /// The blank at <paramref name="target"/> of <paramref name="review"/>: draws its negative samples (always,
        /// as the book does) and returns false when it has no context.
        /// </summary>
        public bool Next(int[] review, int target, out ReadOnlySpan<int> contextWords, out ReadOnlySpan<int> targetWords)
        {
            targets[0] = review[target];
            for (int k = 1; k < targets.Length; k++)
            {
                targets[k] = concatenated[(int)(random.RandomSample() * concatenated.Length)];
            }

            int count = 0;
            for (int c = Math.Max(0, target - FillBlankSettings.Window); c < target; c++)
            {
                context[count++] = review[c];
            }

            // The book's right context, review[target_i+1 : min(len(review), target_i+window)]: one word.
            for (int c = target + 1; c < Math.Min(review.Length, target + FillBlankSettings.Window); c++)
            {
                context[count++] = review[c];
            }

            contextWords = context.AsSpan(0, count);
            targetWords = targets;
            return count > 0;
        }
    }
}
