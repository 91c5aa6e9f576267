using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Tests.Snapshots.Models;

/// <summary>
/// A layer of 2048 units per sample with dropout drawn from Philox, whose generated source is snapshotted for the
/// loops split across threads: the bias added to each sample's row and the activation's gradient split by samples
/// (the bias is broadcast along them), each sample's sum of squares split by samples (it sums along the other axis),
/// the bias gradient's sum over the samples left whole, and flat loops split into fixed chunks; and for the dropout
/// masks drawn from the model's Philox4x32 generator.
/// </summary>
[Model(DropoutRandom = DropoutRandom.Philox)]
public partial class WideLayerNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param(4, 2048), InitUniform(-1, 1)] public partial Tensor Weights { get; }
    [Param(2048), InitUniform(-1, 1)] public partial Tensor Bias { get; }

    [Forward] public Tensor Predict([Shape(4)] Tensor x) => Relu(x.Dot(Weights) + Bias) * 3;

    /// <summary>The layer with dropout (applied when called with training: true).</summary>
    [Forward] public Tensor Dropped([Shape(4)] Tensor x) => Dropout(Relu(x.Dot(Weights) + Bias));

    [Loss] public Tensor Loss([Shape(4)] Tensor x, [Shape(2048)] Tensor y) => L2Loss(Dropout(Relu(x.Dot(Weights) + Bias)) - y);
}
