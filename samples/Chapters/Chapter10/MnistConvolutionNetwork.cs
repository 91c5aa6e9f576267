using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter10;

/// <summary>
/// Chapter 10's convolutional network: 16 kernels of 3 × 3 over a 27 × 27 image (the book's 25 × 25 window
/// positions), tanh, dropout, the 25·25·16 = 10,000 outputs flattened position by position (each position's 16
/// kernel outputs together, the book's <c>kernel_output.reshape(batch, -1)</c>), then a softmax over the 10 digits,
/// trained on the cross-entropy. <c>Kernels</c> [3, 3, 16] holds the book's <c>kernels</c> matrix [9, 16] row-major.
/// </summary>
[Model]
public partial class MnistConvolutionNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param(3, 3, 16), InitUniform(-0.01, 0.01)]
    public partial Tensor Kernels { get; }

    [Param(10000, 10), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights12 { get; }

    [Forward]
    public Tensor Predict([Shape(27, 27)] Tensor image) => Softmax(Hidden(image).Dot(Weights12));

    [Loss]
    public Tensor Loss([Shape(27, 27)] Tensor image, [Shape(10)] Tensor label)
    {
        var logits = Dropout(Hidden(image)).Dot(Weights12);
        var probabilities = Prediction(Softmax(logits));
        return SoftmaxCrossEntropy(logits, label);
    }

    public Tensor Hidden(Tensor image) => Flatten(Tanh(Conv2d(image, Kernels)));
}
