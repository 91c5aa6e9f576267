using Graph;
using static Graph.Ops;

namespace Graph.Tests.Gradients;

/// <summary>The chapter 9 shape of network: tanh, dropout, softmax cross-entropy against one-hot targets.</summary>
[Model(typeof(double))]
public partial class DropoutSoftmaxModel
{
    [Param(5, 6), InitUniform(-1, 1)] public partial Tensor W01 { get; }
    [Param(6, 3), InitUniform(-1, 1)] public partial Tensor W12 { get; }

    [Forward] public Tensor Predict([Shape(5)] Tensor x) => Softmax(Dropout(Tanh(x.Dot(W01))).Dot(W12));

    [Forward] public Tensor Classify([Shape(5)] Tensor x) => Argmax(Predict(x));

    [Loss] public Tensor Loss([Shape(5)] Tensor x, [Shape(3)] Tensor target) => SoftmaxCrossEntropy(Dropout(Tanh(x.Dot(W01))).Dot(W12), target);
}

/// <summary>Softmax cross-entropy against a class index rather than a one-hot row.</summary>
[Model(typeof(double))]
public partial class ClassIndexModel
{
    [Param(4, 3), InitUniform(-1, 1)] public partial Tensor W { get; }

    [Loss] public Tensor Loss([Shape(4)] Tensor x, [Shape(1)] Tensor label) => SoftmaxCrossEntropy(Relu(x.Dot(W)), label);
}

/// <summary>Softmax on its own, so its own derivative rule (not the fused cross-entropy step) is checked.</summary>
[Model(typeof(double))]
public partial class SoftmaxModel
{
    [Param(4, 3), InitUniform(-1, 1)] public partial Tensor W { get; }

    [Loss] public Tensor Loss([Shape(4)] Tensor x, [Shape(3)] Tensor r) => Sum(Softmax(x.Dot(W)) * r);
}

/// <summary>A mask observable through the gradient: with x = 1, ∂Σ Dropout(x·W)/∂W is the mask itself.</summary>
[Model(typeof(double))]
public partial class DropoutMaskModel
{
    [Param(8), InitValues(1, 1, 1, 1, 1, 1, 1, 1)] public partial Tensor W { get; }

    [Forward] public Tensor Predict([Shape(8)] Tensor x) => Dropout(x * W);

    [Loss(Reduction = Reduction.Sum)] public Tensor Loss([Shape(8)] Tensor x) => Sum(Dropout(x * W));
}

/// <summary>
/// <see cref="DropoutMaskModel"/> with a mask large enough to be packed (the training body keeps it as bits in double):
/// with x = 1 the gradient is still the mask, and the loss the one the loss method computes with the mask as values.
/// </summary>
[Model(typeof(double))]
public partial class PackedDropoutMaskModel
{
    public const int Width = 8192;

    [Param(Width), InitUniform(0.5, 1.5)] public partial Tensor W { get; }

    [Loss(Reduction = Reduction.Sum)] public Tensor Loss([Shape(Width)] Tensor x) => Sum(Dropout(x * W));
}
