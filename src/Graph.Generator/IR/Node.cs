using Graph.Generator.Shapes;

namespace Graph.Generator.IR;

/// <summary>
/// One value of the graph IR in single-assignment form: an <see cref="IR.Op"/> applied to earlier nodes. Nodes are
/// created only through <see cref="GraphBuilder"/>, which infers each one's <see cref="Type"/> with its op's shape rule.
/// </summary>
internal sealed class Node
{
    public Node(int id, Op op, IReadOnlyList<Node> inputs, TensorType type, string origin)
    {
        Id = id;
        Op = op;
        Inputs = inputs;
        Type = type;
        Origin = origin;
    }

    /// <summary>The position of the node in its graph; stable for a given model, so generated names are stable.</summary>
    public int Id { get; }

    /// <summary>The operation and its attributes.</summary>
    public Op Op { get; }

    public IReadOnlyList<Node> Inputs { get; }

    /// <summary>The per-sample shape, whether the value is batched, and whether it holds values or row indices.</summary>
    public TensorType Type { get; }

    /// <summary>The per-sample shape.</summary>
    public Shape Shape => Type.Shape;

    /// <summary>True when the value has one instance per sample of the batch; false when one instance serves the whole batch.</summary>
    public bool Batched => Type.Batched;

    /// <summary>True for a value that holds row indices (an [Indices] argument or a pick from one) rather than values.</summary>
    public bool IsIndices => Type.IsIndices;

    /// <summary>True for an index value in which -1 marks padding.</summary>
    public bool Padded => Type.Padded;

    /// <summary>The source expression this node computes or differentiates, for comments in generated code.</summary>
    public string Origin { get; }

    /// <summary>The node as IR listings show it: <c>%3 = Add(%1, %2) : [4] per sample</c>.</summary>
    public override string ToString() => $"%{Id} = {Op}({string.Join(", ", Inputs.Select(i => "%" + i.Id))}) : {Type}";
}
