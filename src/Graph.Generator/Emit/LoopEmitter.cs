using System.Globalization;
using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Optimization;
using Graph.Generator.Planning;
using Graph.Generator.Shapes;

namespace Graph.Generator.Emit;

/// <summary>
/// Emits the loop of an elementwise or reduction kernel. The loop runs over the root's elements (a reduction:
/// over its input's) with the batch outermost; each stored operand is read through strides that are zero along
/// the axes it is broadcast over. Adjacent axes that every operand walks contiguously are merged, so the usual
/// case is one flat loop.
/// </summary>
internal sealed class LoopEmitter
{
    private readonly CodeWriter writer;
    private readonly ElementType type;
    private readonly MemoryNames names;
    private readonly BufferPlan plan;
    private readonly ScalarPrinter printer;

    public LoopEmitter(CodeWriter writer, ElementType type, MemoryNames names, BufferPlan plan)
    {
        this.writer = writer;
        this.type = type;
        this.names = names;
        this.plan = plan;
        printer = new ScalarPrinter(type);
    }

    public void Emit(Kernel kernel)
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

        string target = names.Of(plan.StorageOf[root.Id]);
        string Temp(Node node) => names.Local("t" + node.Id.ToString(CultureInfo.InvariantCulture));
        string Index(Node node) => IndexExpression(loops, strides[strided.IndexOf(node)], names);
        string Value(Node node) => fused.Contains(node.Id) ? Temp(node) : LeafValue(node, Index);

        if (reduce)
        {
            writer.Line($"{names.Slice(plan.StorageOf[root.Id], "0", SizeExpression(root))}.Clear();");
        }
        else if (TryEmitBufferCall(kernel, loops, strides[strided.IndexOf(root)], strided, strides))
        {
            return;
        }

        bool vectorise = !reduce && loops.Count > 0
            && kernel.Fused.Append(root).All(IsVectorisable)
            && strides.All(s => s[loops[loops.Count - 1].Axis].IsZero || s[loops[loops.Count - 1].Axis].IsOne)
            && strides[strided.IndexOf(root)][loops[loops.Count - 1].Axis].IsOne;
        int scalarLoops = vectorise ? loops.Count - 1 : loops.Count;

        var closers = new List<IDisposable>();
        for (int d = 0; d < scalarLoops; d++)
        {
            string i = names.Local("i" + d.ToString(CultureInfo.InvariantCulture));
            closers.Add(writer.Block($"for (int {i} = 0; {i} < {MemoryNames.Expression(loops[d].Size)}; {i}++)"));
        }

        if (vectorise)
        {
            EmitVectorised(kernel, loops, strided, strides, fused, Value, Temp);
        }
        else
        {
            EmitBody(kernel, reduce, target, Index(root), Value, Temp);
        }

        for (int c = closers.Count - 1; c >= 0; c--)
        {
            closers[c].Dispose();
        }
    }

    /// <summary>The scalar body: each fused value into a local, then the root's element.</summary>
    private void EmitBody(Kernel kernel, bool reduce, string target, string index, Func<Node, string> value, Func<Node, string> temp)
    {
        foreach (var node in kernel.Fused)
        {
            writer.Line($"{type.Name} {temp(node)} = {Compute(node, value)};");
        }

        var root = kernel.Root;
        writer.Line(reduce
            ? $"{target}[{index}] += {value(root.Inputs[0])};"
            : $"{target}[{index}] = {Compute(root, value)};");
    }

    /// <summary>
    /// The innermost loop, <see cref="System.Numerics.Vector{T}.Count"/> elements at a time (operands that are
    /// contiguous along it are loaded, those constant along it are splatted), then the remainder one by one.
    /// </summary>
    private void EmitVectorised(Kernel kernel, List<Loop> loops, List<Node> strided, List<Size[]> strides, HashSet<int> fused,
        Func<Node, string> scalarValue, Func<Node, string> scalarTemp)
    {
        var root = kernel.Root;
        int last = loops.Count - 1;
        string i = names.Local("i" + last.ToString(CultureInfo.InvariantCulture));
        string size = MemoryNames.Expression(loops[last].Size);
        string lanes = $"global::System.Numerics.Vector<{type.Name}>.Count";
        string Index(Node node) => IndexExpression(loops, strides[strided.IndexOf(node)], names);
        string VectorTemp(Node node) => names.Local("v" + node.Id.ToString(CultureInfo.InvariantCulture));
        string VectorValue(Node node)
        {
            if (fused.Contains(node.Id))
            {
                return VectorTemp(node);
            }

            int position = strided.IndexOf(node);
            return position >= 0 && strides[position][loops[last].Axis].IsOne
                ? $"global::Graph.Runtime.Simd.Load<{type.Name}>({names.Of(plan.StorageOf[node.Id])}, {Index(node)})"
                : $"global::Graph.Runtime.Simd.Splat<{type.Name}>({LeafValue(node, Index)})";
        }

        using (loops.Count == 1 ? writer.Scope() : null)
        {
            writer.Line($"int {i} = 0;");
            using (writer.Block($"for (; {i} <= {size} - {lanes}; {i} += {lanes})"))
            {
                foreach (var node in kernel.Fused)
                {
                    writer.Line($"var {VectorTemp(node)} = {ComputeVector(node, VectorValue)};");
                }

                writer.Line($"global::Graph.Runtime.Simd.Store<{type.Name}>({ComputeVector(root, VectorValue)}, {names.Of(plan.StorageOf[root.Id])}, {Index(root)});");
            }

            using (writer.Block($"for (; {i} < {size}; {i}++)"))
            {
                EmitBody(kernel, reduce: false, names.Of(plan.StorageOf[root.Id]), Index(root), scalarValue, scalarTemp);
            }
        }
    }

    /// <summary>
    /// A lone transcendental function over a whole contiguous buffer becomes one vectorised runtime call
    /// (<c>Kernels.Tanh</c>, ...), which evaluates the function many elements at a time.
    /// </summary>
    private bool TryEmitBufferCall(Kernel kernel, List<Loop> loops, Size[] rootStrides, List<Node> strided, List<Size[]> strides)
    {
        var root = kernel.Root;
        string? function = root.Op is Elementwise elementwise ? elementwise.BufferKernel : null;
        var input = root.Inputs[0];
        int position = strided.IndexOf(input);
        if (function is null || kernel.Fused.Count > 0 || loops.Count != 1 || position < 0
            || !rootStrides[loops[0].Axis].IsOne || !strides[position][loops[0].Axis].IsOne)
        {
            return false;
        }

        string size = MemoryNames.Expression(loops[0].Size);
        writer.Line($"global::Graph.Runtime.Kernels.{function}<{type.Name}>({names.Slice(plan.StorageOf[input.Id], "0", size)}, {names.Slice(plan.StorageOf[root.Id], "0", size)});");
        return true;
    }

    /// <summary>The value of an operand that is not computed in the loop: a literal, a count, or a stored element.</summary>
    private string LeafValue(Node node, Func<Node, string> index) => plan.StorageOf[node.Id].Kind == StorageKind.Inline
        ? InlineValue(node)
        : $"{names.Of(plan.StorageOf[node.Id])}[{index(node)}]";

    /// <summary>The value of a leaf written inline: a literal, the batch size, or a count of the model's sizes.</summary>
    public string InlineValue(Node node) => node.Op switch
    {
        Constant constant => type.Literal(constant.Value),
        BatchSize => names.Local("batchSize"),
        SizeValue size => type.Convert(MemoryNames.Expression(size.Extent)),
        _ => throw new InvalidOperationException($"{node} is not written inline."),
    };

    /// <summary>Whether the vectorised loop has the operation: a lanewise template (the transcendental functions stay scalar inside a chain).</summary>
    private static bool IsVectorisable(Node node) => node.Op is Elementwise elementwise && elementwise.Template(node.Inputs.Count).IsLanewise;

    private string ComputeVector(Node node, Func<Node, string> value) =>
        printer.Lanes(((Elementwise)node.Op).Template(node.Inputs.Count), i => value(node.Inputs[i]));

    /// <summary>Copies every sample's matrix transposed.</summary>
    public void EmitTranspose(Node root)
    {
        var input = root.Inputs[0];
        string rows = MemoryNames.Expression(input.Shape[0]);
        string cols = MemoryNames.Expression(input.Shape[1]);
        string size = MemoryNames.Expression(input.Shape.Size);
        string from = names.Of(plan.StorageOf[input.Id]);
        string to = names.Of(plan.StorageOf[root.Id]);
        string samples = root.Batched ? "batch" : "1";
        string s = names.Local("sample");
        string r = names.Local("row");
        string c = names.Local("column");
        using (writer.Block($"for (int {s} = 0; {s} < {samples}; {s}++)"))
        using (writer.Block($"for (int {r} = 0; {r} < {rows}; {r}++)"))
        using (writer.Block($"for (int {c} = 0; {c} < {cols}; {c}++)"))
        {
            writer.Line($"{to}[({s} * {size}) + ({c} * {rows}) + {r}] = {from}[({s} * {size}) + ({r} * {cols}) + {c}];");
        }
    }

    /// <summary>The number of elements a node holds for the current batch, as an expression.</summary>
    public static string SizeExpression(Node node) => MemoryNames.Expression(node.Batched ? Size.Batch * node.Shape.Size : node.Shape.Size);

    private string Compute(Node node, Func<Node, string> value) =>
        printer.Element(((Elementwise)node.Op).Template(node.Inputs.Count), i => value(node.Inputs[i]));

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

    private static string IndexExpression(List<Loop> loops, Size[] strides, MemoryNames names)
    {
        var terms = new List<string>();
        for (int d = 0; d < loops.Count; d++)
        {
            var stride = strides[loops[d].Axis];
            string i = names.Local("i" + d.ToString(CultureInfo.InvariantCulture));
            if (stride.IsOne)
            {
                terms.Add(i);
            }
            else if (!stride.IsZero)
            {
                terms.Add($"({i} * {MemoryNames.Expression(stride)})");
            }
        }

        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }

    /// <summary>One loop: the innermost original axis it covers (whose strides it steps by) and its trip count.</summary>
    private sealed record Loop(int Axis, Size Size);
}
