using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter06;

/// <summary>The book's first deep network: 3 streetlight inputs, relu hidden units (4 in the book), 1 output (walk or stop).</summary>
[Model, Size("Hidden", 4)]
public partial class StreetlightsNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param(3, "Hidden"), InitUniform(-1, 1)]
    public partial Tensor Weights01 { get; }

    [Param("Hidden", 1), InitUniform(-1, 1)]
    public partial Tensor Weights12 { get; }

    [Forward]
    public Tensor Predict([Shape(3)] Tensor lights)
    {
        var hidden = Relu(lights.Dot(Weights01));
        return hidden.Dot(Weights12);
    }

    /// <summary>The squared error the book prints.</summary>
    [Forward]
    public Tensor Error([Shape(3)] Tensor lights, [Shape(1)] Tensor walk) => SumSquares(Predict(lights) - walk);

    /// <summary>Half the squared error: its gradient is the book's delta, prediction - goal.</summary>
    [Loss]
    public Tensor Loss([Shape(3)] Tensor lights, [Shape(1)] Tensor walk) => L2Loss(Predict(lights) - walk);
}
