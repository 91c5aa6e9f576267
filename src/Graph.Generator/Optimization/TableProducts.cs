using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Shapes;
using Graph.Generator.Spec;

namespace Graph.Generator.Optimization;

/// <summary>
/// Before differentiation (stage 4): a loop's products of rows read from a table, as rows of the table's product. In
/// a loop that reads each step's rows of a parameter table and multiplies them by a parameter matrix
/// (<c>x = E[chars[t]]</c>, <c>x·W</c>: an embedding feeding a layer), the product is linear in the rows, so
/// <c>E[c]·W = (E·W)[c]</c> and a bag's sum or mean of rows times W is the sum or mean of the product's rows. The loop
/// captures <c>E·W</c>, computed once before it, and reads its step's rows of that instead. The loop's products had
/// steps × batch rows, each reading all of W, forward and twice backward (the rows' gradient <c>g·Wᵀ</c> and W's
/// <c>xᵀ·g</c>); the table's product has the table's rows, and its derivative (the derivative rules differentiate this
/// stage's output, so they give every gradient) scatters each step's gradient into a table the size of E·W, then gives
/// E's and W's gradient by one product each over the table's rows. The compiler takes a table of at most <see cref="RowsPerStep"/> rows per step
/// of the loop (named sizes at their defaults), so the product pays from a batch of that many samples on.
/// </summary>
/// <remarks>
/// The rows of one index are the same sums in the same order either way (in double; float products are summed as
/// their blocking gives), so the loop's values are unchanged; the gradients sum the same terms in another order (by
/// the table's row, then over its rows), which may differ in the last bits: a model declared
/// <c>[Model(ExactLoopSums = true)]</c> skips this stage, as does a loop that will be unrolled.
/// </remarks>
internal static class TableProducts
{
    /// <summary>The most rows a table may have per step of the loop that reads it.</summary>
    public const int RowsPerStep = 4;

    /// <summary>
    /// The graph of <paramref name="builder"/> with the table products of its kept loops (into a new builder where it
    /// has any), and the nodes <paramref name="roots"/> became.
    /// </summary>
    public static (GraphBuilder Builder, IReadOnlyList<Node> Roots) Run(ModelSpec model, GraphBuilder builder, params Node[] roots)
    {
        var scans = new HashSet<Node>(builder.Nodes.Where(n => n.Op is Scan scan && scan.Loop.Steps >= LoopUnrolling.MinimumKeptSteps
            && Bodies(scan).Any(b => b.Nodes.Any(node => Matches(model, node, scan.Loop.Steps)))));
        if (scans.Count == 0)
        {
            return (builder, roots);
        }

        var rebuilt = new GraphBuilder();
        var map = new Dictionary<Node, Node>();
        var parameters = new Dictionary<int, Node>();
        Node Parameter(Node parameter)
        {
            int index = ((Parameter)parameter.Op).Index;
            if (!parameters.TryGetValue(index, out var outer))
            {
                outer = rebuilt.Apply(parameter.Op, parameter.Origin, Array.Empty<Node>());
                parameters.Add(index, outer);
            }

            return outer;
        }

        foreach (var node in builder.Nodes)
        {
            if (scans.Contains(node))
            {
                map[node] = Rewrite(model, rebuilt, node, Parameter, map);
            }
            else if (node.Op is Parameter)
            {
                map[node] = Parameter(node);
            }
            else
            {
                map[node] = rebuilt.Apply(node.Op, node.Origin, node.Inputs.Select(i => map[i]).ToList());
            }
        }

        return (rebuilt, roots.Select(r => map[r]).ToList());
    }

    /// <summary>The bodies of a loop: its first step's, where it has one of its own, and the other steps'.</summary>
    private static IEnumerable<ScanBody> Bodies(Scan scan) => scan.First is null ? new[] { scan.Body } : new[] { scan.Body, scan.First };

    /// <summary>
    /// True for a product <c>rows(E)·W</c> of a loop body of <paramref name="steps"/> steps: W a parameter matrix, the
    /// left factor rows of parameter table E (<see cref="Rows"/>), and E's rows no more than
    /// <see cref="RowsPerStep"/> per step.
    /// </summary>
    private static bool Matches(ModelSpec model, Node node, int steps) =>
        node.Op is MatMul { TransposeA: false, TransposeB: false, Batched: true }
        && node.Inputs[1].Op is Parameter { Shape.Rank: 2 }
        && Rows(node.Inputs[0]) is { } rows
        && model.AtDefaults(rows.Inputs[0].Shape[0]) <= (long)RowsPerStep * steps;

    /// <summary>
    /// The read of a parameter table that a product's left factor is, or null: a <see cref="Gather"/> of n rows
    /// (<c>[n, dim]</c>), or an <see cref="EmbeddingBag"/>'s row reshaped to <c>[1, dim]</c> (a vector on the left of
    /// <c>Dot</c>).
    /// </summary>
    private static Node? Rows(Node factor)
    {
        var rows = factor.Op is Reshape ? factor.Inputs[0] : factor;
        bool read = rows.Op switch
        {
            Gather => rows == factor,
            EmbeddingBag => factor.Shape.Equals(Shape.Of(Size.One, rows.Shape[0])),
            _ => false,
        };
        return read && rows.Inputs[0].Op is Parameter { Shape.Rank: 2 } ? rows : null;
    }

    /// <summary>The parameters a matched product reads: its table's and its matrix's.</summary>
    private static (int Table, int Weight) Key(Node product) =>
        (((Parameter)Rows(product.Inputs[0])!.Inputs[0].Op).Index, ((Parameter)product.Inputs[1].Op).Index);

    /// <summary>
    /// The Scan <paramref name="scanNode"/> rebuilt in <paramref name="builder"/> with the products each of its bodies
    /// matches read from table products computed before it (one per table and matrix, shared by both bodies).
    /// </summary>
    private static Node Rewrite(ModelSpec model, GraphBuilder builder, Node scanNode, Func<Node, Node> parameter, Dictionary<Node, Node> map)
    {
        var scan = (Scan)scanNode.Op;
        var tables = new Dictionary<(int Table, int Weight), Node>();
        Node Table(Node product)
        {
            if (!tables.TryGetValue(Key(product), out var table))
            {
                var (rows, weight) = (Rows(product.Inputs[0])!.Inputs[0], product.Inputs[1]);
                table = builder.At(rows.Origin + "·" + weight.Origin).MatMul(parameter(rows), parameter(weight), transposeA: false, transposeB: false, batched: false);
                tables.Add(Key(product), table);
            }

            return table;
        }

        var (body, bodyTables) = RewriteBody(scan.Body, scan.Body.Nodes.Where(n => Matches(model, n, scan.Loop.Steps)).ToList(), Table);
        var (first, firstTables) = scan.First is null
            ? (null, new List<Node>())
            : RewriteBody(scan.First, scan.First.Nodes.Where(n => Matches(model, n, scan.Loop.Steps)).ToList(), Table);

        // The inputs: the carried values' first values, then each body's captured values, its tables after them.
        var inputs = scanNode.Inputs.Select(i => map[i]).ToList();
        int carriedAndCaptured = scan.Body.Carried.Count + scan.Body.Captured.Count;
        inputs.InsertRange(carriedAndCaptured, bodyTables);
        inputs.AddRange(firstTables);
        return builder.Apply(new Scan(scan.Loop, body, first), scanNode.Origin, inputs);
    }

    /// <summary>
    /// <paramref name="body"/> with each of its <paramref name="products"/> read from the table product
    /// <paramref name="table"/> gives it, captured after the body's captured values (the tables returned, in the order
    /// of their capture leaves), and every node that only those products read dropped.
    /// </summary>
    private static (ScanBody Body, List<Node> Tables) RewriteBody(ScanBody body, IReadOnlyList<Node> products, Func<Node, Node> table)
    {
        // What only the products read goes; a node nothing read before (a draw left unused) stays, keeping the draws' order.
        var rewritten = new HashSet<Node>(products);
        var dropped = new HashSet<Node>(Live(body, new HashSet<Node>()));
        dropped.ExceptWith(Live(body, rewritten));
        var inner = new GraphBuilder();
        var innerMap = new Dictionary<Node, Node>();
        var tables = new List<Node>();
        var captures = new Dictionary<Node, Node>();
        foreach (var node in body.Nodes.Where(n => n.Op is ScanCarry or ScanCapture || !dropped.Contains(n)))
        {
            if (!rewritten.Contains(node))
            {
                innerMap[node] = inner.Apply(node.Op, node.Origin, node.Inputs.Select(i => innerMap[i]).ToList());
                continue;
            }

            var outer = table(node);
            if (!captures.TryGetValue(outer, out var leaf))
            {
                leaf = inner.Apply(new ScanCapture(body.Captured.Count + tables.Count, outer.Type), outer.Origin, Array.Empty<Node>());
                captures.Add(outer, leaf);
                tables.Add(outer);
            }

            var rows = Rows(node.Inputs[0])!;
            var at = inner.At(node.Origin);
            var read = at.Apply(rows.Op, leaf, innerMap[rows.Inputs[1]]);
            innerMap[node] = read.Shape.Equals(node.Shape) ? read : at.Reshape(read, node.Shape);
        }

        var rebuilt = new ScanBody(
            inner.Nodes,
            body.Carried.Select(n => innerMap[n]).ToList(),
            body.Captured.Select(n => innerMap[n]).Concat(tables.Select(t => captures[t])).ToList(),
            body.Next.Select(n => innerMap[n]).ToList(),
            body.Appended);
        return (rebuilt, tables);
    }

    /// <summary>The body's nodes its next values read where <paramref name="products"/> read their tables' products instead of their factors.</summary>
    private static HashSet<Node> Live(ScanBody body, ISet<Node> products)
    {
        var live = new HashSet<Node>();
        var pending = new Stack<Node>(body.Next);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (!live.Add(node))
            {
                continue;
            }

            var inputs = products.Contains(node) ? new[] { Rows(node.Inputs[0])!.Inputs[1] } : node.Inputs;
            foreach (var input in inputs)
            {
                pending.Push(input);
            }
        }

        return live;
    }
}
