using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter13;

/// <summary>
/// The book's <c>Sequential([Embedding(5,3), Tanh(), Linear(3,1), Sigmoid()])</c> with <c>MSELoss</c> (E13.14):
/// each sample is one word index, whose embedding row (<c>weight.index_select(input)</c>) goes through tanh, a
/// linear layer and a sigmoid; the loss is the squared error summed over the batch.
/// </summary>
[Model]
public partial class EmbeddingSigmoidNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param(5, 3), InitZeros]
    public partial Tensor Embedding { get; }

    [Param(3, 1), InitZeros]
    public partial Tensor Weight { get; }

    [Param(1), InitZeros]
    public partial Tensor Bias { get; }

    [Forward]
    public Tensor Predict([Indices(1)] Tensor word) => Sigmoid(Tanh(Flatten(Gather(Embedding, word))).Dot(Weight) + Bias);

    /// <summary>The book's <c>MSELoss</c> for one sample, summed over the batch.</summary>
    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(1)] Tensor word, [Shape(1)] Tensor target) => SumSquares(Predict(word) - target);
}
