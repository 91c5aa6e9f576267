using Graph;
using static Graph.Ops;

namespace Graph.Bench.Models;

/// <summary>
/// N3: chapter 8's dropout network, 784-100-10 relu with dropout on the hidden layer, batches of 100, half the squared
/// error averaged over the batch.
/// </summary>
[Model, Size("Hidden", 100)]
public partial class MnistDropoutNet : IGraphNet
{
    [Param(784, "Hidden"), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights01 { get; }

    [Param("Hidden", 10), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights12 { get; }

    [Forward]
    public Tensor Predict([Shape(784)] Tensor image) => Relu(image.Dot(Weights01)).Dot(Weights12);

    [Loss]
    public Tensor Loss([Shape(784)] Tensor image, [Shape(10)] Tensor label) =>
        L2Loss(Dropout(Relu(image.Dot(Weights01))).Dot(Weights12) - label);
}
