using Graph;
using static Graph.Ops;

namespace Graph.Tests.Fusion;

/// <summary>
/// A tanh layer under a product with 16 outputs: the gradient of the hidden layer, d(h) = dY·W2ᵀ over a depth of 16,
/// is read only by the tanh derivative's loop, which takes it as it is computed (<c>Kernels.GemmInto</c>).
/// </summary>
[Model(typeof(double))]
public partial class SixteenOutputs
{
    [Param(5, 40), InitUniform(-0.5, 0.5)] public partial Tensor W1 { get; }
    [Param(40, 16), InitUniform(-0.5, 0.5)] public partial Tensor W2 { get; }

    [Loss]
    public Tensor Loss([Shape(5)] Tensor x, [Shape(16)] Tensor y) => L2Loss(Tanh(x.Dot(W1)).Dot(W2) - y);
}

/// <summary><see cref="SixteenOutputs"/> with 17 outputs: d(h) over a depth of 17 is stored, then read by the loop.</summary>
[Model(typeof(double))]
public partial class SeventeenOutputs
{
    [Param(5, 40), InitUniform(-0.5, 0.5)] public partial Tensor W1 { get; }
    [Param(40, 17), InitUniform(-0.5, 0.5)] public partial Tensor W2 { get; }

    [Loss]
    public Tensor Loss([Shape(5)] Tensor x, [Shape(17)] Tensor y) => L2Loss(Tanh(x.Dot(W1)).Dot(W2) - y);
}
