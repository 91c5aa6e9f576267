using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter08;

/// <summary>
/// Chapter 8's three-layer MNIST network: 784 pixels, a relu hidden layer (40 in the book), 10 outputs, trained on
/// half the squared error (its gradient is the book's <c>layer_2_delta = labels - layer_2</c>).
/// </summary>
[Model, Size("Hidden", 40)]
public partial class MnistReluNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param(784, "Hidden"), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights01 { get; }

    [Param("Hidden", 10), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights12 { get; }

    [Forward]
    public Tensor Predict([Shape(784)] Tensor image) => Relu(image.Dot(Weights01)).Dot(Weights12);

    [Loss]
    public Tensor Loss([Shape(784)] Tensor image, [Shape(10)] Tensor label) => L2Loss(Prediction(Predict(image)) - label);
}
