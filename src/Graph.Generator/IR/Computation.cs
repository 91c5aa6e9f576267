namespace Graph.Generator.IR;

/// <summary>What a graph output is for.</summary>
internal enum OutputKind
{
    /// <summary>The result of a [Forward] method, written to the caller's output span.</summary>
    Result,

    /// <summary>The batch loss (a shared scalar), returned to the caller.</summary>
    Loss,

    /// <summary>The gradient of the batch loss for parameter <see cref="GraphOutput.Index"/>, written to its gradient array.</summary>
    Gradient,

    /// <summary>The value the loss marks with <c>Prediction</c>, kept to the end of a training method and copied to the caller's span.</summary>
    Prediction,
}

internal sealed record GraphOutput(OutputKind Kind, int Index, Node Node);

/// <summary>A computation: its nodes in evaluation order (every input before its users) and its outputs.</summary>
internal sealed class Computation
{
    public Computation(IReadOnlyList<Node> nodes, IReadOnlyList<GraphOutput> outputs)
    {
        Nodes = nodes;
        Outputs = outputs;
    }

    public IReadOnlyList<Node> Nodes { get; }

    public IReadOnlyList<GraphOutput> Outputs { get; }
}
