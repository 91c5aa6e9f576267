using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter13;

/// <summary>
/// The book's <c>Sequential([Linear(2,3), Tanh(), Linear(3,1), Sigmoid()])</c> with <c>MSELoss</c> (E13.12): the
/// squared error summed over the batch.
/// </summary>
[Model]
public partial class TanhSigmoidNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param(2, 3), InitZeros]
    public partial Tensor Weight1 { get; }

    [Param(3), InitZeros]
    public partial Tensor Bias1 { get; }

    [Param(3, 1), InitZeros]
    public partial Tensor Weight2 { get; }

    [Param(1), InitZeros]
    public partial Tensor Bias2 { get; }

    [Forward]
    public Tensor Predict([Shape(2)] Tensor input) => Sigmoid(Tanh(input.Dot(Weight1) + Bias1).Dot(Weight2) + Bias2);

    /// <summary>The book's <c>MSELoss</c> for one sample, summed over the batch.</summary>
    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Shape(2)] Tensor input, [Shape(1)] Tensor target) => SumSquares(Predict(input) - target);
}
