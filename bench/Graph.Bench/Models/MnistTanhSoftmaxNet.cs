using Graph;
using static Graph.Ops;

namespace Graph.Bench.Models;

/// <summary>
/// N4: chapter 9's network, 784-100-10 tanh with dropout on the hidden layer and a softmax output, batches of 100,
/// softmax cross-entropy averaged over the batch.
/// </summary>
[Model, Size("Hidden", 100)]
public partial class MnistTanhSoftmaxNet : IGraphNet
{
    [Param(784, "Hidden"), InitUniform(-0.01, 0.01)]
    public partial Tensor Weights01 { get; }

    [Param("Hidden", 10), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights12 { get; }

    [Forward]
    public Tensor Predict([Shape(784)] Tensor image) => Softmax(Tanh(image.Dot(Weights01)).Dot(Weights12));

    [Loss]
    public Tensor Loss([Shape(784)] Tensor image, [Shape(10)] Tensor label) =>
        SoftmaxCrossEntropy(Dropout(Tanh(image.Dot(Weights01))).Dot(Weights12), label);
}
