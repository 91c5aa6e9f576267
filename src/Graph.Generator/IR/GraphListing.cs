using System.Text;
using Graph.Generator.IR.Ops;

namespace Graph.Generator.IR;

/// <summary>
/// A computation as text, one node a line (<c>%3 = Add(%1, %2) : [4] per sample  ; x.Dot(W) + B</c>), then its
/// outputs: what the compiler's stage tests compare, so that a change in one stage reads as a small diff. A
/// <see cref="Scan"/> is followed by its body, indented, whose nodes are numbered apart, and the values a step ends with;
/// a <see cref="ReverseScan"/> by its runs of steps and its bodies, where a value of the forward step it reverses is
/// <c>fwd%5</c>, node 5 of that forward body.
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
        var own = new HashSet<Node>(nodes);
        foreach (var node in nodes)
        {
            string line = node.Inputs.All(own.Contains)
                ? node.ToString()
                : $"%{node.Id} = {node.Op}({string.Join(", ", node.Inputs.Select(i => (own.Contains(i) ? "%" : "fwd%") + i.Id))}) : {node.Type}";
            text.Append(indent).Append(line).Append("  ; ").Append(node.Origin).Append('\n');
            if (node.Op is Scan scan)
            {
                if (scan.First is not null)
                {
                    PrintBody(text, "first step", scan.First, indent + "    ");
                }

                PrintBody(text, scan.First is null ? "each step" : "each later step", scan.Body, indent + "    ");
            }
            else if (node.Op is ReverseScan reverse)
            {
                var runs = reverse.Runs.Select(r => $"body {r.Body} × {r.Steps}");
                text.Append(indent).Append("    steps, last forward step first: ").Append(string.Join(", ", runs)).Append('\n');
                for (int b = 0; b < reverse.Bodies.Count; b++)
                {
                    var forward = reverse.Reversed[b];
                    string reverses = forward == reverse.Forward.First ? "the first step" : reverse.Forward.First is null ? "a step" : "a later step";
                    PrintBody(text, $"body {b}, reversing {reverses}", reverse.Bodies[b], indent + "    ");
                }
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
