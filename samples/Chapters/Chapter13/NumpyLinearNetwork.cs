using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter13;

/// <summary>
/// Chapter 13's starting point (E13.7), "previously we would train a model like this": a 2-3-1 linear network,
/// <c>layer_2 = data.dot(weights_0_1).dot(weights_1_2)</c>, trained on the whole batch. The book's hand-written
/// update is <c>layer_1.T.dot(diff)</c> without the factor 2 of the squared error, which is the gradient of half the
/// summed squared error: the loss below, summed over the batch.
/// </summary>
[Model]
public partial class NumpyLinearNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The book's <c>weights_0_1 = np.random.rand(2,3)</c> (copied in by the example).</summary>
    [Param(2, 3), InitZeros]
    public partial Tensor Weights01 { get; }

    /// <summary>The book's <c>weights_1_2 = np.random.rand(3,1)</c> (copied in by the example).</summary>
    [Param(3, 1), InitZeros]
    public partial Tensor Weights12 { get; }

    [Forward]
    public Tensor Predict([Shape(2)] Tensor input) => input.Dot(Weights01).Dot(Weights12);

    /// <summary>The book's printed loss: <c>sqdiff = diff * diff</c> of one sample (the batch's are summed).</summary>
    [Forward]
    public Tensor SquaredError([Shape(2)] Tensor input, [Shape(1)] Tensor target) => SumSquares(Predict(input) - target);

    /// <summary>Half the squared error, summed over the batch: its gradient is the book's <c>diff</c>.</summary>
    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Shape(2)] Tensor input, [Shape(1)] Tensor target) => L2Loss(Predict(input) - target);
}
