using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter13;

/// <summary>
/// The book's test of a tensor used twice (E13.4): <c>d = a + b</c>, <c>e = b + c</c>, <c>f = d + e</c>, then
/// <c>f.backward(ones)</c>; <c>b</c> must receive the gradient of both uses, <c>[2, 2, 2, 2, 2]</c>.
/// </summary>
[Model]
public partial class MultipleUseModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param(5), InitValues(1, 2, 3, 4, 5)]
    public partial Tensor A { get; }

    [Param(5), InitValues(2, 2, 2, 2, 2)]
    public partial Tensor B { get; }

    [Param(5), InitValues(5, 4, 3, 2, 1)]
    public partial Tensor C { get; }

    /// <summary>
    /// <c>f.backward(grad)</c> sends <c>grad</c> back from <c>f</c>: it is the gradient of <c>Σ f · grad</c>, with the
    /// book's <c>grad</c> (ones) as the input.
    /// </summary>
    [Loss]
    public Tensor Total([Shape(5)] Tensor outputGradient)
    {
        var d = A + B;
        var e = B + C;
        var f = d + e;
        return Sum(f * outputGradient);
    }
}
