using Graph.Generator.IR;
using Graph.Generator.IR.Ops;

namespace Graph.Generator.Optimization;

/// <summary>
/// Stage 5a'': a forward loop's input products as one product before the loop. A product in a forward region whose
/// left factor does not depend on the loop's carried values (<c>x_t·W</c>, <c>x_t</c> the step's embedded character)
/// and whose right factor comes from outside the loop is a product of m = batch rows per step, each reading all of W.
/// The work its left factor needs moves to a region of its own before the loop (same steps, nothing carried), which
/// keeps each step's value along a step axis; one product of m = steps × batch rows (<see cref="StepRows"/> times W)
/// follows it, and the loop reads its step's rows of that product (<see cref="StepRow"/>). A value of the moved work
/// that the loop or its reverse loop reads is read from the new region. Each element of a product is the same sum in
/// the same order whatever the number of rows (in double; float products are summed as their blocking gives), so the
/// results are unchanged. Work that draws random numbers stays where it is, keeping the order of the draws.
/// </summary>
internal static class LoopInputProducts
{
    public static Computation Run(Computation graph)
    {
        var regions = LoopRegions.Of(graph.Nodes);
        if (!regions.Any)
        {
            return graph;
        }

        var plans = new Dictionary<int, RegionPlan>();
        // A run-time step count leaves the rows of one product over the steps unknown at compile time: such a loop keeps its products.
        foreach (var begin in graph.Nodes.Where(n => n.Op is LoopBegin { Range.Backwards: false, Range.Spec.Count: null }))
        {
            if (Plan(graph, ((LoopBegin)begin.Op).Range, regions) is { } plan)
            {
                plans[plan.Range.Id] = plan;
            }
        }

        return plans.Count == 0 ? graph : Rebuild(graph, plans, regions);
    }

    /// <summary>
    /// What moves out of one forward region: its input products (<see cref="Products"/>) and the work their left
    /// factors need (<see cref="Moved"/>, in the graph's order).
    /// </summary>
    private sealed record RegionPlan(LoopRange Range, IReadOnlyList<Node> Products, IReadOnlyList<Node> Moved)
    {
        private readonly HashSet<Node> moved = new(Moved);

        public bool Moves(Node node) => moved.Contains(node);
    }

    private static RegionPlan? Plan(Computation graph, LoopRange range, LoopRegions regions)
    {
        var inRegion = graph.Nodes.Where(n => regions.RegionOf(n)?.Id == range.Id).ToList();
        bool Invariant(Node node) => (regions.RegionOf(node) is null && node.Op is not LoopBegin) || IsLeaf(node);
        var free = new HashSet<Node>();
        foreach (var node in inRegion)
        {
            if (!IsLeaf(node) && node.Op is not (LoopOp or DropoutMask) && node.Inputs.All(i => Invariant(i) || free.Contains(i)))
            {
                free.Add(node);
            }
        }

        // A value some other region reads of this one, other than through a Recall or StepRows, cannot move.
        var readAcross = new HashSet<Node>(graph.Nodes
            .Where(n => regions.RegionOf(n)?.Id != range.Id && n.Op is not (Recall or StepRows))
            .SelectMany(n => n.Inputs)
            .Where(i => regions.RegionOf(i)?.Id == range.Id));
        var recalled = new HashSet<Node>(graph.Nodes.Where(n => n.Op is Recall or StepRows).Select(n => n.Inputs[0]));

        var products = inRegion.Where(n =>
            n.Op is MatMul { TransposeA: false, Batched: true } && free.Contains(n) && !recalled.Contains(n) && !readAcross.Contains(n)
            && n.Inputs[0].Batched && n.Inputs[0].Shape.Rank == 2 && free.Contains(n.Inputs[0])
            && Invariant(n.Inputs[1]) && !n.Inputs[1].Batched).ToList();
        if (products.Count == 0)
        {
            return null;
        }

        var moved = new HashSet<Node>();
        var stack = new Stack<Node>(products.Select(p => p.Inputs[0]));
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (regions.RegionOf(node)?.Id == range.Id && !IsLeaf(node) && moved.Add(node))
            {
                foreach (var input in node.Inputs)
                {
                    stack.Push(input);
                }
            }
        }

        return moved.Any(readAcross.Contains) ? null : new RegionPlan(range, products, inRegion.Where(moved.Contains).ToList());
    }

    /// <summary>
    /// A parameter, constant or input: the same at every step, wherever the graph first names it (a parameter a loop
    /// reads first is named inside the loop's region).
    /// </summary>
    private static bool IsLeaf(Node node) => node.Inputs.Count == 0 && node.Op is not LoopOp;

    private static Computation Rebuild(Computation graph, Dictionary<int, RegionPlan> plans, LoopRegions regions)
    {
        int nextRegion = graph.Nodes.Where(n => n.Op is LoopBegin).Max(n => ((LoopBegin)n.Op).Range.Id) + 1;
        var builder = new GraphBuilder();
        var map = new Node?[graph.Nodes.Count];
        var movedTo = new Dictionary<Node, (Node Clone, int Region)>();
        var products = new Dictionary<Node, Node>();
        var recalls = new Dictionary<Node, Node>();
        Node Mapped(Node node) => map[node.Id] ?? throw new InvalidOperationException($"{node} was moved before its loop, yet is read there unmapped.");

        // A moved value read in its old region: the new region's copy at the step.
        Node Input(Node input, LoopRange? reader)
        {
            if (movedTo.TryGetValue(input, out var moved) && reader is not null && plans.TryGetValue(reader.Id, out var plan) && plan.Moves(input))
            {
                if (!recalls.TryGetValue(input, out var recall))
                {
                    recall = builder.Apply(new Recall(moved.Region, Relative: true, 0), input.Origin, new[] { moved.Clone });
                    recalls[input] = recall;
                }

                return recall;
            }

            return Mapped(input);
        }

        foreach (var node in graph.Nodes)
        {
            var region = regions.RegionOf(node);
            if (map[node.Id] is not null)
            {
                // A leaf the work before a region read first.
                continue;
            }

            if (node.Op is LoopBegin begin && plans.TryGetValue(begin.Range.Id, out var plan))
            {
                BeforeRegion(builder, plan, nextRegion++, node.Origin, map, movedTo, products);
            }

            if (region is not null && plans.TryGetValue(region.Id, out var own) && own.Moves(node))
            {
                continue;
            }

            if (products.TryGetValue(node, out var allSteps))
            {
                map[node.Id] = builder.Apply(new StepRow(region!.Id, Relative: true, 0, region.First, node.Shape), node.Origin, new[] { allSteps });
                continue;
            }

            if (node.Op is Recall recallOp && movedTo.TryGetValue(node.Inputs[0], out var target))
            {
                // A reverse loop's read of a moved value: the new region's copy.
                map[node.Id] = builder.Apply(recallOp with { Loop = target.Region }, node.Origin, new[] { target.Clone });
                continue;
            }

            map[node.Id] = builder.Apply(node.Op, node.Origin, node.Inputs.Select(i => Input(i, region)).ToList());
        }

        return new Computation(builder.Nodes, graph.Outputs.Select(o => o with { Node = Mapped(o.Node) }).ToList());
    }

    /// <summary>
    /// The region before region <paramref name="plan"/>: the moved work over the same steps, nothing carried; then each
    /// input product over the rows of every step.
    /// </summary>
    private static void BeforeRegion(GraphBuilder builder, RegionPlan plan, int id, string origin, Node?[] map, Dictionary<Node, (Node Clone, int Region)> movedTo, Dictionary<Node, Node> products)
    {
        var range = plan.Range with { Id = id };
        var begin = builder.Apply(new LoopBegin(range), origin + ", its input products' left factors,", Array.Empty<Node>());
        foreach (var node in plan.Moved)
        {
            var op = node.Op is LoopSlice slice ? slice with { Loop = id } : node.Op;
            var clone = builder.Apply(op, node.Origin, node.Inputs.Select(i => movedTo.TryGetValue(i, out var moved) ? moved.Clone : Outer(builder, i, map)).ToList());
            movedTo[node] = (clone, id);
        }

        builder.Apply(new LoopEnd(id), origin, new[] { begin });
        foreach (var product in plan.Products)
        {
            var factor = movedTo[product.Inputs[0]].Clone;
            var rows = builder.Apply(new StepRows(id, range.First, range.Last), factor.Origin, new[] { factor });
            products[product] = builder.Apply(product.Op, product.Origin, new[] { rows, Outer(builder, product.Inputs[1], map) });
        }
    }

    /// <summary>A value from outside the moved work: as rebuilt, or a leaf named first inside the region, named now.</summary>
    private static Node Outer(GraphBuilder builder, Node value, Node?[] map) =>
        map[value.Id] ??= IsLeaf(value)
            ? builder.Apply(value.Op, value.Origin, Array.Empty<Node>())
            : throw new InvalidOperationException($"{value} is read by the work moved before its loop before it is computed.");
}
