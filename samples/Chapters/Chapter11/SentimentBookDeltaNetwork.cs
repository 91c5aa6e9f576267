using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter11;

/// <summary>
/// <see cref="SentimentNetwork{T}"/> trained with the book's hand-written deltas: its <c>layer_1_delta =
/// layer_2_delta.dot(weights_1_2.T)</c> reaches the embedding rows without the hidden sigmoid's derivative.
/// <c>s + StopGradient(Sigmoid(s) - s)</c> has the sigmoid's value (to rounding) and the identity's gradient.
/// </summary>
[Model, Size("Vocab", 74074), Size("Hidden", 100)]
public partial class SentimentBookDeltaNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param("Vocab", "Hidden"), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights01 { get; }

    [Param("Hidden", 1), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights12 { get; }

    [Forward]
    public Tensor Predict([Indices] Tensor review) => Sigmoid(Sigmoid(EmbeddingSum(Weights01, review)).Dot(Weights12));

    [Loss]
    public Tensor Loss([Indices] Tensor review, [Shape(1)] Tensor label)
    {
        var sum = EmbeddingSum(Weights01, review);
        var hidden = sum + StopGradient(Sigmoid(sum) - sum);
        return SigmoidCrossEntropy(hidden.Dot(Weights12), label);
    }
}
