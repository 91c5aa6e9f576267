namespace Graph.Generator.IR;

/// <summary>
/// One value of the graph IR in single-assignment form. Nodes are created only through <see cref="GraphBuilder"/>,
/// which infers <see cref="Shape"/> and <see cref="Batched"/> as it goes.
/// </summary>
internal sealed class Node
{
    public Node(int id, OpKind op, IReadOnlyList<Node> inputs, Shape shape, bool batched, string origin)
    {
        Id = id;
        Op = op;
        Inputs = inputs;
        Shape = shape;
        Batched = batched;
        Origin = origin;
    }

    /// <summary>The position of the node in its graph; stable for a given model, so generated names are stable.</summary>
    public int Id { get; }

    public OpKind Op { get; }

    public IReadOnlyList<Node> Inputs { get; }

    /// <summary>The per-sample shape.</summary>
    public Shape Shape { get; }

    /// <summary>True when the value has one instance per sample of the batch; false when one instance serves the whole batch.</summary>
    public bool Batched { get; }

    /// <summary>The source expression this node computes or differentiates, for comments in generated code.</summary>
    public string Origin { get; }

    /// <summary>The constant's value (<see cref="OpKind.Constant"/>).</summary>
    public double Value { get; init; }

    /// <summary>The input or parameter position (<see cref="OpKind.Input"/>, <see cref="OpKind.Parameter"/>).</summary>
    public int Index { get; init; }

    /// <summary>True for an <see cref="OpKind.Input"/> that holds row indices (an [Indices] argument) rather than values.</summary>
    public bool IsIndices { get; init; }

    /// <summary>True for an index value in which -1 marks padding (an [Indices(n, Padded = true)] input, or a pick from one).</summary>
    public bool Padded { get; init; }

    /// <summary>The count a <see cref="OpKind.SizeValue"/> stands for; the first element a <see cref="OpKind.Slice"/> takes.</summary>
    public Size? Extent { get; init; }

    /// <summary>Whether a <see cref="OpKind.MatMul"/> transposes its first operand.</summary>
    public bool TransposeA { get; init; }

    /// <summary>Whether a <see cref="OpKind.MatMul"/> transposes its second operand.</summary>
    public bool TransposeB { get; init; }

    /// <summary>The window of <see cref="OpKind.Im2Col"/>, <see cref="OpKind.Col2Im"/>, <see cref="OpKind.SumPool2d"/> and <see cref="OpKind.Upsample2d"/>.</summary>
    public Window? Window { get; init; }

    public override string ToString() => $"%{Id} = {Op}({string.Join(", ", Inputs.Select(i => "%" + i.Id))}) : {Shape}{(Batched ? " per sample" : string.Empty)}";
}
