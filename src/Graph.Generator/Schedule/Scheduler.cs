using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Pipeline;
using Graph.Generator.Planning;
using Graph.Generator.Shapes;
using Graph.Generator.Spec;

namespace Graph.Generator.Schedule;

/// <summary>
/// Stage 6: turns each compiled method (its optimised graph, kernels and buffer plan) into typed steps and the model
/// into the layouts its methods share. Every decision the generated code embodies is taken here: which kernel runs
/// each node and with which arguments, how a matrix product folds the batch, which loops are merged and vectorised,
/// which weight updates a training step fuses into which product, and which buffers the methods share.
/// </summary>
internal static class Scheduler
{
    public static ModelSchedule Run(ModelSpec model, IReadOnlyList<CompiledEntry> entries)
    {
        var methods = entries.Select(e => Method(model, e)).ToList();
        var sparse = new HashSet<int>(entries.SelectMany(e => e.Plan.SparseGradients));
        var parameters = model.Parameters.Select((p, i) => new ParameterLayout(Shape.Parse(p.Shape), sparse.Contains(i))).ToList();
        var indexBuffers = entries
            .SelectMany(e => e.Plan.StorageOf.Values
                .Where(s => s.Kind == StorageKind.IndexBuffer)
                .Select(s => new IndexBufferLayout(e.Function.Inputs[s.Index].Name, s.Position, s.AtStep)))
            .Distinct()
            .OrderBy(b => b.Input, StringComparer.Ordinal)
            .ThenBy(b => b.AtStep is not null)
            .ThenBy(b => b.Position)
            .ThenBy(b => b.AtStep?.Coefficient ?? 0)
            .ThenBy(b => b.AtStep?.Offset ?? 0)
            .ToList();
        var scatteredTables = entries
            .SelectMany(e => e.Plan.StorageOf.Values.Where(s => s.Kind == StorageKind.ScatteredTable))
            .Select(s => new ScatteredTableLayout(s.Table!, s.Index))
            .Distinct()
            .OrderBy(t => t.Table.ToString(), StringComparer.Ordinal)
            .ThenBy(t => t.Index)
            .ToList();
        return new ModelSchedule(
            parameters,
            Shared(entries, e => e.Plan.BatchBufferSizes),
            Shared(entries, e => e.Plan.SharedBufferSizes),
            indexBuffers,
            methods,
            scatteredTables);
    }

    /// <summary>The elements a value holds for the current batch.</summary>
    public static Size Elements(Node node) => node.Batched ? Size.Batch * node.Shape.Size : node.Shape.Size;

    /// <summary>A leaf written inline, as an operand.</summary>
    public static Operand Inline(Node node) => node.Op switch
    {
        Constant constant => new LiteralOperand(constant.Value),
        BatchSize => new BatchSizeOperand(),
        SizeValue size => new CountOperand(size.Extent),
        _ => throw new InvalidOperationException($"{node} is not written inline."),
    };

    /// <summary>Buffer i of the model serves buffer i of every method: it holds the largest size any of them needs.</summary>
    private static IReadOnlyList<BufferLayout> Shared(IReadOnlyList<CompiledEntry> entries, Func<CompiledEntry, IReadOnlyList<IReadOnlyList<Size>>> sizesOf)
    {
        var sizes = new List<List<Size>>();
        var users = new List<List<string>>();
        foreach (var entry in entries)
        {
            var plan = sizesOf(entry);
            for (int i = 0; i < plan.Count; i++)
            {
                if (i == sizes.Count)
                {
                    sizes.Add(new List<Size>());
                    users.Add(new List<string>());
                }

                sizes[i].AddRange(plan[i].Where(size => !sizes[i].Contains(size)));
                users[i].Add(entry.Kind == EntryKind.Backward ? "Backward" : entry.Function.Name);
            }
        }

        return sizes.Select((s, i) => new BufferLayout(s, users[i])).ToList();
    }

    private static MethodSchedule Method(ModelSpec model, CompiledEntry entry)
    {
        var plan = entry.Plan;
        var gemms = entry.Kernels.Where(k => k.Root.Op is MatMul).ToDictionary(k => k.Root.Id, k => GemmScheduler.Plan(k.Root, plan, model.ElementType));
        var fusion = entry.Kind == EntryKind.Backward
            ? UpdateFusion.Plan(model, entry, root => root.Op is MatMul ? !gemms[root.Id].PerSample : root.Op is KernelOp op && op.StepCall(root) is not null)
            : null;

        var masks = PackedMasks.Find(model, entry);
        var addedToSum = ProductsAddedToSums(entry);
        var consumedAt = new Dictionary<int, int>();
        var summed = new HashSet<Node>();
        var steps = new List<Step>();
        var current = steps;
        var open = new Stack<(List<Step> Outer, Node Begin)>();
        var topLevelStepOfKernel = new int[entry.Kernels.Count];
        for (int k = 0; k < entry.Kernels.Count; k++)
        {
            var kernel = entry.Kernels[k];
            var root = kernel.Root;
            var source = Source(root);
            if (addedToSum.TryGetValue(root.Id, out var sum) && !gemms[root.Id].PerSample)
            {
                // sum = sum + product, as one product added to the sum's memory.
                var sumSource = new StepSource(sum.Id, sum.Type, sum.Op.Describe(sum), sum.Origin);
                current.Add(new GemmStep(sumSource, gemms[root.Id] with { C = new GemmOperand(plan.StorageOf[sum.Id], null), AddsToC = true }));
                summed.Add(sum);
                topLevelStepOfKernel[k] = steps.Count - 1;
                continue;
            }

            if (summed.Contains(root))
            {
                topLevelStepOfKernel[k] = steps.Count - 1;
                continue;
            }

            switch (root.Op)
            {
                case LoopBegin begin:
                    // The carried values' first values into their memory, then the region's steps in a block of their own.
                    for (int index = 0; index < root.Inputs.Count; index++)
                    {
                        AddCopy(current, plan, root.Inputs[index], plan.Carries[(begin.Range.Id, index)]);
                    }

                    open.Push((current, root));
                    current = new List<Step>();
                    break;
                case LoopEnd end:
                    for (int index = 0; index < root.Inputs.Count - 1; index++)
                    {
                        AddCopy(current, plan, root.Inputs[index + 1], plan.Carries[(end.Loop, index)]);
                    }

                    var (outer, beginNode) = open.Pop();
                    outer.Add(new LoopBlockStep(new StepSource(beginNode.Id, beginNode.Type, beginNode.Op.Describe(beginNode), beginNode.Origin), ((LoopBegin)beginNode.Op).Range, current));
                    current = outer;
                    break;
                default:
                    int? updated = fusion is not null && fusion.ParameterOfKernelRoot.TryGetValue(root.Id, out int p) ? p : null;
                    if (consumedAt.TryGetValue(k, out int consumedStep))
                    {
                        // This loop took its product's elements where the product was computed.
                        topLevelStepOfKernel[k] = consumedStep;
                        continue;
                    }

                    if (root.Op is MatMul && updated is null && plan.ConsumedProducts.TryGetValue(root.Id, out int consumer)
                        && LoopScheduler.Plan(Source(entry.Kernels[consumer].Root), entry.Kernels[consumer], plan, masks) is LoopStep loop
                        && ProductConsumers.Operand(gemms[root.Id], loop) is int operand)
                    {
                        // The product's elements go to the loop that reads them as they are computed: it is never stored.
                        current.Add(new ConsumedProductStep(source, gemms[root.Id], loop, operand));
                        consumedAt[consumer] = steps.Count - 1;
                        break;
                    }

                    Step step = root.Op switch
                    {
                        MatMul => new GemmStep(source, gemms[root.Id], updated),
                        DropoutMask when masks.ContainsKey(root.Id) => new CallStep(source, Resolve(((KernelOp)root.Op).Call(root), plan, null, model.PhiloxDropout) with { Kernel = "DropoutMaskPacked" }, Note: "packed: only loops read it, through Simd.PackedMask (one bit per element for double, the values for float)"),
                        KernelOp op => new CallStep(source, Resolve(op.Call(root), plan, null, model.PhiloxDropout), updated is int q ? Resolve(op.StepCall(root)!, plan, q, model.PhiloxDropout) : null, updated),
                        _ => LoopScheduler.Plan(source, kernel, plan, masks),
                    };
                    if (entry.Kind == EntryKind.Backward && root.Op is DropoutMask && step is CallStep maskCall
                        && MaskConsumer(entry, k + 1, consumedAt, plan, masks) is LoopStep applying
                        && MaskConsumers.Takes(plan.StorageOf[root.Id], Elements(root), applying))
                    {
                        // The loop right after the mask takes each chunk of it as soon as it is drawn.
                        current.Add(new ConsumedMaskStep(source, maskCall, applying));
                        consumedAt[k + 1] = steps.Count - 1;
                        break;
                    }

                    current.Add(step);
                    break;
            }

            topLevelStepOfKernel[k] = steps.Count - 1;
        }

        foreach (var (from, to) in plan.Copies)
        {
            var storage = plan.StorageOf[from.Id];
            var value = storage.Kind == StorageKind.Inline ? Inline(from) : new StoredOperand(storage);
            steps.Add(new CopyStep(new StepSource(from.Id, from.Type, from.Op.Describe(from), from.Origin), value, to, Elements(from)));
        }

        var function = entry.Function;
        var lossOutput = entry.Graph.Outputs.FirstOrDefault(o => o.Kind == OutputKind.Loss);
        Operand? loss = lossOutput is null ? null : Value(plan, lossOutput.Node);
        var result = entry.Kind == EntryKind.Forward ? entry.Graph.Outputs[0].Node.Type : null;
        var gradients = entry.Graph.Outputs.Where(o => o.Kind == OutputKind.Gradient).Select(o => o.Index).ToList();
        var predictionOutput = entry.Graph.Outputs.FirstOrDefault(o => o.Kind == OutputKind.Prediction);
        var prediction = predictionOutput is null ? null : new PredictionLayout(Value(plan, predictionOutput.Node), predictionOutput.Node.Type, predictionOutput.Node.Origin);
        return new MethodSchedule(
            entry.Kind,
            function.Name,
            function.Inputs.Select((input, i) => Input(entry, input, i)).ToList(),
            result,
            entry.Graph.Nodes.Any(n => n.Op is BatchSize),
            steps,
            loss,
            fusion is { LossKernel: >= 0 } ? topLevelStepOfKernel[fusion.LossKernel] : -1,
            gradients,
            fusion is null ? Array.Empty<ParameterUpdate>() : UpdateFusion.Sites(steps, gradients, p => plan.SparseGradients.Contains(p)),
            function.SumReduction,
            prediction);
    }

    /// <summary>
    /// Kernel <paramref name="k"/>'s loop, where it is a loop that could take a mask drawn just before it: an
    /// elementwise kernel that no product has already taken; else null.
    /// </summary>
    private static LoopStep? MaskConsumer(CompiledEntry entry, int k, Dictionary<int, int> consumedAt, BufferPlan plan, IReadOnlyDictionary<int, double> masks)
    {
        if (k >= entry.Kernels.Count || consumedAt.ContainsKey(k) || entry.Kernels[k].Root.Op is not Elementwise)
        {
            return null;
        }

        var kernel = entry.Kernels[k];
        return LoopScheduler.Plan(Source(kernel.Root), kernel, plan, masks) as LoopStep;
    }

    /// <summary>What a step computing <paramref name="node"/> says of it in its comment.</summary>
    private static StepSource Source(Node node) => new(node.Id, node.Type, node.Op.Describe(node), node.Origin);

    /// <summary>
    /// The products a loop adds to a running sum computed in place (<c>dW = dW + hᵀ·d</c>, an accumulator of a reverse
    /// loop), by the product's id, with the sum they become: a product for the whole batch read only by the sum, the
    /// kernel right after it, which adds nothing else to the sum's own memory.
    /// </summary>
    private static Dictionary<int, Node> ProductsAddedToSums(CompiledEntry entry)
    {
        var plan = entry.Plan;
        var readers = new Dictionary<int, int>();
        foreach (var node in entry.Kernels.SelectMany(k => k.Fused.Append(k.Root)))
        {
            foreach (var input in node.Inputs)
            {
                readers[input.Id] = readers.TryGetValue(input.Id, out int n) ? n + 1 : 1;
            }
        }

        var outputs = new HashSet<int>(entry.Graph.Outputs.Select(o => o.Node.Id));
        var found = new Dictionary<int, Node>();
        for (int k = 0; k + 1 < entry.Kernels.Count; k++)
        {
            var product = entry.Kernels[k].Root;
            var sum = entry.Kernels[k + 1].Root;
            if (product.Op is MatMul && sum.Op is Add && entry.Kernels[k + 1].Fused.Count == 0 && readers.TryGetValue(product.Id, out int read) && read == 1 && !outputs.Contains(product.Id)
                && sum.Inputs.Contains(product) && sum.Type.Equals(product.Type) && !product.Batched
                && plan.StorageOf.TryGetValue(sum.Id, out var into) && into.Step is null
                && sum.Inputs.First(i => i != product) is var running && running.Type.Equals(sum.Type)
                && plan.StorageOf.TryGetValue(BufferPlanner.AliasRoot(running).Id, out var runningStorage) && runningStorage == into)
            {
                found[product.Id] = sum;
            }
        }

        return found;
    }

    /// <summary>Copies a value into <paramref name="to"/>, unless it was computed there.</summary>
    private static void AddCopy(List<Step> steps, BufferPlan plan, Node from, Storage to)
    {
        var storage = plan.StorageOf[BufferPlanner.AliasRoot(from).Id];
        if (storage != to)
        {
            var value = storage.Kind == StorageKind.Inline ? Inline(BufferPlanner.AliasRoot(from)) : new StoredOperand(storage);
            steps.Add(new CopyStep(new StepSource(from.Id, from.Type, from.Op.Describe(from), from.Origin), value, to, Elements(from), Carried: true));
        }
    }

    /// <summary>A value read once the steps ran: a constant inline, else its storage.</summary>
    private static Operand Value(BufferPlan plan, Node node) =>
        node.Op is Constant constant ? new LiteralOperand(constant.Value) : new StoredOperand(plan.StorageOf[BufferPlanner.AliasRoot(node).Id]);

    /// <summary>An argument's layout; an index input's bounds are the rows (and classes) of every table (and one-hot) its indices reach, directly or through a pick.</summary>
    private static InputLayout Input(CompiledEntry entry, InputSpec input, int position)
    {
        if (input.StepCount)
        {
            // A forward region that ends at the count needs the steps before it, and its reverse region the one more it
            // leaves to the unrolled steps after it; one rule for every entry of the method, whichever pass it runs.
            int min = entry.Graph.Nodes
                .Select(n => n.Op is LoopBegin { Range: var range } && range.Spec.Count == input.Name ? range.First + (range.Backwards ? 0 : 1) : 1)
                .DefaultIfEmpty(1)
                .Max();
            return new InputLayout(input.Name, Shape.Scalar, Indices: false, Count: null, Padded: false, Array.Empty<Size>(), new StepCountRange(min, input.MaxSteps));
        }

        if (!input.Indices)
        {
            return new InputLayout(input.Name, Shape.Parse(input.Shape), Indices: false, Count: null, Padded: false, Array.Empty<Size>());
        }

        bool IsFrom(Node indices)
        {
            var source = indices.Op is PickIndex or LoopSlice ? indices.Inputs[0] : indices;
            return source.Op is IndexInput index && index.Position == position;
        }

        var bounds = entry.Graph.Nodes
            .SelectMany(n => n.Op.IndexBounds(n))
            .Where(b => IsFrom(b.Indices))
            .Select(b => b.Rows)
            .Distinct()
            .ToList();
        var count = input.VariableLength ? null : Size.Parse(input.Shape[0]);
        return new InputLayout(input.Name, count is null ? Shape.Scalar : Shape.Of(count), Indices: true, count, input.Padded, bounds);
    }

    /// <summary>A kernel call with each value resolved to its storage; <paramref name="parameter"/> is the parameter a fused step updates.</summary>
    /// <param name="philox">Whether the model draws its dropout masks from Philox4x32 rather than numpy's stream.</param>
    private static Invocation Resolve(KernelCall call, BufferPlan plan, int? parameter, bool philox)
    {
        Argument Resolve(KernelArgument argument) => argument switch
        {
            ValueArgument { Exact: true } value => new SpanArgument(plan.StorageOf[value.Value.Id], Elements(value.Value)),
            ValueArgument value => new StorageArgument(plan.StorageOf[value.Value.Id], value.Written),
            IR.StepPositionArgument position => new StepPositionArgument(position.Coefficient, position.Offset, position.Unit),
            IR.RunTimeStepsArgument steps => new RunTimeStepsArgument(steps.Steps),
            IR.CountArgument count => new CountArgument(count.Size),
            IR.FlagArgument flag => new FlagArgument(flag.Value),
            IR.RealArgument real => new RealArgument(real.Value),
            IR.RandomArgument => new RandomArgument(philox),
            TouchedRowsArgument rows => new RowsArgument(plan.StorageOf[rows.Value.Id] is { Kind: StorageKind.ParameterGradient or StorageKind.ScatteredTable } storage ? storage : null),
            UpdatedParameterArgument => new StorageArgument(new Storage(StorageKind.ParameterValue, parameter!.Value), Written: true),
            IR.LearningRateArgument => new LearningRateArgument(),
            _ => throw new InvalidOperationException($"No resolution for the kernel argument {argument}."),
        };

        return new Invocation(call.Kernel, call.Generic, call.Arguments.Select(Resolve).ToList(), call.WhenNotTraining);
    }
}
