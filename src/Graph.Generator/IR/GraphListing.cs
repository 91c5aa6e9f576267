using System.Text;

namespace Graph.Generator.IR;

/// <summary>
/// A computation as text, one node a line (<c>%3 = Add(%1, %2) : [4] per sample  ; x.Dot(W) + B</c>), then its
/// outputs: what the compiler's stage tests compare, so that a change in one stage reads as a small diff.
/// </summary>
internal static class GraphListing
{
    public static string Print(IReadOnlyList<Node> nodes, IReadOnlyList<GraphOutput> outputs)
    {
        var text = new StringBuilder();
        foreach (var node in nodes)
        {
            text.Append(node).Append("  ; ").Append(node.Origin).Append('\n');
        }

        foreach (var output in outputs)
        {
            text.Append(output.Kind).Append(output.Kind == OutputKind.Gradient ? " " + output.Index : string.Empty).Append(" = %").Append(output.Node.Id).Append('\n');
        }

        return text.ToString();
    }

    public static string Print(Computation graph) => Print(graph.Nodes, graph.Outputs);
}
