using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter09;

/// <summary>
/// Chapter 9's network: 784 pixels, a tanh hidden layer with dropout (100 units in the book), a softmax over the
/// 10 digits, trained on the cross-entropy (its gradient is the book's <c>labels - layer_2</c>, up to scale).
/// </summary>
[Model, Size("Hidden", 100)]
public partial class MnistTanhSoftmaxNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param(784, "Hidden"), InitUniform(-0.01, 0.01)]
    public partial Tensor Weights01 { get; }

    [Param("Hidden", 10), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights12 { get; }

    [Forward]
    public Tensor Predict([Shape(784)] Tensor image) => Softmax(Tanh(image.Dot(Weights01)).Dot(Weights12));

    [Loss]
    public Tensor Loss([Shape(784)] Tensor image, [Shape(10)] Tensor label)
    {
        var logits = Dropout(Tanh(image.Dot(Weights01))).Dot(Weights12);
        var probabilities = Prediction(Softmax(logits));
        return SoftmaxCrossEntropy(logits, label);
    }
}
