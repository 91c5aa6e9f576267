using System.Numerics;
using Graph;

namespace Graph.Samples.Chapter03;

/// <summary>The book's first network (E3.1): one input times one weight, <c>prediction = input * weight</c>.</summary>
[Model]
public partial class SingleInputNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The book's <c>weight = 0.1</c>.</summary>
    [Param(1), InitValues(0.1)]
    public partial Tensor Weight { get; }

    [Forward]
    public Tensor Predict([Shape(1)] Tensor input) => input * Weight;
}
