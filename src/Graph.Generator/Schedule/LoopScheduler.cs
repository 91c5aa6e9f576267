using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Optimization;
using Graph.Generator.Planning;
using Graph.Generator.Shapes;

namespace Graph.Generator.Schedule;

/// <summary>
/// Plans the loop of an elementwise or reduction kernel. The loop runs over the root's elements (a reduction: over
/// its input's) with the batch outermost; each stored operand is read through strides that are zero along the axes it
/// is broadcast over. Adjacent axes that every operand walks contiguously are merged, so the usual case is one flat
/// loop. A loop of lanewise templates whose operands are contiguous or constant along its innermost axis is
/// vectorised; a lone op with a buffer kernel over a contiguous buffer is one call of that kernel. A nest that can hold
/// many elements splits across threads (<see cref="LoopSplit"/>) by its outer loop, or a single loop by fixed chunks,
/// unless that loop is one a reduction sums along.
/// </summary>
internal static class LoopScheduler
{
    /// <summary>The least elements a loop nest of known size needs to be split across threads.</summary>
    public const int MinSplitElements = 32 * 1024;

    /// <summary>
    /// The least elements a nest over the batch or named sizes needs per unit of them to be split: below it the
    /// nest stays on one thread whatever the sizes, which keeps small loops plain.
    /// </summary>
    public const int MinSplitElementsPerUnit = 1024;

    /// <summary>The iterations of a chunk of a single split loop: a multiple of every vector width, so that each
    /// chunk but the last runs whole vectors and the elements take the same path as in one loop.</summary>
    public const int SplitChunk = 4096;

    /// <param name="masks">The packed dropout masks, by node id, with their kept elements' value (<see cref="PackedMasks"/>): read through <c>Simd.PackedMask</c>, never by a buffer kernel.</param>
    public static Step Plan(StepSource source, Kernel kernel, BufferPlan plan, IReadOnlyDictionary<int, double> masks)
    {
        var root = kernel.Root;
        bool reduce = root.Op is ReduceSum;
        var space = reduce ? root.Inputs[0] : root;
        var fused = new HashSet<int>(kernel.Fused.Select(n => n.Id));

        var operands = new List<Node>();
        foreach (var node in kernel.Fused.Append(root))
        {
            foreach (var input in node.Inputs)
            {
                if (!fused.Contains(input.Id) && plan.StorageOf[input.Id].Kind != StorageKind.Inline && !operands.Contains(input))
                {
                    operands.Add(input);
                }
            }
        }

        var dims = new List<Size>();
        if (space.Batched)
        {
            dims.Add(Size.Batch);
        }

        dims.AddRange(space.Shape.Dims);
        var strided = operands.Append(root).ToList();
        var strides = strided.Select(n => Strides(n, space, dims.Count)).ToList();
        var loops = Merge(dims, strides);
        var rootStrides = strides[strided.Count - 1];

        if (!reduce && !root.Inputs.Any(input => masks.ContainsKey(input.Id)) && BufferCall(source, kernel, loops, rootStrides, strided, strides, plan) is CallStep call)
        {
            return call;
        }

        // A sum vectorises where its innermost loop runs along its result (a sum over the rows of a matrix, such as a
        // bias's gradient over the batch): each lane is one element of the result, summed in the order the scalar loop
        // sums it, so the vectors change no bit. A sum along the innermost loop would add across lanes instead.
        bool vectorise = loops.Count > 0
            && (reduce ? kernel.Fused : kernel.Fused.Append(root)).All(node => Template(node).HasLanes)
            && strides.All(s => s[loops[loops.Count - 1].Axis].IsZero || s[loops[loops.Count - 1].Axis].IsOne)
            && rootStrides[loops[loops.Count - 1].Axis].IsOne;

        LoopOperand Operand(int position) => new(
            plan.StorageOf[strided[position].Id],
            loops.Select(l => strides[position][l.Axis]).ToList(),
            loops.Count > 0 && strides[position][loops[loops.Count - 1].Axis].IsOne,
            masks.TryGetValue(strided[position].Id, out double scale) ? scale : null);

        LoopValue Value(Node node) =>
            fused.Contains(node.Id) ? new TempValue(node.Id)
            : plan.StorageOf[node.Id].Kind == StorageKind.Inline ? new InlineValue(Scheduler.Inline(node))
            : new LoadValue(operands.IndexOf(node));

        ElementAssignment Assignment(Node node) => new(node.Id, Template(node), node.Inputs.Select(Value).ToList());

        var trips = loops.Select(l => l.Size).ToList();
        var target = Operand(strided.Count - 1);
        var operandList = Enumerable.Range(0, operands.Count).Select(Operand).ToList();
        return new LoopStep(
            source,
            trips,
            operandList,
            kernel.Fused.Select(Assignment).ToList(),
            reduce ? new ElementAssignment(root.Id, new ScalarOperand(0), new[] { Value(root.Inputs[0]) }) : Assignment(root),
            target,
            reduce,
            reduce ? Scheduler.Elements(root) : null,
            vectorise,
            Split(trips, target, operandList));
    }

    /// <summary>
    /// The split of a nest across threads: none for a nest too small to pay for it, one over index buffers, or one
    /// whose outer loop a reduction sums along (its partial sums would depend on the split); else the outer loop's
    /// iterations, or fixed chunks of a single loop. A nest over a loop step's part of a buffer stays on one thread (its
    /// part moves with the step, which the parts' struct does not hold).
    /// </summary>
    private static LoopSplit? Split(IReadOnlyList<Size> trips, LoopOperand target, IReadOnlyList<LoopOperand> operands)
    {
        if (trips.Count == 0 || target.Strides[0].IsZero || operands.Append(target).Any(o => o.Storage.Kind == StorageKind.IndexBuffer || o.Storage.Step is not null))
        {
            return null;
        }

        var elements = trips.Aggregate(Size.One, (product, trip) => product * trip);
        if (elements.IsConstant ? elements.Value < MinSplitElements : elements.Coefficient < MinSplitElementsPerUnit)
        {
            return null;
        }

        if (trips.Count == 1)
        {
            return trips[0].IsConstant && trips[0].Value <= SplitChunk ? null : new LoopSplit(trips[0], SplitChunk, Size.Of(SplitChunk));
        }

        var inner = trips.Skip(1).Aggregate(Size.One, (product, trip) => product * trip);
        return trips[0].IsOne ? null : new LoopSplit(trips[0], null, inner);
    }

    private static Scalar Template(Node node) => ((Elementwise)node.Op).Template(node.Inputs.Count);

    /// <summary>
    /// A lone elementwise op with a buffer kernel (<c>Kernels.Tanh</c>) over a whole contiguous buffer: one call,
    /// which evaluates the function many elements at a time.
    /// </summary>
    private static CallStep? BufferCall(StepSource source, Kernel kernel, List<Loop> loops, Size[] rootStrides, List<Node> strided, List<Size[]> strides, BufferPlan plan)
    {
        var root = kernel.Root;
        string? function = root.Op is Elementwise elementwise ? elementwise.BufferKernel : null;
        var input = root.Inputs[0];
        int position = strided.IndexOf(input);
        if (function is null || kernel.Fused.Count > 0 || loops.Count != 1 || position < 0
            || !rootStrides[loops[0].Axis].IsOne || !strides[position][loops[0].Axis].IsOne)
        {
            return null;
        }

        var size = loops[0].Size;
        return new CallStep(source, new Invocation(function, Generic: true, new Argument[] { new SpanArgument(plan.StorageOf[input.Id], size), new SpanArgument(plan.StorageOf[root.Id], size) }));
    }

    /// <summary>The stride of <paramref name="node"/> along each axis of the loop space (batch first when batched); zero where it is broadcast.</summary>
    private static Size[] Strides(Node node, Node space, int axes)
    {
        var strides = Enumerable.Repeat(Size.Zero, axes).ToArray();
        int offset = space.Batched ? 1 : 0;
        if (space.Batched && node.Batched)
        {
            strides[0] = node.Shape.Size;
        }

        var stride = Size.One;
        for (int i = node.Shape.Rank - 1; i >= 0; i--)
        {
            int axis = space.Shape.Rank - (node.Shape.Rank - i);
            strides[offset + axis] = node.Shape[i].IsOne ? Size.Zero : stride;
            stride *= node.Shape[i];
        }

        return strides;
    }

    private static List<Loop> Merge(List<Size> dims, List<Size[]> strides)
    {
        var loops = new List<Loop>();
        for (int axis = 0; axis < dims.Count; axis++)
        {
            if (dims[axis].IsOne)
            {
                continue;
            }

            if (loops.Count > 0)
            {
                var outer = loops[loops.Count - 1];
                if (strides.All(s => s[outer.Axis].Equals(s[axis] * dims[axis])))
                {
                    loops[loops.Count - 1] = new Loop(axis, outer.Size * dims[axis]);
                    continue;
                }
            }

            loops.Add(new Loop(axis, dims[axis]));
        }

        return loops;
    }

    /// <summary>One loop: the innermost original axis it covers (whose strides it steps by) and its trip count.</summary>
    private sealed record Loop(int Axis, Size Size);
}
