using System.Numerics;
using Graph;

namespace Graph.Samples.Chapter03;

/// <summary>
/// Predicting on predictions (E3.6): two <c>vect_mat_mul</c> layers, 3 inputs → 3 hidden → 3 outputs, no
/// activation; each layer is the matrix-vector product of the book's row-per-output weights with its input.
/// </summary>
[Model]
public partial class StackedNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The book's <c>ih_wgt</c>, one row per hidden unit.</summary>
    [Param(3, 3), InitValues(0.1, 0.2, -0.1, -0.1, 0.1, 0.9, 0.1, 0.4, 0.1)]
    public partial Tensor InputToHidden { get; }

    /// <summary>The book's <c>hp_wgt</c>, one row per prediction (hurt, win, sad).</summary>
    [Param(3, 3), InitValues(0.3, 1.1, -0.3, 0.1, 0.2, 0.0, 0.0, 1.3, 0.1)]
    public partial Tensor HiddenToPrediction { get; }

    [Forward]
    public Tensor Predict([Shape(3)] Tensor input)
    {
        var hidden = InputToHidden.Dot(input);
        return HiddenToPrediction.Dot(hidden);
    }
}
