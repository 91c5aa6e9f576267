using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Shapes;
using Graph.Generator.Optimization;
using Graph.Generator.Schedule;

namespace Graph.Generator.Planning;

/// <summary>The storage of every stored node of one compiled method, and the buffers it needs.</summary>
internal sealed class BufferPlan
{
    public BufferPlan(IReadOnlyDictionary<int, Storage> storage, IReadOnlyList<IReadOnlyList<Size>> batchBufferSizes, IReadOnlyList<IReadOnlyList<Size>> sharedBufferSizes, IReadOnlyList<(Node From, Storage To)> copies, IReadOnlyList<int> sparseGradients, IReadOnlyDictionary<(int Loop, int Index), Storage>? carries = null, IReadOnlyDictionary<int, int>? consumedProducts = null)
    {
        ConsumedProducts = consumedProducts ?? new Dictionary<int, int>();
        Carries = carries ?? new Dictionary<(int Loop, int Index), Storage>();
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
    /// The parameters whose gradient is one scatter (<see cref="ScatterAdd"/>, <see cref="ScatterAddOverSteps"/>) or
    /// a sum of scatters (<see cref="AddScattered"/>) computed in place: only the rows it lists are written (and later
    /// cleared and stepped), the rest of the gradient stays zero.
    /// </summary>
    public IReadOnlyList<int> SparseGradients { get; }

    /// <summary>The memory of each loop region's carried values, by region id and position.</summary>
    public IReadOnlyDictionary<(int Loop, int Index), Storage> Carries { get; }

    /// <summary>Outputs that could not be computed in place and are copied at the end.</summary>
    public IReadOnlyList<(Node From, Storage To)> Copies { get; }

    /// <summary>
    /// The products that may be handed to the loop reading them, by the product's id, with the loop's kernel index
    /// (<see cref="Planning.ConsumedProducts"/>): the product and the loop's result share a buffer.
    /// </summary>
    public IReadOnlyDictionary<int, int> ConsumedProducts { get; }
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
        var regions = LoopRegions.Of(graph.Nodes);

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
                case LoopSlice slice when node.Inputs[0].Op is IndexInput sequence:
                    storage[node.Id] = new Storage(StorageKind.IndexBuffer, sequence.Position, AtStep: new StepPosition(slice.Coefficient, slice.Offset));
                    break;
            }
        }

        // Bind outputs to the caller's memory where the value is computed by a kernel of this method outside any loop.
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
            if (computed.Contains(root.Id) && !storage.ContainsKey(root.Id) && root.Shape.Size.Equals(output.Node.Shape.Size) && regions.RegionOf(root) is null)
            {
                storage[root.Id] = target;
                if (root.Op is ScatterAdd or ScatterAddOverSteps or AddScattered && output.Kind == OutputKind.Gradient)
                {
                    sparse.Add(output.Index);
                }
            }
            else
            {
                copies.Add((output.Node, target));
            }
        }

        var loops = new LoopLifetimes(graph, kernels, regions);
        var lastUse = loops.LastUses();

        var batchSizes = new List<List<Size>>();
        var sharedSizes = new List<List<Size>>();
        var batchFreeAt = new List<int>();
        var sharedFreeAt = new List<int>();
        Storage Allocate(TensorType type, Size size, int start, int end, StepPart? step)
        {
            var sizes = type.Batched ? batchSizes : sharedSizes;
            var freeAt = type.Batched ? batchFreeAt : sharedFreeAt;
            int slot = freeAt.FindIndex(free => free < start);
            if (slot < 0)
            {
                slot = sizes.Count;
                sizes.Add(new List<Size>());
                freeAt.Add(0);
            }

            if (!sizes[slot].Contains(size))
            {
                sizes[slot].Add(size);
            }

            freeAt[slot] = end;
            return new Storage(type.Batched ? StorageKind.BatchBuffer : StorageKind.SharedBuffer, slot, Step: step);
        }

        // The sums of row-sparse tables and their parts not bound to a gradient: each in a table that only row-sparse
        // kernels write, shared by values of the same shape whose lifetimes do not overlap.
        var scatteredParts = new HashSet<int>(graph.Nodes.Where(n => n.Op is AddScattered).SelectMany(n => n.Inputs.Append(n)).Select(n => n.Id));
        var tablesFreeAt = new Dictionary<Shape, List<int>>();
        Storage AllocateTable(Shape shape, int start, int end)
        {
            if (!tablesFreeAt.TryGetValue(shape, out var freeAt))
            {
                tablesFreeAt[shape] = freeAt = new List<int>();
            }

            int slot = freeAt.FindIndex(free => free < start);
            if (slot < 0)
            {
                slot = freeAt.Count;
                freeAt.Add(0);
            }

            freeAt[slot] = end;
            return new Storage(StorageKind.ScatteredTable, slot, Table: shape);
        }

        var carries = new Dictionary<(int Loop, int Index), Storage>();
        var inPlace = loops.ComputedInPlace();
        var consumed = Planning.ConsumedProducts.Find(graph, kernels, regions);
        var consumedInto = consumed.ToDictionary(pair => kernels[pair.Value].Root.Id, pair => pair.Key);
        for (int k = 0; k < kernels.Count; k++)
        {
            var root = kernels[k].Root;
            if (root.Op is LoopBegin begin)
            {
                // Each carried value's memory, from the region's start to its last reader after the region.
                var end = loops.End(begin.Range.Id);
                for (int index = 0; index < end.Inputs.Count - 1; index++)
                {
                    var next = end.Inputs[index + 1];
                    var key = LoopLifetimes.CarryKey(begin.Range.Id, index);
                    carries[(begin.Range.Id, index)] = Allocate(next.Type, next.Shape.Size, k, lastUse[key], null);
                }

                continue;
            }

            if (root.Op is LoopEnd || storage.ContainsKey(root.Id))
            {
                continue;
            }

            int last = lastUse.TryGetValue(root.Id, out int use) ? use : k;
            if (inPlace.TryGetValue(root.Id, out var carried))
            {
                // A carried value's next value computed over it, element by element (an accumulator's sum).
                storage[root.Id] = carries[carried];
            }
            else if (scatteredParts.Contains(root.Id))
            {
                storage[root.Id] = AllocateTable(root.Shape, k, last);
            }
            else if (loops.Kept(root) is LoopRange kept)
            {
                // A value the reverse loop reads: one copy per step, its memory held from the loop's start.
                storage[root.Id] = Allocate(root.Type, root.Shape.Size * kept.Spec.Steps, loops.BeginAt(kept.Id), last, new StepPart(true, 0, Scheduler.Elements(root)));
            }
            else if (consumed.TryGetValue(root.Id, out int loop))
            {
                // A product its loop may take as it is computed: one buffer for both, from the product to the loop's
                // result's last reader.
                var result = kernels[loop].Root;
                storage[root.Id] = Allocate(root.Type, root.Shape.Size, k, lastUse.TryGetValue(result.Id, out int end) ? end : loop, null);
            }
            else if (consumedInto.TryGetValue(root.Id, out int product))
            {
                storage[root.Id] = storage[product];
            }
            else
            {
                storage[root.Id] = Allocate(root.Type, root.Shape.Size, k, last, null);
            }
        }

        foreach (var node in graph.Nodes)
        {
            switch (node.Op)
            {
                case LoopCarry carry:
                    storage[node.Id] = carries[(carry.Loop, carry.Index)];
                    break;
                case LoopResult result:
                    storage[node.Id] = carries[(((LoopEnd)node.Inputs[0].Op).Loop, result.Index)];
                    break;
            }
        }

        // Reshapes read and write their input's storage; a recalled value is read at its step's part, a value's rows over
        // a loop's steps at those steps' parts.
        foreach (var node in graph.Nodes)
        {
            if (node.Op is Reshape or StepBoundary)
            {
                storage[node.Id] = storage[AliasRoot(node).Id];
            }
            else if (node.Op is Recall recall)
            {
                var kept = storage[AliasRoot(node.Inputs[0]).Id];
                storage[node.Id] = kept.Step is { } part
                    ? kept with { Step = new StepPart(recall.Relative, recall.Offset, part.Elements) }
                    : regions.RegionOf(AliasRoot(node.Inputs[0])) is null
                        ? kept
                        : throw new LoopRegionException($"the value {node.Inputs[0]} a reverse loop reads is not kept for every step");
            }
            else if (node.Op is StepRow row)
            {
                // A step's rows of a value computed before the loop for every step.
                var all = storage[AliasRoot(node.Inputs[0]).Id];
                storage[node.Id] = all.Step is null && all.Kind == StorageKind.BatchBuffer
                    ? all with { Step = new StepPart(row.Relative, row.Offset - row.First, Scheduler.Elements(node)) }
                    : throw new LoopRegionException($"the rows of every step {node.Inputs[0]} are not in a buffer of their own");
            }
            else if (node.Op is StepRows rows)
            {
                var kept = storage[AliasRoot(node.Inputs[0]).Id];
                storage[node.Id] = kept.Step is { } part
                    ? kept with { Step = new StepPart(false, rows.First, part.Elements, rows.Count, rows.RunTime) }
                    : throw new LoopRegionException($"the value {node.Inputs[0]} a product reads at every step of a loop is not kept for every step");
            }
        }

        return new BufferPlan(storage, batchSizes.Select(s => (IReadOnlyList<Size>)s).ToList(), sharedSizes.Select(s => (IReadOnlyList<Size>)s).ToList(), copies, sparse, carries, consumed);
    }

    /// <summary>The node whose storage a value shares (itself unless it is a reshape or a step's carried value).</summary>
    public static Node AliasRoot(Node node)
    {
        while (node.Op is Reshape or StepBoundary)
        {
            node = node.Inputs[0];
        }

        return node;
    }
}
