using Graph;
using static Graph.Ops;

namespace Graph.Bench.Models;

/// <summary>N2: chapter 8's MNIST network, 784-40-10 relu, batch 1, half the squared error.</summary>
[Model, Size("Hidden", 40)]
public partial class MnistReluNet : IGraphNet
{
    [Param(784, "Hidden"), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights01 { get; }

    [Param("Hidden", 10), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights12 { get; }

    [Forward]
    public Tensor Predict([Shape(784)] Tensor image) => Relu(image.Dot(Weights01)).Dot(Weights12);

    [Loss]
    public Tensor Loss([Shape(784)] Tensor image, [Shape(10)] Tensor label) => L2Loss(Predict(image) - label);
}
