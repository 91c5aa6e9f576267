using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter13;

/// <summary>
/// The book's <c>x.index_select(indices).backward()</c> (E13.13): the rows of a table named by the indices, whose
/// gradient adds ones into each selected row once per time it was selected. <c>backward()</c> with no argument
/// starts from ones, which is the gradient of the sum of the selected rows.
/// </summary>
[Model]
public partial class IndexSelectModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The book's <c>x = Tensor(np.eye(5))</c>.</summary>
    [Param(5, 5), InitValues(
        1, 0, 0, 0, 0,
        0, 1, 0, 0, 0,
        0, 0, 1, 0, 0,
        0, 0, 0, 1, 0,
        0, 0, 0, 0, 1)]
    public partial Tensor X { get; }

    /// <summary>The selected rows, <c>x.index_select(indices)</c>, three per sample.</summary>
    [Forward]
    public Tensor Select([Indices(3)] Tensor indices) => Gather(X, indices);

    /// <summary>The sum of the selected rows, summed over the batch: its gradient at the rows is all ones.</summary>
    [Loss(Reduction = Reduction.Sum)]
    public Tensor Total([Indices(3)] Tensor indices) => Sum(Gather(X, indices));
}
