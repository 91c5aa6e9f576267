using System.Numerics;
using Graph;

namespace Graph.Samples.Chapter03;

/// <summary>
/// Three inputs, three outputs (E3.5): <c>vect_mat_mul(input, weights)</c>, one weighted sum per row of the
/// weight matrix, which is the matrix-vector product <c>weights · input</c>.
/// </summary>
[Model]
public partial class MultiInMultiOutNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The book's rows: hurt <c>[0.1, 0.1, -0.3]</c>, win <c>[0.1, 0.2, 0.0]</c>, sad <c>[0.0, 1.3, 0.1]</c>.</summary>
    [Param(3, 3), InitValues(0.1, 0.1, -0.3, 0.1, 0.2, 0.0, 0.0, 1.3, 0.1)]
    public partial Tensor Weights { get; }

    [Forward]
    public Tensor Predict([Shape(3)] Tensor input) => Weights.Dot(input);
}
