using Graph.Generator.Common;

namespace Graph.Generator.IR;

/// <summary>A per-sample shape: the dimensions of one sample's value, outermost first; rank 0 is a scalar.</summary>
internal sealed class Shape : IEquatable<Shape>
{
    public static readonly Shape Scalar = new(Array.Empty<int>());

    private readonly int[] dims;

    public Shape(IEnumerable<int> dims)
    {
        this.dims = dims.ToArray();
        Size = this.dims.Aggregate(1, (a, b) => a * b);
    }

    public static Shape Of(params int[] dims) => new(dims);

    public int Rank => dims.Length;

    /// <summary>The number of elements per sample.</summary>
    public int Size { get; }

    public int this[int axis] => dims[axis];

    public IReadOnlyList<int> Dims => dims;

    public bool Equals(Shape? other) => other is not null && dims.SequenceEqual(other.dims);

    public override bool Equals(object? obj) => Equals(obj as Shape);

    public override int GetHashCode() => dims.Aggregate(17, (h, d) => unchecked((h * 31) + d));

    public override string ToString() => ShapeFormat.Of(dims);
}
