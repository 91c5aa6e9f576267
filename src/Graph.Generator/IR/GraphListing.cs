using System.Text;
using Graph.Generator.IR.Ops;

namespace Graph.Generator.IR;

/// <summary>
/// A computation as text, one node a line (<c>%3 = Add(%1, %2) : [4] per sample  ; x.Dot(W) + B</c>), then its
/// outputs: what the compiler's stage tests compare, so that a change in one stage reads as a small diff. A
/// <see cref="Scan"/> is followed by its body, indented, whose nodes are numbered apart, and the values a step ends with.
/// </summary>
internal static class GraphListing
{
    public static string Print(IReadOnlyList<Node> nodes, IReadOnlyList<GraphOutput> outputs)
    {
        var text = new StringBuilder();
        Print(text, nodes, string.Empty);
        foreach (var output in outputs)
        {
            text.Append(output.Kind).Append(output.Kind == OutputKind.Gradient ? " " + output.Index : string.Empty).Append(" = %").Append(output.Node.Id).Append('\n');
        }

        return text.ToString();
    }

    public static string Print(Computation graph) => Print(graph.Nodes, graph.Outputs);

    private static void Print(StringBuilder text, IReadOnlyList<Node> nodes, string indent)
    {
        foreach (var node in nodes)
        {
            text.Append(indent).Append(node).Append("  ; ").Append(node.Origin).Append('\n');
            if (node.Op is Scan scan)
            {
                if (scan.First is not null)
                {
                    PrintBody(text, "first step", scan.First, indent + "    ");
                }

                PrintBody(text, scan.First is null ? "each step" : "each later step", scan.Body, indent + "    ");
            }
        }
    }

    private static void PrintBody(StringBuilder text, string label, ScanBody body, string indent)
    {
        text.Append(indent).Append(label).Append(":\n");
        Print(text, body.Nodes, indent + "  ");
        var next = body.Next.Select((n, k) => "%" + n.Id + (body.Appended[k] ? " (appended)" : string.Empty));
        text.Append(indent).Append("  next = (").Append(string.Join(", ", next)).Append(")\n");
    }
}
