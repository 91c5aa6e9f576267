using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter13;

/// <summary>
/// The book's <c>Sequential([Embedding(3,3), Tanh(), Linear(3,4)])</c> with <c>CrossEntropyLoss</c> (E13.15): one
/// word index per sample, four classes. The book's <c>cross_entropy</c> prints the mean over the batch but
/// backpropagates <c>softmax_output - target_dist</c> for every sample without dividing by the batch size, which
/// is the gradient of the sum: so the loss is summed over the batch, and the example prints it divided by the batch.
/// </summary>
[Model]
public partial class EmbeddingCrossEntropyNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param(3, 3), InitZeros]
    public partial Tensor Embedding { get; }

    [Param(3, 4), InitZeros]
    public partial Tensor Weight { get; }

    [Param(4), InitZeros]
    public partial Tensor Bias { get; }

    /// <summary>The four logits of one word.</summary>
    [Forward]
    public Tensor Predict([Indices(1)] Tensor word) => Tanh(Flatten(Gather(Embedding, word))).Dot(Weight) + Bias;

    /// <summary>The softmax cross-entropy of one word against its class index, summed over the batch.</summary>
    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(1)] Tensor word, [Shape(1)] Tensor label) => SoftmaxCrossEntropy(Predict(word), label);
}
