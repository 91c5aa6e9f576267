using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter10;

/// <summary>
/// <see cref="MnistConvolutionNetwork{T}"/> trained with the book's hand-written deltas. The values are the same;
/// two gradients differ, each written as a term whose value is exactly zero (or exactly the original) and whose
/// gradient is the book's:
/// <list type="bullet">
/// <item>The book updates <c>kernels -= alpha * k_update</c> with deltas of <c>labels - prediction</c>, a step up the
/// loss. <c>StopGradient(2c) - c</c> equals the convolution <c>c</c> exactly and passes back <c>-1</c> times its
/// gradient, so the kernels' gradient is reversed.</item>
/// <item>The book's hidden delta is <c>tanh2deriv(layer_1) * mask</c> with <c>layer_1 = 2·tanh(c)</c> after dropout:
/// <c>1 - 4h²</c> for a kept unit, where the true derivative is <c>2 · (1 - h²)</c>. Adding <c>c·k - StopGradient(c·k)</c>
/// (exactly zero) with <c>k = StopGradient(-0.5 - h²)</c> makes the tanh's derivative <c>0.5 - 2h²</c>, which the
/// dropout's factor of 2 turns into the book's <c>1 - 4h²</c>.</item>
/// </list>
/// </summary>
[Model]
public partial class MnistConvolutionBookDeltaNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param(3, 3, 16), InitUniform(-0.01, 0.01)]
    public partial Tensor Kernels { get; }

    [Param(10000, 10), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights12 { get; }

    [Forward]
    public Tensor Predict([Shape(27, 27)] Tensor image) => Softmax(Flatten(Tanh(Conv2d(image, Kernels))).Dot(Weights12));

    [Loss]
    public Tensor Loss([Shape(27, 27)] Tensor image, [Shape(10)] Tensor label)
    {
        var convolution = Conv2d(image, Kernels);
        var reversed = StopGradient(2 * convolution) - convolution;
        var hidden = Tanh(reversed);
        var slope = StopGradient(-0.5 - (hidden * hidden));
        var bookHidden = hidden + ((reversed * slope) - StopGradient(reversed * slope));
        var logits = Dropout(Flatten(bookHidden)).Dot(Weights12);
        var probabilities = Prediction(Softmax(logits));
        return SoftmaxCrossEntropy(logits, label);
    }
}
