using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter04;

/// <summary>
/// Chapter 4's network: one input, one weight, <c>pred = input * weight</c>, starting from the chapter's
/// <c>knob_weight = 0.5</c> (examples that start elsewhere set the weight as the book reassigns it).
/// </summary>
[Model]
public partial class SingleWeightNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param(1), InitValues(0.5)]
    public partial Tensor Weight { get; }

    [Forward]
    public Tensor Predict([Shape(1)] Tensor input) => input * Weight;

    /// <summary>The book's <c>error = (pred - goal_pred) ** 2</c>.</summary>
    [Forward]
    public Tensor Error([Shape(1)] Tensor input, [Shape(1)] Tensor goal) => SumSquares(Predict(input) - goal);

    /// <summary>The book's <c>delta = pred - goal_pred</c>.</summary>
    [Forward]
    public Tensor Delta([Shape(1)] Tensor input, [Shape(1)] Tensor goal) => Predict(input) - goal;

    /// <summary>Half the squared error: its gradient with respect to the weight is the book's <c>delta * input</c>.</summary>
    [Loss]
    public Tensor Loss([Shape(1)] Tensor input, [Shape(1)] Tensor goal) => L2Loss(Predict(input) - goal);
}
