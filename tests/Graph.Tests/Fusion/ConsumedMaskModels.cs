using Graph;
using static Graph.Ops;

namespace Graph.Tests.Fusion;

/// <summary>
/// Dropout of 8192 inputs per sample from numpy's stream, then a product: the mask (packed, bits in double) is handed
/// to the loop that applies it, x · mask, as it is drawn (<c>Kernels.DropoutMaskPacked&lt;double, ...&gt;</c>). With
/// x = 1 the gradient of W is the mask summed over the samples.
/// </summary>
[Model(typeof(double))]
public partial class HandedMask
{
    public const int Width = 8192;

    [Param(Width, 1), InitUniform(0.5, 1.5)] public partial Tensor W { get; }

    [Loss(Reduction = Reduction.Sum)] public Tensor Loss([Shape(Width)] Tensor x) => Sum(Dropout(x).Dot(W));
}

/// <summary><see cref="HandedMask"/> with its mask drawn from the model's Philox4x32 generator.</summary>
[Model(typeof(double), DropoutRandom = DropoutRandom.Philox)]
public partial class HandedPhiloxMask
{
    public const int Width = 8192;

    [Param(Width, 1), InitUniform(0.5, 1.5)] public partial Tensor W { get; }

    [Loss(Reduction = Reduction.Sum)] public Tensor Loss([Shape(Width)] Tensor x) => Sum(Dropout(x).Dot(W));
}

/// <summary>Dropout of 64 inputs per sample: too few for its loop to split across threads, so the mask is drawn whole first.</summary>
[Model(typeof(double))]
public partial class NarrowMask
{
    [Param(64, 1), InitUniform(0.5, 1.5)] public partial Tensor W { get; }

    [Loss(Reduction = Reduction.Sum)] public Tensor Loss([Shape(64)] Tensor x) => Sum(Dropout(x).Dot(W));
}
