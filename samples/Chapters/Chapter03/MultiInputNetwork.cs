using System.Numerics;
using Graph;

namespace Graph.Samples.Chapter03;

/// <summary>
/// Three inputs, one output (E3.2 and E3.3): the weighted sum <c>w_sum(input, weights)</c>, which numpy writes
/// <c>input.dot(weights)</c>; both add the products in index order, so both print the same number.
/// </summary>
[Model]
public partial class MultiInputNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The book's <c>weights = [0.1, 0.2, 0]</c> for toes, win/loss record and fans.</summary>
    [Param(3), InitValues(0.1, 0.2, 0)]
    public partial Tensor Weights { get; }

    [Forward]
    public Tensor Predict([Shape(3)] Tensor input) => input.Dot(Weights);
}
