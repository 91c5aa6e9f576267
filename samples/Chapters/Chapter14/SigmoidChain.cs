using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter14;

/// <summary>
/// E14.4's sigmoid recurrence: <c>activation = sigmoid(activation · W)</c> with the book's <c>W = [[1, 4], [4, 1]]</c>.
/// </summary>
/// <remarks>
/// <see cref="Path"/> is one step of the recurrence read backwards: with <see cref="Activation"/> set to the activation
/// a step starts from and <c>upstream</c> to the gradient arriving at the activation it produces, the compiled
/// <c>Backward</c> leaves in <see cref="Activation"/>'s gradient <c>(a · (1 - a) · upstream) · Wᵀ</c>, which is the
/// book's <c>gradient = (activation * (1 - activation) * gradient).dot(weights.transpose())</c>.
/// </remarks>
[Model(typeof(double))]
public partial class SigmoidChain
{
    /// <summary>The book's <c>weights = np.array([[1, 4], [4, 1]])</c>; never trained.</summary>
    [Param(2, 2), InitValues(1, 4, 4, 1), Frozen] public partial Tensor Weights { get; }

    /// <summary>The activation a step starts from, set before <c>Backward</c>.</summary>
    [Param(2), InitZeros] public partial Tensor Activation { get; }

    /// <summary>The book's first activation, <c>sigmoid(np.array([1, 0.01]))</c>.</summary>
    [Forward] public Tensor Squash([Shape(2)] Tensor x) => Sigmoid(x);

    /// <summary>One step forwards: <c>sigmoid(a · W)</c>.</summary>
    [Forward] public Tensor Step([Shape(2)] Tensor a) => Sigmoid(a.Dot(Weights));

    /// <summary>One step from <see cref="Activation"/>, weighted by the gradient arriving at its result.</summary>
    [Loss(Reduction = Reduction.Sum)]
    public Tensor Path([Shape(2)] Tensor upstream) => Sum(Sigmoid(Activation.Dot(Weights)) * upstream);
}
