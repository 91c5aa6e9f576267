using Graph.Generator.Diagnostics;
using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>Repeats the input to <see cref="Shape"/>, and over the batch when <see cref="Batched"/>.</summary>
internal sealed record Broadcast(Shape Shape, bool Batched) : Elementwise
{
    public override string Attributes => Shape + (Batched ? " per sample" : string.Empty);

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        var input = inputs[0];
        if (!ShapeRules.BroadcastsTo(input.Shape, Shape) || (input.Batched && !Batched))
        {
            throw new ShapeError(DiagnosticDescriptors.OperationShapeError.Id, "broadcast", $"{input.Shape} to {Shape}", "the input must broadcast to the target shape");
        }

        return new TensorType(Shape, Batched);
    }

    public override Scalar Compute(IReadOnlyList<Scalar> inputs) => inputs[0];

    public override Node? Gradient(Site d, Node y, Node g, int input) => d.ReduceSum(g, y.Inputs[0].Shape, y.Inputs[0].Batched);
}
