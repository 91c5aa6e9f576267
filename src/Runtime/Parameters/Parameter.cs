using System.Numerics;

namespace Graph.Runtime;

/// <summary>
/// One trainable tensor of a model: its name, shape, values and gradient, stored row-major. The arrays are the
/// model's own storage: generated code reads and writes them directly, so a change made here is seen by the
/// next forward pass.
/// </summary>
public sealed class Parameter<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] shape;
    private readonly int[] frozenElements;

    /// <param name="sparseRows">True for a matrix that the model reads only by gathering rows: Backward then lists the
    /// rows it writes in <see cref="TouchedRows"/>, and every other row of <see cref="Gradient"/> stays zero.</param>
    public Parameter(string name, int[] shape, bool frozen = false, int[]? frozenElements = null, bool sparseRows = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        Name = name;
        this.shape = (int[])shape.Clone();
        int size = 1;
        foreach (int dim in shape)
        {
            if (dim <= 0)
            {
                throw new ArgumentException($"Parameter '{name}' has a non-positive dimension in shape [{string.Join(",", shape)}].", nameof(shape));
            }

            size = checked(size * dim);
        }

        Size = size;
        IsFrozen = frozen;
        this.frozenElements = frozenElements is null ? [] : (int[])frozenElements.Clone();
        foreach (int index in this.frozenElements)
        {
            if ((uint)index >= (uint)size)
            {
                throw new ArgumentOutOfRangeException(nameof(frozenElements), $"Frozen element {index} of '{name}' is outside its {size} elements.");
            }
        }

        Value = new T[size];
        Gradient = new T[size];
        TouchedRows = sparseRows ? new SparseRows(shape[0]) : null;
    }

    /// <summary>The name of the model property this parameter backs.</summary>
    public string Name { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Shape => shape;

    /// <summary>The number of elements.</summary>
    public int Size { get; }

    /// <summary>True when training never changes this parameter (and no gradient is computed for it).</summary>
    public bool IsFrozen { get; }

    /// <summary>Row-major indices of elements that training never changes; their gradient is always zero.</summary>
    public ReadOnlySpan<int> FrozenElements => frozenElements;

    /// <summary>The values, row-major.</summary>
    public T[] Value { get; }

    /// <summary>The gradient of the loss with respect to <see cref="Value"/> from the last Backward or TrainStep.</summary>
    public T[] Gradient { get; }

    /// <summary>
    /// For a parameter read only by Gather, EmbeddingSum or EmbeddingMean: the rows (along the first axis) that the last
    /// Backward or TrainStep wrote to <see cref="Gradient"/>; every other row of the gradient is zero, and a training
    /// step changes only these rows. Null for a parameter whose gradient is dense.
    /// </summary>
    public SparseRows? TouchedRows { get; }

    /// <summary>Replaces the values; the source must hold exactly <see cref="Size"/> finite numbers.</summary>
    public void CopyFrom(ReadOnlySpan<T> source)
    {
        if (source.Length != Size)
        {
            throw new ArgumentException($"Parameter '{Name}' [{string.Join(",", shape)}] holds {Size} values, but {source.Length} were given.", nameof(source));
        }

        Guard.Finite(source, $"values for parameter '{Name}'");
        source.CopyTo(Value);
    }

    /// <summary>Copies the values out; the destination must hold exactly <see cref="Size"/> elements.</summary>
    public void CopyTo(Span<T> destination)
    {
        if (destination.Length != Size)
        {
            throw new ArgumentException($"Parameter '{Name}' [{string.Join(",", shape)}] holds {Size} values, but the destination has room for {destination.Length}.", nameof(destination));
        }

        Value.CopyTo(destination);
    }

    public override string ToString() => $"{Name}[{string.Join(",", shape)}]";
}
