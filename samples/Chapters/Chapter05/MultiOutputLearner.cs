using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter05;

/// <summary>
/// Gradient descent with one input and three outputs (E5.3): <c>pred = ele_mul(input, weights)</c>; the gradient
/// of half the summed squared errors with respect to the weights is the book's <c>input * delta</c>.
/// </summary>
[Model]
public partial class MultiOutputLearner<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The book's <c>weights = [0.3, 0.2, 0.9]</c> for hurt, win and sad.</summary>
    [Param(3), InitValues(0.3, 0.2, 0.9)]
    public partial Tensor Weights { get; }

    [Forward]
    public Tensor Predict([Shape(1)] Tensor input) => input * Weights;

    [Loss]
    public Tensor Loss([Shape(1)] Tensor input, [Shape(3)] Tensor goal) => L2Loss(Predict(input) - goal);
}
