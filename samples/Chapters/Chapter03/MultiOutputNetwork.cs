using System.Numerics;
using Graph;

namespace Graph.Samples.Chapter03;

/// <summary>One input, three outputs (E3.4): <c>ele_mul(input, weights)</c>, the input scaled by each weight.</summary>
[Model]
public partial class MultiOutputNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The book's <c>weights = [0.3, 0.2, 0.9]</c> for hurt, win and sad.</summary>
    [Param(3), InitValues(0.3, 0.2, 0.9)]
    public partial Tensor Weights { get; }

    [Forward]
    public Tensor Predict([Shape(1)] Tensor input) => input * Weights;
}
