using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter11;

/// <summary>
/// <see cref="FillBlankNetwork{T}"/> trained with the book's hand-written deltas: its <c>weights_0_1[context] -=
/// layer_1_delta * alpha</c> gives every context row the whole gradient of the mean, not its share.
/// <c>s + StopGradient(m - s)</c>, with s the sum and m the mean of the rows, has the mean's value (to rounding)
/// and passes the gradient to every row whole.
/// </summary>
[Model, Size("Vocab", 74075), Size("Hidden", 50)]
public partial class FillBlankBookDeltaNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The target word and the negative samples scored for each blank.</summary>
    public const int Samples = 6;

    [Param("Vocab", "Hidden"), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights01 { get; }

    [Param("Vocab", "Hidden"), InitZeros]
    public partial Tensor Weights12 { get; }

    [Forward]
    public Tensor Predict([Indices] Tensor context, [Indices(Samples)] Tensor targets) =>
        Sigmoid(EmbeddingMean(Weights01, context).Dot(Gather(Weights12, targets).T));

    [Loss]
    public Tensor Loss([Indices] Tensor context, [Indices(Samples)] Tensor targets, [Shape(Samples)] Tensor labels)
    {
        var sum = EmbeddingSum(Weights01, context);
        var mean = sum + StopGradient(EmbeddingMean(Weights01, context) - sum);
        return SigmoidCrossEntropy(mean.Dot(Gather(Weights12, targets).T), labels);
    }
}
