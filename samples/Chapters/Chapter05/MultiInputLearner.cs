using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter05;

/// <summary>
/// Gradient descent with three inputs (E5.1): <c>pred = w_sum(input, weights)</c>; the gradient of half the
/// squared error with respect to the weights is the book's <c>weight_deltas = ele_mul(delta, input)</c>.
/// </summary>
[Model]
public partial class MultiInputLearner<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param(3), InitValues(0.1, 0.2, -0.1)]
    public partial Tensor Weights { get; }

    [Forward]
    public Tensor Predict([Shape(3)] Tensor input) => input.Dot(Weights);

    /// <summary>The book's <c>error = (pred - true) ** 2</c>.</summary>
    [Forward]
    public Tensor Error([Shape(3)] Tensor input, [Shape(1)] Tensor goal) => SumSquares(Predict(input) - goal);

    /// <summary>The book's <c>delta = pred - true</c>.</summary>
    [Forward]
    public Tensor Delta([Shape(3)] Tensor input, [Shape(1)] Tensor goal) => Predict(input) - goal;

    [Loss]
    public Tensor Loss([Shape(3)] Tensor input, [Shape(1)] Tensor goal) => L2Loss(Predict(input) - goal);
}
