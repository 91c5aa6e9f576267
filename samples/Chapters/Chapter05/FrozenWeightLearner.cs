using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter05;

/// <summary>
/// E5.2: the network of E5.1 with its first weight frozen, which the book does by setting
/// <c>weight_deltas[0] = 0</c> before every update: the weight of toes never changes.
/// </summary>
[Model]
public partial class FrozenWeightLearner<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param(3), InitValues(0.1, 0.2, -0.1), Frozen(0)]
    public partial Tensor Weights { get; }

    [Forward]
    public Tensor Predict([Shape(3)] Tensor input) => input.Dot(Weights);

    [Forward]
    public Tensor Error([Shape(3)] Tensor input, [Shape(1)] Tensor goal) => SumSquares(Predict(input) - goal);

    [Forward]
    public Tensor Delta([Shape(3)] Tensor input, [Shape(1)] Tensor goal) => Predict(input) - goal;

    [Loss]
    public Tensor Loss([Shape(3)] Tensor input, [Shape(1)] Tensor goal) => L2Loss(Predict(input) - goal);
}
