using System.Globalization;
using Graph.Generator.Diagnostics;
using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>
/// Position <see cref="Position"/> of each sample's indices in the index input 0 ([n] per sample): an index value of
/// one index per sample, copied into an index buffer.
/// </summary>
internal sealed record PickIndex(int Position) : KernelOp
{
    public override string Attributes => Position.ToString(CultureInfo.InvariantCulture);

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        var indices = inputs[0];
        if (indices.Op is not IndexInput || indices.Shape[0].IsConstant is false || Position < 0 || Position >= indices.Shape[0].Value)
        {
            throw new ShapeError(DiagnosticDescriptors.OperationShapeError.Id, "pick", $"position {Position} of {indices.Type}", "only a position of an index input of a fixed count can be picked");
        }

        return new TensorType(Shape.Of(1), indices.Batched, indices.Type.Elements);
    }

    public override bool TakesIndices(int input) => true;

    // Indices are integers: no gradient.
    public override Node? Gradient(Site d, Node y, Node g, int input) => null;

    public override KernelCall Call(Node node) => KernelCall.Of(
        "PickIndices", KernelArgument.Read(node.Inputs[0]), KernelArgument.LastAxis(node.Inputs[0]), KernelArgument.Integer(Position), KernelArgument.Write(node)) with { Generic = false };
}

/// <summary>1 per sample where the one index of the index value input 0 is a row index, 0 where it is padding (-1).</summary>
internal sealed record PaddingMask : KernelOp
{
    public override TensorType Infer(IReadOnlyList<Node> inputs) => new(Shape.Scalar, inputs[0].Batched);

    public override bool TakesIndices(int input) => true;

    // Indices are integers: no gradient.
    public override Node? Gradient(Site d, Node y, Node g, int input) => null;

    public override KernelCall Call(Node node) => KernelCall.Of("PaddingMask", KernelArgument.Read(node.Inputs[0]), KernelArgument.Write(node));
}

/// <summary>Row <see cref="Row"/> of input 0 along its first per-sample axis: [n, d...] gives [d...].</summary>
internal sealed record SelectRow(int Row) : KernelOp
{
    public override string Attributes => Row.ToString(CultureInfo.InvariantCulture);

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        var shape = inputs[0].Shape;
        if (shape.Rank == 0 || !shape[0].IsConstant || Row < 0 || Row >= shape[0].Value)
        {
            throw new ShapeError(DiagnosticDescriptors.OperationShapeError.Id, "select a row of", shape.ToString(), $"{Row} is not a position of its first axis");
        }

        return new TensorType(new Shape(shape.Dims.Skip(1)), inputs[0].Batched);
    }

    // The row's gradient goes back to that row; the other rows get zeros.
    public override Node? Gradient(Site d, Node y, Node g, int input) => d.Apply(new InsertRow(y.Inputs[0].Shape, Row), g);

    public override KernelCall Call(Node node)
    {
        var (whole, row) = (node.Inputs[0], node);
        return KernelCall.Of(
            "SelectRow",
            KernelArgument.Read(whole),
            KernelArgument.Elements(whole),
            KernelArgument.Count(row.Shape.Size * Size.Of(Row)),
            KernelArgument.Elements(row),
            KernelArgument.Write(row),
            KernelArgument.Samples(node));
    }
}

/// <summary>The adjoint of <see cref="SelectRow"/>: zeros of <see cref="Shape"/> with input 0 as row <see cref="Row"/>.</summary>
internal sealed record InsertRow(Shape Shape, int Row) : KernelOp
{
    public override string Attributes => $"{Shape} at {Row.ToString(CultureInfo.InvariantCulture)}";

    public override TensorType Infer(IReadOnlyList<Node> inputs)
    {
        ShapeRules.InsertRow(inputs[0].Shape, Shape, Row);
        return new TensorType(Shape, inputs[0].Batched);
    }

    public override Node? Gradient(Site d, Node y, Node g, int input) => d.Apply(new SelectRow(Row), g);

    public override KernelCall Call(Node node)
    {
        var (whole, row) = (node, node.Inputs[0]);
        return KernelCall.Of(
            "InsertRow",
            KernelArgument.Read(row),
            KernelArgument.Elements(row),
            KernelArgument.Write(whole),
            KernelArgument.Elements(whole),
            KernelArgument.Count(row.Shape.Size * Size.Of(Row)),
            KernelArgument.Samples(node));
    }
}

/// <summary>
/// <c>x[t]</c> with a constant t: position t of each sample's indices of an [Indices(n)] input, or row t of a dense
/// value along its first per-sample axis (GRAPH027 for a position outside either).
/// </summary>
internal sealed class IndexAtFunction : DslFunction
{
    public override string Name => "IndexAt";

    public override Node Lower(DslCall call)
    {
        // The reader gives the position as a constant.
        var value = call[0];
        int position = (int)call.Constant(1)!.Value;
        string? problem = Problem(value, position);
        if (problem is not null)
        {
            throw new IndexError(DiagnosticDescriptors.InvalidIndexPosition.Id, call.At.Origin, problem);
        }

        return call.At.Apply(value.IsIndices ? new PickIndex(position) : new SelectRow(position), value);
    }

    /// <summary>Why <c>value[position]</c> cannot be read (the message of GRAPH027), or null where it can.</summary>
    public static string? Problem(Node value, int position)
    {
        if (value.IsIndices)
        {
            return value.Op is not IndexInput ? $"'{value.Origin}' already holds one index per sample; only an [Indices(n)] argument can be indexed"
                : ShapeRules.IsVariableCount(value.Shape[0]) ? $"'{value.Origin}' takes any number of indices ([Indices]); only an input of a fixed count, [Indices(n)], can be indexed"
                : position < 0 || position >= value.Shape[0].Value ? $"position {position} is outside '{value.Origin}', whose positions run from 0 to {value.Shape[0].Value - 1}"
                : null;
        }

        return value.Shape.Rank == 0 ? $"'{value.Origin}' is a scalar per sample; only a vector, matrix or higher has rows to index"
            : !value.Shape[0].IsConstant ? $"the first axis of '{value.Origin}' ({value.Shape}) is the named size {value.Shape[0]}; only an axis of a fixed length can be indexed"
            : position < 0 || position >= value.Shape[0].Value ? $"position {position} is outside the first axis of '{value.Origin}' ({value.Shape}), whose positions run from 0 to {value.Shape[0].Value - 1}"
            : null;
    }
}
