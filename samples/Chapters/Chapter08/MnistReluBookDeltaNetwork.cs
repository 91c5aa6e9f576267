using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter08;

/// <summary>
/// <see cref="MnistReluNetwork{T}"/> trained with the book's hand-written deltas instead of the true gradient. The
/// book's <c>relu2deriv(layer_1)</c> tests <c>layer_1 >= 0</c>, which holds for every relu output (negative inputs
/// give -0.0), so its backward pass treats the relu as the identity. <c>h + StopGradient(Relu(h) - h)</c> has the
/// relu's value, bit for bit, and the identity's gradient.
/// </summary>
[Model, Size("Hidden", 40)]
public partial class MnistReluBookDeltaNetwork<T>
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
        return L2Loss(Prediction(relu.Dot(Weights12)) - label);
    }
}
