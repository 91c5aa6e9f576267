using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter11;

/// <summary>
/// Chapter 11's sentiment network: the sum of the embedding rows of a review's words (its unique word indices),
/// a sigmoid hidden layer (100 units in the book), and one sigmoid output, trained on the binary cross-entropy.
/// The gradient of that loss at the output is the book's <c>layer_2 - y</c>; the hidden layer's gradient also
/// carries the sigmoid's derivative, which the book's <c>layer_1_delta</c> leaves out.
/// </summary>
[Model, Size("Vocab", 74074), Size("Hidden", 100)]
public partial class SentimentNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param("Vocab", "Hidden"), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights01 { get; }

    [Param("Hidden", 1), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights12 { get; }

    [Forward]
    public Tensor Predict([Indices] Tensor review) => Sigmoid(HiddenLayer(review).Dot(Weights12));

    [Loss]
    public Tensor Loss([Indices] Tensor review, [Shape(1)] Tensor label) => SigmoidCrossEntropy(HiddenLayer(review).Dot(Weights12), label);

    private Tensor HiddenLayer(Tensor review) => Sigmoid(EmbeddingSum(Weights01, review));
}
