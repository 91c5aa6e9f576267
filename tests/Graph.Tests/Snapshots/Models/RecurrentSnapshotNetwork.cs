using Graph;
using static Graph.Ops;

namespace Graph.Tests.Snapshots.Models;

/// <summary>
/// A recurrent network over padded sentences, whose generated source is snapshotted: an unrolled loop of 3 steps,
/// one word per step picked from an [Indices(3, Padded = true)] input, the summed cross-entropy of each next word.
/// </summary>
[Model(typeof(double)), Size("Vocab", 9)]
public partial class RecurrentSnapshotNetwork
{
    public const int Steps = 3;

    [Param("Vocab", 5), InitUniform(-0.05, 0.05)] public partial Tensor Embed { get; }
    [Param(5, 5), InitUniform(-0.05, 0.05)] public partial Tensor Recurrent { get; }
    [Param(5), InitZeros] public partial Tensor Start { get; }
    [Param(5, "Vocab"), InitUniform(-0.05, 0.05)] public partial Tensor Decoder { get; }

    /// <summary>The hidden state after the sentence.</summary>
    [Forward]
    public Tensor Encode([Indices(Steps, Padded = true)] Tensor words)
    {
        Tensor hidden = Start;
        for (int t = 0; t < Steps; t++)
        {
            hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
        }

        return hidden;
    }

    /// <summary>The summed cross-entropy of predicting each word from the words before it; -1 ends the sentence.</summary>
    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(Steps, Padded = true)] Tensor words)
    {
        Tensor hidden = Start;
        Tensor loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            loss += SoftmaxCrossEntropy(hidden.Dot(Decoder), words[t]);
            hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
        }

        return loss;
    }
}
