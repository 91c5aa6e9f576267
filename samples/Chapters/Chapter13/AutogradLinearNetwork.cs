using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter13;

/// <summary>
/// The same 2-3-1 linear network trained through the book's autograd (E13.8, E13.9):
/// <c>pred = data.mm(w[0]).mm(w[1])</c>, <c>loss = ((pred - target)*(pred - target)).sum(0)</c>, the summed squared
/// error whose gradient (with its factor 2) the generator derives.
/// </summary>
[Model]
public partial class AutogradLinearNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The book's <c>w[0] = Tensor(np.random.rand(2,3))</c> (copied in by the example).</summary>
    [Param(2, 3), InitZeros]
    public partial Tensor Weights0 { get; }

    /// <summary>The book's <c>w[1] = Tensor(np.random.rand(3,1))</c> (copied in by the example).</summary>
    [Param(3, 1), InitZeros]
    public partial Tensor Weights1 { get; }

    [Forward]
    public Tensor Predict([Shape(2)] Tensor input) => input.Dot(Weights0).Dot(Weights1);

    /// <summary>The squared error of one sample; the batch loss is their sum, as the book's <c>.sum(0)</c>.</summary>
    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Shape(2)] Tensor input, [Shape(1)] Tensor target) => SumSquares(Predict(input) - target);
}
