using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter08;

/// <summary>
/// <see cref="MnistDropoutNetwork{T}"/> with the book's hand-written deltas. The book's hidden delta is
/// <c>layer_2_delta.dot(weights_1_2.T) * relu2deriv(layer_1) * mask</c>: the relu passes every gradient (its test
/// <c>layer_1 >= 0</c> always holds) and the mask is 0 or 1 where the forward pass scaled by 0 or 2. Half the dropped
/// value plus a stopped copy of the other half has the dropped value and half its gradient.
/// </summary>
[Model, Size("Hidden", 100)]
public partial class MnistDropoutBookDeltaNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param(784, "Hidden"), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights01 { get; }

    [Param("Hidden", 10), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights12 { get; }

    [Forward]
    public Tensor Predict([Shape(784)] Tensor image) => Relu(image.Dot(Weights01)).Dot(Weights12);

    [Loss]
    public Tensor Loss([Shape(784)] Tensor image, [Shape(10)] Tensor label)
    {
        var hidden = image.Dot(Weights01);
        var relu = hidden + StopGradient(Relu(hidden) - hidden);
        var half = Dropout(relu) * 0.5;
        return L2Loss(Prediction((half + StopGradient(half)).Dot(Weights12)) - label);
    }
}
