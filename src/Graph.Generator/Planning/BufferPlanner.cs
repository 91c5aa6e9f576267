using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Shapes;
using Graph.Generator.Optimization;

namespace Graph.Generator.Planning;

/// <summary>The storage of every stored node of one compiled method, and the buffers it needs.</summary>
internal sealed class BufferPlan
{
    public BufferPlan(IReadOnlyDictionary<int, Storage> storage, IReadOnlyList<IReadOnlyList<Size>> batchBufferSizes, IReadOnlyList<IReadOnlyList<Size>> sharedBufferSizes, IReadOnlyList<(Node From, Storage To)> copies, IReadOnlyList<int> sparseGradients)
    {
        SparseGradients = sparseGradients;
        StorageOf = storage;
        BatchBufferSizes = batchBufferSizes;
        SharedBufferSizes = sharedBufferSizes;
        Copies = copies;
    }

    /// <summary>Storage by node id, for every node that is read or written as memory (aliases resolved).</summary>
    public IReadOnlyDictionary<int, Storage> StorageOf { get; }

    /// <summary>Per-sample sizes of the batch buffers: each buffer holds the largest of the sizes listed for it.</summary>
    public IReadOnlyList<IReadOnlyList<Size>> BatchBufferSizes { get; }

    /// <summary>Sizes of the shared buffers: each buffer holds the largest of the sizes listed for it.</summary>
    public IReadOnlyList<IReadOnlyList<Size>> SharedBufferSizes { get; }

    /// <summary>
    /// The parameters whose gradient is one <see cref="ScatterAdd"/> computed in place: only the rows it lists
    /// are written (and later cleared and stepped), the rest of the gradient stays zero.
    /// </summary>
    public IReadOnlyList<int> SparseGradients { get; }

    /// <summary>Outputs that could not be computed in place and are copied at the end.</summary>
    public IReadOnlyList<(Node From, Storage To)> Copies { get; }
}

/// <summary>
/// Stage 5c: buffer planning. Outputs are computed directly into the caller's span or the parameter's gradient
/// array; every other stored value gets a buffer, and two values share a buffer when their lifetimes (from the
/// kernel that writes one to the last kernel that reads it) do not overlap. Buffers are allocated once, when the
/// model is built, and grown only for a larger batch.
/// </summary>
internal static class BufferPlanner
{
    public static BufferPlan Run(Computation graph, IReadOnlyList<Kernel> kernels)
    {
        var storage = new Dictionary<int, Storage>();
        var copies = new List<(Node, Storage)>();
        var sparse = new List<int>();

        foreach (var node in graph.Nodes)
        {
            switch (node.Op)
            {
                case Input input:
                    storage[node.Id] = new Storage(StorageKind.Input, input.Position);
                    break;
                case IndexInput input:
                    storage[node.Id] = new Storage(StorageKind.Input, input.Position);
                    break;
                case Parameter parameter:
                    storage[node.Id] = new Storage(StorageKind.ParameterValue, parameter.Index);
                    break;
                case Constant or BatchSize or SizeValue:
                    storage[node.Id] = new Storage(StorageKind.Inline, 0);
                    break;
                case PickIndex pick:
                    storage[node.Id] = new Storage(StorageKind.IndexBuffer, ((IndexInput)node.Inputs[0].Op).Position, pick.Position);
                    break;
            }
        }

        // Bind outputs to the caller's memory where the value is computed by a kernel of this method.
        var computed = new HashSet<int>(kernels.Select(k => k.Root.Id));
        foreach (var output in graph.Outputs)
        {
            var target = output.Kind switch
            {
                OutputKind.Result => new Storage(StorageKind.Output, 0),
                OutputKind.Gradient => new Storage(StorageKind.ParameterGradient, output.Index),
                _ => null,
            };
            if (target is null)
            {
                continue;
            }

            var root = AliasRoot(output.Node);
            if (computed.Contains(root.Id) && !storage.ContainsKey(root.Id) && root.Shape.Size.Equals(output.Node.Shape.Size))
            {
                storage[root.Id] = target;
                if (root.Op is ScatterAdd && output.Kind == OutputKind.Gradient)
                {
                    sparse.Add(output.Index);
                }
            }
            else
            {
                copies.Add((output.Node, target));
            }
        }

        // Lifetimes, in kernel positions, of the values that need a buffer.
        var lastUse = new Dictionary<int, int>();
        for (int k = 0; k < kernels.Count; k++)
        {
            foreach (var node in kernels[k].Fused.Append(kernels[k].Root))
            {
                foreach (var input in node.Inputs)
                {
                    lastUse[AliasRoot(input).Id] = k;
                }
            }
        }

        foreach (var output in graph.Outputs)
        {
            lastUse[AliasRoot(output.Node).Id] = kernels.Count;
        }

        var batchSizes = new List<List<Size>>();
        var sharedSizes = new List<List<Size>>();
        var batchFreeAt = new List<int>();
        var sharedFreeAt = new List<int>();
        for (int k = 0; k < kernels.Count; k++)
        {
            var root = kernels[k].Root;
            if (storage.ContainsKey(root.Id))
            {
                continue;
            }

            int end = lastUse.TryGetValue(root.Id, out int last) ? last : k;
            bool batched = root.Batched;
            var sizes = batched ? batchSizes : sharedSizes;
            var freeAt = batched ? batchFreeAt : sharedFreeAt;
            int slot = freeAt.FindIndex(free => free < k);
            if (slot < 0)
            {
                slot = sizes.Count;
                sizes.Add(new List<Size>());
                freeAt.Add(0);
            }

            if (!sizes[slot].Contains(root.Shape.Size))
            {
                sizes[slot].Add(root.Shape.Size);
            }

            freeAt[slot] = end;
            storage[root.Id] = new Storage(batched ? StorageKind.BatchBuffer : StorageKind.SharedBuffer, slot);
        }

        // Reshapes read and write their input's storage.
        foreach (var node in graph.Nodes.Where(n => n.Op is Reshape))
        {
            storage[node.Id] = storage[AliasRoot(node).Id];
        }

        return new BufferPlan(storage, batchSizes.Select(s => (IReadOnlyList<Size>)s).ToList(), sharedSizes.Select(s => (IReadOnlyList<Size>)s).ToList(), copies, sparse);
    }

    /// <summary>The node whose storage a value shares (itself unless it is a reshape).</summary>
    public static Node AliasRoot(Node node)
    {
        while (node.Op is Reshape)
        {
            node = node.Inputs[0];
        }

        return node;
    }
}
