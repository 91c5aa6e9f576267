using Graph.Generator.Diagnostics;

namespace Graph.Generator.IR;

/// <summary>
/// Creates the nodes of one graph. Every node goes through <see cref="Apply"/>, which runs its op's shape rule: the
/// one place shapes are inferred, so no ill-shaped node exists. Lowering, differentiation and optimisation all
/// build through it.
/// </summary>
internal sealed class GraphBuilder
{
    private readonly List<Node> nodes = new();

    public IReadOnlyList<Node> Nodes => nodes;

    /// <summary>A place to build nodes that compute or differentiate the source expression <paramref name="origin"/>.</summary>
    public Site At(string origin) => new(this, origin);

    /// <summary>Adds <paramref name="op"/> applied to <paramref name="inputs"/>, its type inferred by the op's shape rule.</summary>
    public Node Apply(Op op, string origin, IReadOnlyList<Node> inputs)
    {
        var type = op.Infer(inputs);
        for (int i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].IsIndices && !op.TakesIndices(i))
            {
                bool readsRows = Enumerable.Range(0, inputs.Count).Any(op.TakesIndices);
                throw new IndexError(DiagnosticDescriptors.IndicesUsedAsValues.Id, inputs[i].Origin, readsRows ? op.Name + " as its table" : op.Name);
            }
        }

        var node = new Node(nodes.Count, op, inputs.ToArray(), type, origin);
        nodes.Add(node);
        return node;
    }
}
