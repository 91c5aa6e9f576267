using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter05;

/// <summary>
/// Gradient descent with three inputs and three outputs (E5.4): <c>pred = vect_mat_mul(input, weights)</c>, the
/// product of the row-per-output weight matrix with the input; the gradient of half the summed squared errors
/// with respect to the weights is the book's <c>outer_prod(delta, input)</c>.
/// </summary>
[Model]
public partial class MultiInMultiOutLearner<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The book's rows: hurt <c>[0.1, 0.1, -0.3]</c>, win <c>[0.1, 0.2, 0.0]</c>, sad <c>[0.0, 1.3, 0.1]</c>.</summary>
    [Param(3, 3), InitValues(0.1, 0.1, -0.3, 0.1, 0.2, 0.0, 0.0, 1.3, 0.1)]
    public partial Tensor Weights { get; }

    [Forward]
    public Tensor Predict([Shape(3)] Tensor input) => Weights.Dot(input);

    [Loss]
    public Tensor Loss([Shape(3)] Tensor input, [Shape(3)] Tensor goal) => L2Loss(Predict(input) - goal);
}
