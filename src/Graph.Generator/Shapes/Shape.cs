namespace Graph.Generator.Shapes;

/// <summary>A per-sample shape: the dimensions of one sample's value, outermost first; rank 0 is a scalar.</summary>
internal sealed class Shape : IEquatable<Shape>
{
    public static readonly Shape Scalar = new(Array.Empty<Size>());

    private readonly Size[] dims;

    public Shape(IEnumerable<Size> dims)
    {
        this.dims = dims.ToArray();
        Size = this.dims.Aggregate(Shapes.Size.One, (a, b) => a * b);
    }

    public static Shape Of(params int[] dims) => new(dims.Select(Shapes.Size.Of));

    public static Shape Of(params Size[] dims) => new(dims);

    /// <summary>Reads a shape as declared in a spec (digits or size names).</summary>
    public static Shape Parse(IEnumerable<string> dims) => new(dims.Select(Shapes.Size.Parse));

    public int Rank => dims.Length;

    /// <summary>The number of elements per sample.</summary>
    public Size Size { get; }

    public Size this[int axis] => dims[axis];

    public IReadOnlyList<Size> Dims => dims;

    /// <summary>The shape without its last axis.</summary>
    public Shape WithoutLastAxis => new(dims.Take(dims.Length - 1));

    public bool Equals(Shape? other) => other is not null && dims.SequenceEqual(other.dims);

    public override bool Equals(object? obj) => Equals(obj as Shape);

    public override int GetHashCode() => dims.Aggregate(17, (h, d) => unchecked((h * 31) + d.GetHashCode()));

    public override string ToString() => "[" + string.Join(",", dims.Select(d => d.ToString())) + "]";
}
