using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter12;

/// <summary>
/// E12.5, the word-level recurrent network on bAbI: the sentence vector starts at <see cref="Start"/>, and each word
/// moves it through <see cref="Recurrent"/> (initially the identity) and adds the word's embedding; before each word,
/// the decoder's softmax predicts it. The loss is the summed cross-entropy of those predictions over the sentence.
/// </summary>
/// <remarks>
/// Sentences shorter than <see cref="Steps"/> are padded with -1. The loss runs the sentence's own number of steps
/// (<c>length</c>, a run-time step count), so a short sentence costs its words only; it trains exactly as the loop over
/// all <see cref="Steps"/> with padded steps did, since a padded step adds no loss and no gradient and the steps after a
/// sentence's end cannot change its loss. <see cref="Predict"/> reads the padded sentence step by step. The random initialisers draw from numpy's generator in
/// declaration order, <see cref="Embed"/> then <see cref="Decoder"/>, as the book's <c>np.random.seed(1)</c> code
/// does; <c>InitUniform(-0.05, 0.05)</c> computes <c>0.1 · r - 0.05</c>, the book's <c>(r - 0.5) · 0.1</c> up to
/// rounding in the last bit.
/// </remarks>
[Model(typeof(double)), Size("Vocab", 82)]
public partial class BabiRecurrentNetwork
{
    /// <summary>The most words a sentence may have: training sentences (<c>tokens[i][1:]</c>) have 3-5, full lines 4-6.</summary>
    public const int Steps = 6;

    /// <summary>The embedding size.</summary>
    public const int Embedding = 10;

    /// <summary>The book's <c>embed = (np.random.rand(len(vocab), 10) - 0.5) * 0.1</c>.</summary>
    [Param("Vocab", Embedding), InitUniform(-0.05, 0.05)]
    public partial Tensor Embed { get; }

    /// <summary>The book's <c>recurrent = np.eye(10)</c>.</summary>
    [Param(Embedding, Embedding), InitIdentity]
    public partial Tensor Recurrent { get; }

    /// <summary>The book's <c>start = np.zeros(10)</c>, the vector of the empty sentence.</summary>
    [Param(Embedding), InitZeros]
    public partial Tensor Start { get; }

    /// <summary>The book's <c>decoder = (np.random.rand(10, len(vocab)) - 0.5) * 0.1</c>.</summary>
    [Param(Embedding, "Vocab"), InitUniform(-0.05, 0.05)]
    public partial Tensor Decoder { get; }

    /// <summary>The book's <c>predict(sent)</c> loss: <c>-log softmax(hidden · decoder)[word]</c> summed over the sentence's <paramref name="length"/> words.</summary>
    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(Steps, Padded = true)] Tensor words, [MaxSteps(Steps)] int length)
    {
        Tensor hidden = Start;
        Tensor loss = 0;
        for (int t = 0; t < length; t++)
        {
            loss += SoftmaxCrossEntropy(hidden.Dot(Decoder), words[t]);
            hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
        }

        return loss;
    }

    /// <summary>
    /// The logits of every step, one row per step ([Steps, Vocab]): row t predicts word t from the words before it
    /// (row 0 from the empty sentence), the book's <c>layers[t + 1]['pred']</c> before its softmax.
    /// </summary>
    [Forward]
    public Tensor Predict([Indices(Steps, Padded = true)] Tensor words)
    {
        Tensor hidden = Start;
        Tensor logits = Reshape(hidden, 1, Embedding).Dot(Decoder);
        for (int t = 1; t < Steps; t++)
        {
            hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t - 1]);
            logits = Concat(logits, Reshape(hidden, 1, Embedding).Dot(Decoder));
        }

        return logits;
    }
}
