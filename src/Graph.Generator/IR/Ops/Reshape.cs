using Graph.Generator.Diagnostics;
using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>The same elements under the per-sample <see cref="Shape"/>; shares its input's storage (no kernel).</summary>
internal sealed record Reshape(Shape Shape) : Op
{
    public override string Attributes => Shape.ToString();

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        var input = inputs[0];
        if (!input.Shape.Size.Equals(Shape.Size))
        {
            throw new ShapeError(DiagnosticDescriptors.OperationShapeError.Id, "reshape", $"{input.Shape} to {Shape}", $"{input.Shape.Size} elements cannot become {Shape.Size}");
        }

        return new TensorType(Shape, input.Batched);
    }

    public override Node? Gradient(Site d, Node y, Node g, int input) => d.Reshape(g, y.Inputs[0].Shape);

    /// <summary>A reshape the user asked for: GRAPH018 when the element count differs.</summary>
    public static Node ByUser(Site at, Node value, Shape target)
    {
        if (!value.Shape.Size.Equals(target.Size))
        {
            throw new ShapeError(DiagnosticDescriptors.ReshapeCountMismatch.Id, value.Shape.ToString(), target.ToString(), $"{value.Shape} holds {value.Shape.Size} elements per sample and {target} holds {target.Size}");
        }

        return at.Reshape(value, target);
    }
}

/// <summary><c>Flatten(x)</c>: a sample's elements as one vector, row-major.</summary>
internal sealed class FlattenFunction : DslFunction
{
    public override string Name => "Flatten";

    public override Node Lower(DslCall call) => Reshape.ByUser(call.At, call[0], Shape.Of(call[0].Shape.Size));
}

/// <summary><c>Reshape(x, dims...)</c>: a sample's elements under a new shape of constant dimensions.</summary>
internal sealed class ReshapeFunction : DslFunction
{
    public override string Name => "Reshape";

    public override Node Lower(DslCall call)
    {
        var value = call[0];
        var sizes = Enumerable.Range(1, call.Arguments.Count - 1).Select(call.PositiveInteger).ToArray();
        if (sizes.Any(s => s is null))
        {
            throw new ArgumentError(DiagnosticDescriptors.ReshapeCountMismatch.Id, value.Shape.ToString(), "the dimensions given", "every dimension must be a positive integer constant");
        }

        return Reshape.ByUser(call.At, value, Shape.Of(sizes.Select(s => s!.Value).ToArray()));
    }
}
