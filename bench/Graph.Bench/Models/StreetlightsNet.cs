using Graph;
using static Graph.Ops;

namespace Graph.Bench.Models;

/// <summary>N1: the book's streetlights network, 3-4-1 relu, trained one record at a time on half the squared error.</summary>
[Model, Size("Hidden", 4)]
public partial class StreetlightsNet : IGraphNet
{
    [Param(3, "Hidden"), InitUniform(-1, 1)]
    public partial Tensor Weights01 { get; }

    [Param("Hidden", 1), InitUniform(-1, 1)]
    public partial Tensor Weights12 { get; }

    [Forward]
    public Tensor Predict([Shape(3)] Tensor lights) => Relu(lights.Dot(Weights01)).Dot(Weights12);

    [Loss]
    public Tensor Loss([Shape(3)] Tensor lights, [Shape(1)] Tensor walk) => L2Loss(Predict(lights) - walk);
}
