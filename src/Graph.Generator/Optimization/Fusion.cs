using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Shapes;

namespace Graph.Generator.Optimization;

/// <summary>One loop or kernel call of a compiled method: a root node and the elementwise nodes fused into it.</summary>
internal sealed class Kernel
{
    public Kernel(Node root, IReadOnlyList<Node> fused)
    {
        Root = root;
        Fused = fused;
    }

    /// <summary>The node whose value the kernel stores.</summary>
    public Node Root { get; }

    /// <summary>Elementwise producers computed inside the root's loop, in evaluation order; never stored.</summary>
    public IReadOnlyList<Node> Fused { get; }
}

/// <summary>
/// Stage 5b: groups nodes into kernels. An elementwise node with one user, whose loop runs over the same elements,
/// is computed inside that user's loop instead of being stored (a chain such as <c>(a - b) * (a - b) * 0.5</c> or
/// <c>g * (1 - y²)</c> becomes one loop; <c>Sum(Square(x))</c> one reduction loop). Matrix products, transposes,
/// reductions and every value used twice or returned are stored. Constants are written inline; reshapes share
/// their input's storage; inputs and parameters are read where they live. Nothing is fused across a loop region's
/// boundary, and a loop's carried values and kept values are read where the loop keeps them.
/// </summary>
internal static class Fusion
{
    public static IReadOnlyList<Kernel> Run(Computation graph)
    {
        var users = new int[graph.Nodes.Count];
        foreach (var node in graph.Nodes)
        {
            foreach (var input in node.Inputs)
            {
                users[input.Id]++;
            }
        }

        foreach (var output in graph.Outputs)
        {
            users[output.Node.Id] += 2;
        }

        // A value is computed in the loop region it belongs to: once per step inside, once outside.
        var regions = LoopRegions.Of(graph.Nodes);
        var inlined = new bool[graph.Nodes.Count];
        foreach (var node in graph.Nodes)
        {
            foreach (var input in node.Inputs)
            {
                if (users[input.Id] == 1 && input.Op is Elementwise && LoopsOverSameElements(node, input) && regions.RegionOf(node) == regions.RegionOf(input))
                {
                    inlined[input.Id] = true;
                }
            }
        }

        var kernels = new List<Kernel>();
        foreach (var node in graph.Nodes)
        {
            if (inlined[node.Id] || node.Op is Leaf or Reshape or StepBoundary or LoopCarry or LoopResult or Recall or StepRows or StepRow)
            {
                continue;
            }

            var fused = new List<Node>();
            Collect(node, inlined, fused);
            kernels.Add(new Kernel(node, fused));
        }

        return kernels;
    }

    /// <summary>Whether <paramref name="user"/>'s loop visits exactly the elements of <paramref name="input"/>.</summary>
    private static bool LoopsOverSameElements(Node user, Node input) => user.Op switch
    {
        ReduceSum => true,
        Elementwise => user.Batched == input.Batched
            && user.Shape.Size.Equals(input.Shape.Size)
            && ShapeRules.BroadcastsTo(input.Shape, user.Shape),
        _ => false,
    };

    private static void Collect(Node node, bool[] inlined, List<Node> fused)
    {
        foreach (var input in node.Inputs)
        {
            if (inlined[input.Id] && !fused.Contains(input))
            {
                Collect(input, inlined, fused);
                fused.Add(input);
            }
        }
    }
}
