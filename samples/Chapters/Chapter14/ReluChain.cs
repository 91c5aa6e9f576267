using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter14;

/// <summary>
/// E14.4's relu recurrence, <c>activation = relu(activation · W)</c>; <see cref="Path"/>'s gradient in
/// <see cref="Activation"/> is the book's <c>((activation &gt; 0) * gradient).dot(weights.transpose())</c>.
/// </summary>
[Model(typeof(double))]
public partial class ReluChain
{
    /// <summary>The book's <c>weights = np.array([[1, 4], [4, 1]])</c>; never trained.</summary>
    [Param(2, 2), InitValues(1, 4, 4, 1), Frozen] public partial Tensor Weights { get; }

    /// <summary>The activation a step starts from, set before <c>Backward</c>.</summary>
    [Param(2), InitZeros] public partial Tensor Activation { get; }

    /// <summary>One step forwards: <c>relu(a · W)</c>.</summary>
    [Forward] public Tensor Step([Shape(2)] Tensor a) => Relu(a.Dot(Weights));

    /// <summary>One step from <see cref="Activation"/>, weighted by the gradient arriving at its result.</summary>
    [Loss(Reduction = Reduction.Sum)]
    public Tensor Path([Shape(2)] Tensor upstream) => Sum(Relu(Activation.Dot(Weights)) * upstream);
}
