using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter08;

/// <summary>
/// Chapter 8's network with dropout on the hidden layer while training (the book's
/// <c>mask = np.random.randint(2, size=layer_1.shape); layer_1 *= mask * 2</c>), 100 hidden units in the book.
/// </summary>
[Model, Size("Hidden", 100)]
public partial class MnistDropoutNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param(784, "Hidden"), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights01 { get; }

    [Param("Hidden", 10), InitUniform(-0.1, 0.1)]
    public partial Tensor Weights12 { get; }

    [Forward]
    public Tensor Predict([Shape(784)] Tensor image) => Relu(image.Dot(Weights01)).Dot(Weights12);

    [Loss]
    public Tensor Loss([Shape(784)] Tensor image, [Shape(10)] Tensor label) =>
        L2Loss(Prediction(Dropout(Relu(image.Dot(Weights01))).Dot(Weights12)) - label);
}
