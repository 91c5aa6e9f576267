using System.Globalization;
using Graph.Generator.Diagnostics;
using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>
/// A dropout mask of <see cref="Shape"/> (per sample when <see cref="Batched"/>): while training, each element
/// 1 / (1 - <see cref="Rate"/>) or 0, drawn from the model's generator; otherwise 1. It has no inputs but is drawn
/// by a kernel. <see cref="Draw"/> numbers the masks of a graph, so that two masks of one shape are never merged.
/// </summary>
internal sealed record DropoutMask(Shape Shape, bool Batched, double Rate, int Draw) : KernelOp
{
    public override string Attributes => $"rate {Rate.ToString("R", CultureInfo.InvariantCulture)}, draw {Draw.ToString(CultureInfo.InvariantCulture)}";

    public override TensorType Infer(IReadOnlyList<Node> inputs) => new(Shape, Batched);

    public override Node? Gradient(Site d, Node y, Node g, int input) =>
        throw new InvalidOperationException("A dropout mask has no inputs to differentiate.");

    public override KernelCall Call(Node node) =>
        KernelCall.Of("DropoutMask", KernelArgument.WriteExactly(node), KernelArgument.Real(Rate), KernelArgument.Random) with { WhenNotTraining = 1 };
}

/// <summary><c>Dropout(x, rate)</c>: x times a dropout mask in the training graphs, x itself otherwise.</summary>
internal sealed class DropoutFunction : DslFunction
{
    public override string Name => "Dropout";

    public override Node Lower(DslCall call)
    {
        var value = call[0];
        if (call.Constant(1) is not double rate || !(rate > 0 && rate < 1))
        {
            throw new ArgumentError(DiagnosticDescriptors.OperationShapeError.Id, "apply dropout to", value.Shape.ToString(), "the rate must be a constant between 0 and 1 (exclusive)");
        }

        if (!call.Training)
        {
            return value;
        }

        var mask = call.At.Apply(new DropoutMask(value.Shape, value.Batched, rate, Draw: call.At.Builder.Nodes.Count));
        return call.At.Multiply(value, mask);
    }
}
