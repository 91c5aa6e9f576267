using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter06;

/// <summary>
/// The streetlight problem without a hidden layer (E6.1, E6.2): three lights in, walk (1) or stop (0) out,
/// <c>prediction = input.dot(weights)</c>.
/// </summary>
[Model]
public partial class WalkStopNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The book's <c>weights = np.array([0.5, 0.48, -0.7])</c>.</summary>
    [Param(3), InitValues(0.5, 0.48, -0.7)]
    public partial Tensor Weights { get; }

    [Forward]
    public Tensor Predict([Shape(3)] Tensor lights) => lights.Dot(Weights);

    /// <summary>The book's <c>error = (goal_prediction - prediction) ** 2</c>.</summary>
    [Forward]
    public Tensor Error([Shape(3)] Tensor lights, [Shape(1)] Tensor walk) => SumSquares(Predict(lights) - walk);

    /// <summary>Half the squared error: its gradient is the book's <c>input * delta</c>.</summary>
    [Loss]
    public Tensor Loss([Shape(3)] Tensor lights, [Shape(1)] Tensor walk) => L2Loss(Predict(lights) - walk);
}
