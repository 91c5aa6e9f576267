using Graph;
using static Graph.Ops;

namespace Graph.Tests.Gradients;

// Convolution, reshapes and pooling, each projected onto a random r as in OpModels.

/// <summary>A single-channel convolution: the gradient to the kernels (the input is data).</summary>
[Model(typeof(double))]
public partial class ConvolutionModel : IGradientCheckModel
{
    [Param(2, 3, 2), InitUniform(-1, 1)] public partial Tensor K { get; }
    [Loss] public Tensor Loss([Shape(5, 6)] Tensor x, [Shape(4, 4, 2)] Tensor r) => Sum(Conv2d(x, K) * r);
}

/// <summary>A convolution of a computed image with channels: the gradient to the kernels and, through col2im, to the image.</summary>
[Model(typeof(double))]
public partial class ConvolutionChannelsModel : IGradientCheckModel
{
    [Param(5, 6, 2), InitUniform(-1, 1)] public partial Tensor S { get; }
    [Param(2, 3, 2, 3), InitUniform(-1, 1)] public partial Tensor K { get; }
    [Loss] public Tensor Loss([Shape(5, 6, 2)] Tensor x, [Shape(4, 4, 3)] Tensor r) => Sum(Tanh(Conv2d(Tanh(x * S), K)) * r);
}

/// <summary>Two convolutions in a row: the first's kernels get their gradient through the second's col2im.</summary>
[Model(typeof(double))]
public partial class StackedConvolutionModel : IGradientCheckModel
{
    [Param(3, 3, 2), InitUniform(-1, 1)] public partial Tensor K1 { get; }
    [Param(2, 2, 2, 3), InitUniform(-1, 1)] public partial Tensor K2 { get; }
    [Loss] public Tensor Loss([Shape(6, 6)] Tensor x, [Shape(3, 3, 3)] Tensor r) => Sum(Conv2d(Tanh(Conv2d(x, K1)), K2) * r);
}

/// <summary>Flatten and Reshape between matrix products.</summary>
[Model(typeof(double))]
public partial class ReshapeModel : IGradientCheckModel
{
    [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Param(2, 3), InitUniform(-1, 1)] public partial Tensor V { get; }
    [Loss] public Tensor Loss([Shape(2, 3)] Tensor x, [Shape(4, 3)] Tensor r) => Sum(Tanh(Reshape(Flatten(Tanh(x.Dot(W))), 4, 2).Dot(V)) * r);
}

/// <summary>Sum and mean pooling of a computed image with channels.</summary>
[Model(typeof(double))]
public partial class PoolingModel : IGradientCheckModel
{
    [Param(4, 6, 2), InitUniform(-1, 1)] public partial Tensor S { get; }
    [Loss] public Tensor Loss([Shape(4, 6, 2)] Tensor x, [Shape(2, 3, 2)] Tensor r) => Sum((SumPool2d(x * S, 2) + MeanPool2d(Tanh(x * S), 2)) * r);
}

/// <summary>Max pooling of a computed image with channels: each window's gradient to its largest element.</summary>
[Model(typeof(double))]
public partial class MaxPoolingModel : IGradientCheckModel
{
    [Param(4, 6, 2), InitUniform(-1, 1)] public partial Tensor S { get; }
    [Loss] public Tensor Loss([Shape(4, 6, 2)] Tensor x, [Shape(2, 3, 2)] Tensor r) => Sum(MaxPool2d(x * S, 2) * r);
}

/// <summary>A convolution's forward value, for comparison with a direct sum.</summary>
[Model(typeof(double))]
public partial class ConvolutionForwardModel
{
    [Param(2, 3, 2, 3), InitUniform(-1, 1)] public partial Tensor K { get; }
    [Forward] public Tensor Predict([Shape(5, 6, 2)] Tensor x) => Conv2d(x, K);
}

/// <summary>Mean pooling's forward value.</summary>
[Model(typeof(double))]
public partial class MeanPoolForwardModel
{
    [Forward] public Tensor Predict([Shape(4, 6, 2)] Tensor x) => MeanPool2d(x, 2);
}
