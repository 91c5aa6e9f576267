using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Optimization;

namespace Graph.Generator.Planning;

/// <summary>
/// The products that may be handed to the elementwise loop reading them instead of stored
/// (<see cref="Schedule.ProductConsumers"/> decides at each step whether they are): a product over a depth of at most
/// <see cref="MaxDepth"/>, A untransposed, outside every loop region, neither an output nor
/// read twice; its only reader a later kernel that maps elements to elements (elementwise nodes only) over as many
/// elements, reading every other value it needs from kernels before the product, so that the loop can run where the
/// product is computed. The buffer planner gives the product and the loop's result one buffer, held from the product to
/// the result's last reader: the loop may then run at the product's place without overwriting anything the steps in
/// between read, and where it stays at its own place it runs over the product in place.
/// </summary>
internal static class ConsumedProducts
{
    /// <summary>The most depth of a product handed to its loop.</summary>
    public const int MaxDepth = 16;

    /// <summary>The consuming loop's kernel index, by the product's node id.</summary>
    public static Dictionary<int, int> Find(Computation graph, IReadOnlyList<Kernel> kernels, LoopRegions regions)
    {
        var kernelOf = new Dictionary<int, int>();
        for (int k = 0; k < kernels.Count; k++)
        {
            kernelOf[kernels[k].Root.Id] = k;
        }

        var readers = new Dictionary<int, List<(int Kernel, Node Node)>>();
        for (int k = 0; k < kernels.Count; k++)
        {
            foreach (var node in kernels[k].Fused.Append(kernels[k].Root))
            {
                foreach (var input in node.Inputs.Select(BufferPlanner.AliasRoot))
                {
                    if (!readers.TryGetValue(input.Id, out var list))
                    {
                        readers[input.Id] = list = new List<(int, Node)>();
                    }

                    list.Add((k, node));
                }
            }
        }

        var outputs = new HashSet<int>(graph.Outputs.Select(o => BufferPlanner.AliasRoot(o.Node).Id));
        var found = new Dictionary<int, int>();
        for (int kp = 0; kp < kernels.Count; kp++)
        {
            var product = kernels[kp].Root;
            if (product.Op is not MatMul { TransposeA: false } || outputs.Contains(product.Id) || regions.RegionOf(product) is not null
                || product.Inputs[0].Shape.Rank == 0 || product.Inputs[0].Shape[product.Inputs[0].Shape.Rank - 1] is not { IsConstant: true } depth
                || depth.Value > MaxDepth
                || !readers.TryGetValue(product.Id, out var read) || read.Count != 1)
            {
                continue;
            }

            var (kl, reader) = read[0];
            var loop = kernels[kl];
            var root = loop.Root;
            if (kl <= kp || outputs.Contains(root.Id) || regions.RegionOf(root) is not null
                || !loop.Fused.Append(root).All(n => n.Op is Elementwise)
                || !root.Shape.Size.Equals(product.Shape.Size) || root.Batched != product.Batched
                || !reader.Shape.Size.Equals(product.Shape.Size) || reader.Batched != product.Batched)
            {
                continue;
            }

            // Every other value the loop reads: a leaf, or computed by a kernel before the product.
            var inside = new HashSet<int>(loop.Fused.Append(root).Select(n => n.Id));
            bool ready = loop.Fused.Append(root)
                .SelectMany(n => n.Inputs)
                .Where(i => !inside.Contains(i.Id) && BufferPlanner.AliasRoot(i) != product)
                .Select(BufferPlanner.AliasRoot)
                .All(i => !kernelOf.TryGetValue(i.Id, out int k) || k < kp);
            if (ready)
            {
                found[product.Id] = kl;
            }
        }

        return found;
    }
}
