namespace Graph.Generator.Shapes;

/// <summary>What the elements of a value are: numbers, or row indices (in which -1 may mark padding).</summary>
internal enum ElementKind
{
    /// <summary>Numbers of the model's element type.</summary>
    Values,

    /// <summary>Row indices of an [Indices] input (or a pick from one).</summary>
    Indices,

    /// <summary>Row indices in which -1 marks padding ([Indices(n, Padded = true)]).</summary>
    PaddedIndices,
}

/// <summary>
/// The type of a value of the graph: its per-sample <see cref="Shape"/>, whether it has one instance per sample of the
/// batch (<see cref="Batched"/>) or one for the whole batch, and what its elements are.
/// </summary>
internal sealed record TensorType(Shape Shape, bool Batched, ElementKind Elements = ElementKind.Values)
{
    /// <summary>True for row indices rather than values.</summary>
    public bool IsIndices => Elements != ElementKind.Values;

    /// <summary>True for indices in which -1 marks padding.</summary>
    public bool Padded => Elements == ElementKind.PaddedIndices;

    public override string ToString() => Shape + (Batched ? " per sample" : string.Empty) + Elements switch
    {
        ElementKind.Indices => " indices",
        ElementKind.PaddedIndices => " padded indices",
        _ => string.Empty,
    };
}
