using Graph.Generator.Diagnostics;
using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>
/// Sums the input down to <see cref="Shape"/> (the axes it broadcasts over), and over the batch when the input is
/// batched and the result is not. Computed as a loop over the input's elements.
/// </summary>
internal sealed record ReduceSum(Shape Shape, bool Batched) : Op
{
    public override string Attributes => Shape + (Batched ? " per sample" : string.Empty);

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        var input = inputs[0];
        if (!ShapeRules.BroadcastsTo(Shape, input.Shape) || (Batched && !input.Batched))
        {
            throw new ShapeError(DiagnosticDescriptors.OperationShapeError.Id, "sum", $"{input.Shape} down to {Shape}", "the target shape must broadcast back to the input");
        }

        return new TensorType(Shape, Batched);
    }

    public override Node? Gradient(Site d, Node y, Node g, int input) => d.Broadcast(g, y.Inputs[0].Shape, y.Inputs[0].Batched);
}

/// <summary><c>Sum(x)</c>: the sum of every element of a sample.</summary>
internal sealed class SumFunction : DslFunction
{
    public override string Name => "Sum";

    public override Node Lower(DslCall call) => call.At.Sum(call[0]);
}

/// <summary><c>Mean(x)</c>: the sum divided by the element count, as numpy's <c>mean</c> computes it.</summary>
internal sealed class MeanFunction : DslFunction
{
    public override string Name => "Mean";

    public override Node Lower(DslCall call) => Of(call.At, call[0]);

    public static Node Of(Site at, Node value) => at.Divide(at.Sum(value), at.Count(value.Shape.Size));
}

/// <summary><c>SumSquares(x)</c>: Σx².</summary>
internal sealed class SumSquaresFunction : DslFunction
{
    public override string Name => "SumSquares";

    public override Node Lower(DslCall call) => call.At.Sum(call.At.Square(call[0]));
}

/// <summary><c>L2Loss(x)</c>: Σx² / 2, whose gradient is x itself.</summary>
internal sealed class L2LossFunction : DslFunction
{
    public override string Name => "L2Loss";

    public override Node Lower(DslCall call) => call.At.Multiply(call.At.Sum(call.At.Square(call[0])), call.At.Constant(0.5));
}

/// <summary><c>MeanSquaredError(prediction, target)</c>: the mean of (prediction - target)².</summary>
internal sealed class MeanSquaredErrorFunction : DslFunction
{
    public override string Name => "MeanSquaredError";

    public override Node Lower(DslCall call) => MeanFunction.Of(call.At, call.At.Square(call.At.Subtract(call[0], call[1])));
}
