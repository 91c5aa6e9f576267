using Graph;
using static Graph.Ops;

namespace Graph.Tests.Fusion;

/// <summary>
/// A loss whose gradient multiplies a flat <c>[24]</c> value and then, reshaped, a <c>[2,3,4]</c> one, as the chapter 10
/// CNN's gradient does through its <c>Flatten</c>: <c>d(Tanh(x * W)) = Reshape(dF * V) * (1 - t²)</c>.
/// </summary>
[Model(typeof(double))]
public partial class FlattenedProduct
{
    [Param(2, 3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Param(24), InitUniform(-1, 1)] public partial Tensor V { get; }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Shape(2, 3, 4)] Tensor x, [Shape(24)] Tensor r) => Sum(Flatten(Tanh(x * W)) * V * r);
}

/// <summary><see cref="FlattenedProduct"/> written with its flat factors reshaped instead of the tanh flattened: no reshape of an elementwise value.</summary>
[Model(typeof(double))]
public partial class ShapedProduct
{
    [Param(2, 3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Param(24), InitUniform(-1, 1)] public partial Tensor V { get; }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Shape(2, 3, 4)] Tensor x, [Shape(24)] Tensor r) => Sum(Tanh(x * W) * Reshape(V, 2, 3, 4) * Reshape(r, 2, 3, 4));
}
