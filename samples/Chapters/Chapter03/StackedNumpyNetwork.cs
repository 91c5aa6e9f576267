using System.Numerics;
using Graph;

namespace Graph.Samples.Chapter03;

/// <summary>
/// The numpy version of the stacked network (E3.7): the weights are written row per output as in E3.6 and
/// transposed with <c>.T</c>, so that <c>input.dot(W0).dot(W1)</c> multiplies a row vector by them.
/// </summary>
[Model]
public partial class StackedNumpyNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The book's <c>ih_wgt</c> before its <c>.T</c>.</summary>
    [Param(3, 3), InitValues(0.1, 0.2, -0.1, -0.1, 0.1, 0.9, 0.1, 0.4, 0.1)]
    public partial Tensor InputToHidden { get; }

    /// <summary>The book's <c>hp_wgt</c> before its <c>.T</c>.</summary>
    [Param(3, 3), InitValues(0.3, 1.1, -0.3, 0.1, 0.2, 0.0, 0.0, 1.3, 0.1)]
    public partial Tensor HiddenToPrediction { get; }

    [Forward]
    public Tensor Predict([Shape(3)] Tensor input) => input.Dot(InputToHidden.T).Dot(HiddenToPrediction.T);
}
