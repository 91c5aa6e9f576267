using System.Globalization;
using Graph.Generator.Shapes;

namespace Graph.Generator.IR.Ops;

/// <summary>The tensor argument number <see cref="Position"/> of the compiled method: values of <see cref="Shape"/> per sample.</summary>
internal sealed record Input(int Position, Shape Shape) : Leaf
{
    public override TensorType Type => new(Shape, Batched: true);

    public override string Attributes => Position.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// An index argument ([Indices]) number <see cref="Position"/>: <see cref="Count"/> row indices per sample (a run-time
/// symbol for [Indices] without a count), -1 marking padding where <see cref="Padded"/>.
/// </summary>
internal sealed record IndexInput(int Position, Size Count, bool Padded) : Leaf
{
    public override TensorType Type => new(Shape.Of(Count), Batched: true, Padded ? ElementKind.PaddedIndices : ElementKind.Indices);

    public override string Attributes => Position.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The model parameter number <see cref="Index"/> in declaration order, shared by the batch.</summary>
internal sealed record Parameter(int Index, Shape Shape) : Leaf
{
    public override TensorType Type => new(Shape, Batched: false);

    public override string Attributes => Index.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A number. Two constants are the same only when their bits are (0 and -0 stay apart).</summary>
internal sealed record Constant(double Value) : Leaf
{
    public override TensorType Type => new(Shape.Scalar, Batched: false);

    public override string Attributes => Value.ToString("R", CultureInfo.InvariantCulture);

    public bool Equals(Constant? other) => other is not null && BitConverter.DoubleToInt64Bits(Value) == BitConverter.DoubleToInt64Bits(other.Value);

    public override int GetHashCode() => BitConverter.DoubleToInt64Bits(Value).GetHashCode();
}

/// <summary>The number of samples in the batch, known only when the compiled method runs.</summary>
internal sealed record BatchSize : Leaf
{
    public override TensorType Type => new(Shape.Scalar, Batched: false);
}

/// <summary>A count that depends on a named size (<see cref="Extent"/>), known once the model is constructed.</summary>
internal sealed record SizeValue(Size Extent) : Leaf
{
    public override TensorType Type => new(Shape.Scalar, Batched: false);

    public override string Attributes => Extent.ToString();
}
