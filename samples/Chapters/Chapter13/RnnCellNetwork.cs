using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter13;

/// <summary>
/// The book's recurrent layer on bAbI (E13.16): <c>Embedding(vocab, 16)</c> and <c>RNNCell(16, 16, vocab)</c> with a
/// sigmoid, run over the first five words of a six-word sentence; the output after the fifth predicts the sixth,
/// trained on the softmax cross-entropy. Each step is the cell's <c>forward</c>:
/// <c>new_hidden = sigmoid(w_ih(input) + w_hh(hidden))</c>, every <c>Linear</c> with its bias.
/// </summary>
[Model, Size("Vocab", 83)]
public partial class RnnCellNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The words of a sentence, left-padded with <c>'-'</c>.</summary>
    public const int SentenceLength = 6;

    /// <summary>The steps the cell runs, one per context word; the last word is the target.</summary>
    public const int Steps = SentenceLength - 1;

    [Param("Vocab", 16), InitZeros]
    public partial Tensor Embedding { get; }

    [Param(16, 16), InitZeros]
    public partial Tensor InputWeight { get; }

    [Param(16), InitZeros]
    public partial Tensor InputBias { get; }

    [Param(16, 16), InitZeros]
    public partial Tensor HiddenWeight { get; }

    [Param(16), InitZeros]
    public partial Tensor HiddenBias { get; }

    [Param(16, "Vocab"), InitZeros]
    public partial Tensor OutputWeight { get; }

    [Param("Vocab"), InitZeros]
    public partial Tensor OutputBias { get; }

    /// <summary>The logits of the word after the first five.</summary>
    [Forward]
    public Tensor Predict([Indices(SentenceLength)] Tensor sentence) => NextWord(sentence);

    /// <summary>The cross-entropy of the last word, summed over the batch: its gradient is the book's <c>softmax_output - target_dist</c>.</summary>
    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(SentenceLength)] Tensor sentence) => SoftmaxCrossEntropy(NextWord(sentence), sentence[Steps]);

    private Tensor NextWord(Tensor sentence)
    {
        // init_hidden() is zeros, so at the first step w_hh.forward(hidden) is its bias alone.
        Tensor hidden = Sigmoid(EmbeddingSum(Embedding, sentence[0]).Dot(InputWeight) + InputBias + HiddenBias);
        for (int t = 1; t < Steps; t++)
        {
            hidden = Sigmoid(EmbeddingSum(Embedding, sentence[t]).Dot(InputWeight) + InputBias + (hidden.Dot(HiddenWeight) + HiddenBias));
        }

        return hidden.Dot(OutputWeight) + OutputBias;
    }
}
