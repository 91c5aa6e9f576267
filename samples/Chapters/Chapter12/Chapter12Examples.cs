using Graph.Samples.Examples;
using Graph.Samples.Formatting;

namespace Graph.Samples.Chapter12;

/// <summary>Chapter 12, neural networks that write like Shakespeare: recurrent layers for variable-length data (bAbI).</summary>
public static class Chapter12Examples
{
    public const string ChapterId = "ch12";

    public const string ChapterTitle = "Neural networks that write like Shakespeare: recurrent layers for variable-length data (bAbI)";

    /// <summary>The chapter's examples in the book's order.</summary>
    public static IReadOnlyList<IExample> All { get; } = [new Identity(), new ForwardSoftmax(), new BabiTokens(), new BabiRnn()];

    /// <summary>E12.2: vectors times the identity matrix, and a sentence vector with identity steps between its words.</summary>
    private sealed class Identity() : Example(ChapterId, "identity", "E12.2",
        "vectors times np.eye(3) are unchanged; this + movie + rocks equals (this.dot(I) + movie).dot(I) + rocks", ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) => "matrices that change absolutely nothing: the 3x3 identity";

        protected override void Execute(ExampleOptions options, TextWriter output)
        {
            var network = new IdentityNetwork();
            output.WriteLine(PythonFormat.NumpyArray<double>(network.Parameters["Identity"].Value, 3, 3));
            output.WriteLine("----------------");

            // a, b, c and d, one sample each.
            double[] vectors = [1, 2, 3, 0.1, 0.2, 0.3, -1, -0.5, 0, 0, 0, 0];
            var products = new double[vectors.Length];
            network.Product(vectors, products, batch: 4);
            for (int i = 0; i < 4; i++)
            {
                output.WriteLine(PythonFormat.NumpyArray<double>(products.AsSpan(i * 3, 3)));
            }

            output.WriteLine("---------------");
            double[] @this = [2, 4, 6];
            double[] movie = [10, 10, 10];
            double[] rocks = [1, 1, 1];
            var sum = new double[3];
            network.WordSum(@this, movie, rocks, sum);

            // The book's this, movie and rocks are integer arrays, so their plain sum prints as one.
            output.WriteLine(PythonFormat.NumpyIntegerArray(sum.Select(v => (long)v).ToArray()));
            var sentence = new double[3];
            network.SentenceVector(@this, movie, rocks, sentence);
            output.WriteLine(PythonFormat.NumpyArray<double>(sentence));
        }
    }

    /// <summary>
    /// E12.3: the softmax over nine words of "red socks defeat" with all-zero word vectors. The book's
    /// <c>sent2output</c> is unseeded; its values do not change the printed probabilities.
    /// </summary>
    private sealed class ForwardSoftmax() : Example(ChapterId, "forward-softmax", "E12.3",
        "softmax over 9 words of the sentence vector of 'red socks defeat' (zero word vectors, identity steps)", ExampleKnobs.Seed)
    {
        public override string Title(ExampleOptions options) =>
            $"forward propagation: zero word vectors, identity steps, softmax over 9 words, sent2output drawn with seed {Number(options.Seed ?? 0)}";

        protected override void Execute(ExampleOptions options, TextWriter output)
        {
            var network = new WordSoftmaxNetwork(options.Seed ?? 0);
            double[] zero = [0, 0, 0];
            var prediction = new double[9];
            network.Predict(zero, zero, zero, prediction);
            output.WriteLine(PythonFormat.NumpyArray<double>(prediction, 1, 9));
        }
    }

    /// <summary>E12.4: the first three token lists of the bAbI corpus.</summary>
    private sealed class BabiTokens() : Example(ChapterId, "babi-tokens", "E12.4",
        "the first three of the book's token lists of bAbI task 1 (qa1_single-supporting-fact_train.txt)", ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) => "bAbI task 1: tokens[0:3] of the first 1000 lines";

        protected override void Execute(ExampleOptions options, TextWriter output) =>
            output.WriteLine(PythonFormat.NestedStringList(BabiCorpus.Load().Take(3)));
    }

    /// <summary>
    /// E12.5: the word-level recurrent network trained on the bAbI sentences. The compiled step follows the true gradient
    /// of the summed cross-entropy. The book's hand-written updates differ: a word's embedding and the recurrent matrix
    /// are updated with the hidden-state gradient of a step before the one they feed (two steps and one step earlier),
    /// and <c>start</c> with its gradient times <c>recurrent</c>ᵀ. The vocabulary is numbered in first-occurrence order
    /// where the book's follows Python's string hashing, so no run repeats the book's digits.
    /// </summary>
    private sealed class BabiRnn() : Example(ChapterId, "babi-rnn", "E12.5",
        "word-level recurrent network on bAbI: embed 10, recurrent identity, alpha 0.001, 30000 iterations (book: Perplexity 82.04 ... 4.08)",
        ExampleKnobs.Seed | ExampleKnobs.Alpha | ExampleKnobs.Iterations)
    {
        private static BabiSettings Settings(ExampleOptions options) => new(options.Seed ?? 1, options.Alpha ?? 0.001, options.Iterations ?? 30000);

        public override string Title(ExampleOptions options)
        {
            var s = Settings(options);
            return $"bAbI word RNN: embed {Number(BabiRecurrentNetwork.Embedding)}, recurrent identity, alpha {Number(s.Alpha)}, {Number(s.Iterations)} iterations over the first {Number(BabiCorpus.LineCount)} lines, seed {Number(s.Seed)}";
        }

        protected override void Execute(ExampleOptions options, TextWriter output) =>
            BabiTraining.Run(BabiCorpus.Load(), Settings(options), output);
    }
}
