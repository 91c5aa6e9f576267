using System.Globalization;
using Graph.Generator.Schedule;
using Graph.Generator.Shapes;

namespace Graph.Generator.Emit;

/// <summary>
/// Prints a <see cref="LoopStep"/>: its loops (the innermost one, when vectorised, <see cref="System.Numerics.Vector{T}.Count"/>
/// elements at a time through <c>Runtime.Simd</c>, then the remainder), the fused values into locals, and the
/// result into its target; and a split nest as a struct that <c>ParallelLoop</c> runs in parts.
/// </summary>
internal sealed class LoopEmitter
{
    private readonly CodeWriter writer;
    private readonly ElementType type;
    private readonly MemoryNames names;
    private readonly ScalarPrinter printer;
    private readonly string structPrefix;

    /// <summary>The model's arrays that the vectorised loop being printed reads through local spans, by storage.</summary>
    private readonly Dictionary<Planning.Storage, string> spans = new();

    /// <summary>While a product's consumer is printed: the operand that is the product, and the parameter holding its element.</summary>
    private (int Operand, string Name)? product;

    /// <summary>The locals of the operands the vectorised body being printed loads once (see <see cref="EmitVectorBody"/>).</summary>
    private readonly Dictionary<int, string> loadedOnce = new();

    /// <param name="structPrefix">What the names of the method's split loops' structs start with (the method's name).</param>
    public LoopEmitter(CodeWriter writer, ElementType type, MemoryNames names, string structPrefix)
    {
        this.writer = writer;
        this.type = type;
        this.names = names;
        this.structPrefix = structPrefix;
        printer = new ScalarPrinter(type);
    }

    /// <param name="ownScope">Whether the nest is printed alone in a block of its own (a local function's body), so its locals need no scope.</param>
    public void Emit(LoopStep loop, bool ownScope = false)
    {
        if (loop.ClearCount is Size clear)
        {
            writer.Line($"{names.Slice(loop.Target.Storage, "0", MemoryNames.Expression(clear))}.Clear();");
        }

        if (loop.Split is LoopSplit split)
        {
            EmitSplit(loop, split);
            return;
        }

        EmitNest(loop, null, ownScope);
    }

    /// <summary>
    /// The nest; with <paramref name="range"/>, its outer loop (scalar or vectorised) runs only over
    /// <c>[From, To)</c>.
    /// </summary>
    private void EmitNest(LoopStep loop, (string From, string To)? range, bool ownScope = false)
    {
        int scalarLoops = loop.Vectorised ? loop.Trips.Count - 1 : loop.Trips.Count;
        var closers = new List<IDisposable>();
        for (int d = 0; d < scalarLoops; d++)
        {
            string i = Index(d);
            closers.Add(d == 0 && range is { } bounds
                ? writer.Block($"for (int {i} = {bounds.From}; {i} < {bounds.To}; {i}++)")
                : writer.Block($"for (int {i} = 0; {i} < {MemoryNames.Expression(loop.Trips[d])}; {i}++)"));
        }

        if (loop.Vectorised)
        {
            EmitVectorised(loop, scalarLoops == 0 ? range : null, ownScope);
        }
        else
        {
            EmitBody(loop);
        }

        for (int c = closers.Count - 1; c >= 0; c--)
        {
            closers[c].Dispose();
        }
    }

    /// <summary>
    /// A nest split across threads: a <c>ref struct</c> member of the model holds what the nest reads and writes under
    /// the names the nest uses and runs a range of its items; here it is filled and handed to the runtime's
    /// <c>ParallelLoop</c>, which runs parts of the range on the pool's threads when the nest is large enough.
    /// </summary>
    private void EmitSplit(LoopStep loop, LoopSplit split)
    {
        string local = DeclareSplit(loop, split, "run in parts by <c>ParallelLoop</c>",
            $"split across threads by {(split.Chunk is null ? "the iterations of its outer loop" : "fixed chunks")}: each element is computed as on one thread");
        string items = split.Chunk is int size
            ? $"({MemoryNames.Expression(split.Items)} + {(size - 1).ToString(CultureInfo.InvariantCulture)}) / {size.ToString(CultureInfo.InvariantCulture)}"
            : MemoryNames.Expression(split.Items);
        writer.Line($"global::Graph.Runtime.ParallelLoop.Run(ref {local}, {items}, {MemoryNames.Expression(split.ItemElements)});");
    }

    /// <summary>
    /// The loop of a <see cref="ConsumedMaskStep"/>, split by fixed chunks, as the loop its mask's kernel runs a chunk
    /// at a time: declared and filled as <see cref="EmitSplit"/> does, and the name of its type, of the local holding
    /// it and its chunk returned for the mask's call.
    /// </summary>
    public (string Type, string Local, int Chunk) EmitMaskConsumer(ConsumedMaskStep step)
    {
        var loop = step.Consumer;
        var split = loop.Split ?? throw new InvalidOperationException($"The loop of %{loop.Source.Id} takes a mask but is not split.");
        int chunk = split.Chunk ?? throw new InvalidOperationException($"The loop of %{loop.Source.Id} takes a mask but is not split by chunks.");
        string mask = step.Source.Id.ToString(CultureInfo.InvariantCulture);
        string local = DeclareSplit(loop, split, $"run a chunk at a time by the kernel that draws the mask %{mask}",
            $"the mask %{mask} is handed to this loop as it is drawn: each chunk of {chunk.ToString(CultureInfo.InvariantCulture)} elements runs on the thread that drew it, as soon as it is drawn");
        return (StructName(loop), local, chunk);
    }

    private string StructName(LoopStep loop) => structPrefix + "Loop" + loop.Source.Id.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A split nest's <c>ref struct</c> member (what the nest reads and writes, and a <c>Run</c> over a range of its
    /// items, which <paramref name="runner"/> calls), and here, under <paramref name="comment"/>, the local filled with
    /// this method's memory; returns the local's name.
    /// </summary>
    private string DeclareSplit(LoopStep loop, LoopSplit split, string runner, string comment)
    {
        string typeName = StructName(loop);
        string start = names.Local("start");
        string end = names.Local("end");
        var fields = Fields(loop, loop.Trips.Skip(split.Chunk is null ? 1 : 0));

        var member = new CodeWriter();
        member.Line($"/// <summary>The loop of %{loop.Source.Id.ToString(CultureInfo.InvariantCulture)}, {(split.Chunk is int c ? $"in chunks of {c.ToString(CultureInfo.InvariantCulture)} iterations" : "by the iterations of its outer loop")}, {runner}.</summary>");
        using (member.Block($"private ref struct {typeName} : global::Graph.Runtime.IParallelLoop"))
        {
            foreach (var (fieldType, field, _) in fields)
            {
                member.Line($"public {fieldType} {field};");
            }

            member.Line();
            member.Line(CompiledAlone);
            using (member.Block($"public void Run(int {start}, int {end})"))
            {
                var inner = new LoopEmitter(member, type, names, structPrefix);
                if (split.Chunk is int chunk)
                {
                    string stop = names.Local("stop");
                    string size = chunk.ToString(CultureInfo.InvariantCulture);
                    member.Line($"int {stop} = global::System.Math.Min({end} * {size}, {MemoryNames.Expression(loop.Trips[0])});");
                    inner.EmitNest(loop, ($"{start} * {size}", stop));
                }
                else
                {
                    inner.EmitNest(loop, (start, end));
                }
            }
        }

        writer.AddMember(member.ToString());
        string local = names.Local("loop" + loop.Source.Id.ToString(CultureInfo.InvariantCulture));
        writer.Line($"// {comment}");
        writer.Line($"var {local} = new {typeName} {{ {string.Join(", ", fields.Select(f => $"{f.Field} = {f.Value}"))} }};");
        return local;
    }

    /// <summary>
    /// The loop of a <see cref="ConsumedProductStep"/> as the consumer of the product's elements: a <c>ref struct</c>
    /// member of the model implementing <c>IProductConsumer</c>, whose two <c>Take</c> methods are the loop's vectorised
    /// and scalar bodies at the element the product hands them, with the product's element in place of the load of its
    /// operand; here it is filled, and the name of its type and of the local holding it are returned for the product's
    /// call.
    /// </summary>
    public (string Type, string Local) EmitConsumer(ConsumedProductStep step)
    {
        var loop = step.Consumer;
        string id = loop.Source.Id.ToString(CultureInfo.InvariantCulture);
        string typeName = structPrefix + "ProductLoop" + id;
        string index = Index(0);
        string element = names.Local("product");
        product = (step.ProductOperand, element);
        var fields = Fields(loop, Array.Empty<Size>(), arraysAsSpans: true);
        var member = new CodeWriter();
        member.Line($"/// <summary>The loop of %{id}, taking the product %{step.Source.Id.ToString(CultureInfo.InvariantCulture)} element by element as <c>GemmInto</c> computes it.</summary>");
        using (member.Block($"private ref struct {typeName} : global::Graph.Runtime.IProductConsumer<{type.Name}>"))
        {
            foreach (var (fieldType, field, _) in fields)
            {
                member.Line($"public {fieldType} {field};");
            }

            var inner = new LoopEmitter(member, type, names, structPrefix) { product = product };
            member.Line();
            member.Line(Inlined);
            using (member.Block($"public void Take(int {index}, global::System.Numerics.Vector<{type.Name}> {element})"))
            {
                inner.EmitVectorBody(loop);
            }

            member.Line();
            member.Line(Inlined);
            using (member.Block($"public void Take(int {index}, {type.Name} {element})"))
            {
                inner.EmitBody(loop);
            }
        }

        product = null;
        writer.AddMember(member.ToString());
        string local = names.Local("consumer" + id);
        writer.Line($"var {local} = new {typeName} {{ {string.Join(", ", fields.Select(f => $"{f.Field} = {f.Value}"))} }};");
        return (typeName, local);
    }

    /// <summary>
    /// The attribute of a split nest's <c>Run</c>: a method of its own, which the JIT compiles with the runtime's small
    /// helpers (<c>Simd.Load</c>, <c>Simd.Store</c>) inlined. Inlined into <c>ParallelLoop</c>'s part runner instead, a
    /// long body exhausts the runner's inlining budget and leaves those helpers as calls at every vector.
    /// </summary>
    private const string CompiledAlone = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]";

    /// <summary>The attribute of a consumer's methods, which the product's kernel calls at every vector.</summary>
    private const string Inlined = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]";

    /// <summary>
    /// The fields of a split nest's or a consumer's struct, named as the nest's code names them (<c>this.batchBuffer0</c>
    /// reads the struct's <c>batchBuffer0</c>), with the value each is filled from: every storage (but a consumed
    /// product's), the batch, the batch size and the named sizes it uses (of <paramref name="trips"/>, the trip counts
    /// its code bounds itself by). With <paramref name="arraysAsSpans"/> the model's arrays are held as spans: a
    /// consumer's body runs at every vector, and read from an array field each load converted the array to a span
    /// again (N4's tanh derivative inside <c>GemmInto</c> took 7.3-7.5 µs so, 5.4-5.6 with spans).
    /// </summary>
    private List<(string Type, string Field, string Value)> Fields(LoopStep loop, IEnumerable<Size> trips, bool arraysAsSpans = false)
    {
        var fields = new List<(string Type, string Field, string Value)>();
        var read = loop.Operands.Where((_, i) => product?.Operand != i).Select(o => o.Storage);
        foreach (var storage in read.Append(loop.Target.Storage).Distinct())
        {
            string name = names.Of(storage);
            string fieldType = storage.Kind switch
            {
                Planning.StorageKind.Input => $"global::System.ReadOnlySpan<{type.Name}>",
                Planning.StorageKind.Output => $"global::System.Span<{type.Name}>",
                _ when arraysAsSpans => $"global::System.Span<{type.Name}>",
                _ => type.Name + "[]",
            };
            fields.Add((fieldType, name.StartsWith("this.", StringComparison.Ordinal) ? name.Substring(5) : name, name));
        }

        var values = loop.Fused.Append(loop.Result).SelectMany(a => a.Arguments).OfType<InlineValue>().Select(v => v.Value).ToList();
        var sizes = trips
            .Concat(loop.Operands.Append(loop.Target).SelectMany(o => o.Strides))
            .Concat(values.OfType<CountOperand>().Select(c => c.Size));
        foreach (string symbol in sizes.SelectMany(s => s.Symbols).Distinct().OrderBy(s => s, StringComparer.Ordinal))
        {
            fields.Add(symbol == Size.BatchSymbol ? ("int", "batch", "batch") : ("int", MemoryNames.SizeField(symbol), "this." + MemoryNames.SizeField(symbol)));
        }

        if (values.OfType<BatchSizeOperand>().Any())
        {
            string batchSize = names.Local("batchSize");
            fields.Add((type.Name, batchSize, batchSize));
        }

        return fields;
    }

    /// <summary>The scalar body: each fused value into a local, then the result's element.</summary>
    private void EmitBody(LoopStep loop)
    {
        foreach (var assignment in loop.Fused)
        {
            writer.Line($"{type.Name} {Temp(assignment.Temp)} = {Element(loop, assignment)};");
        }

        writer.Line($"{ArrayOf(loop.Target.Storage)}[{IndexOf(loop.Target)}] {(loop.Reduce ? "+=" : "=")} {Element(loop, loop.Result)};");
    }

    /// <summary>
    /// The innermost loop, <see cref="System.Numerics.Vector{T}.Count"/> elements at a time (operands that are
    /// contiguous along it are loaded, those constant along it are splatted), then the remainder one by one.
    /// </summary>
    private void EmitVectorised(LoopStep loop, (string From, string To)? range, bool ownScope)
    {
        int last = loop.Trips.Count - 1;
        string i = Index(last);
        string size = range?.To ?? MemoryNames.Expression(loop.Trips[last]);
        string lanes = $"global::System.Numerics.Vector<{type.Name}>.Count";

        using (loop.Trips.Count == 1 && !ownScope ? writer.Scope() : null)
        {
            // The model's arrays as local spans: read once, not at every vector (a field of the model or of a split
            // loop's struct is loaded again after each store, and its length checked).
            var declarations = new List<string>();
            foreach (var storage in loop.Operands.Select(o => o.Storage).Append(loop.Target.Storage).Distinct().Where(IsModelArray))
            {
                string array = names.Array(storage);
                string local = names.Local(array.Substring("this.".Length));
                declarations.Add($"{local} = {array}");
                spans[storage] = local;
            }

            if (declarations.Count > 0)
            {
                writer.Line($"global::System.Span<{type.Name}> {string.Join(", ", declarations)};");
            }

            writer.Line($"int {i} = {range?.From ?? "0"};");
            using (writer.Block($"for (; {i} <= {size} - {lanes}; {i} += {lanes})"))
            {
                EmitVectorBody(loop);
            }

            using (writer.Block($"for (; {i} < {size}; {i}++)"))
            {
                EmitBody(loop);
            }

            spans.Clear();
        }
    }

    /// <summary>
    /// The vectorised body: each operand the body reads more than once loaded once into a local (y in 1 − y², which the
    /// JIT would load again at each use: N4's tanh derivative inside <c>GemmInto</c> took 8.1-8.3 µs so, 7.3-7.4 loaded
    /// once), each fused value's lanes into a local, then the result's lanes.
    /// </summary>
    private void EmitVectorBody(LoopStep loop)
    {
        foreach (int operand in RepeatedLoads(loop))
        {
            string local = names.Local("load" + operand.ToString(CultureInfo.InvariantCulture));
            writer.Line($"var {local} = {VectorLoad(loop, operand)};");
            loadedOnce[operand] = local;
        }

        foreach (var assignment in loop.Fused)
        {
            writer.Line($"var {VectorTemp(assignment.Temp)} = {Lanes(loop, assignment)};");
        }

        string result = loop.Reduce
            ? $"global::Graph.Runtime.Simd.Load<{type.Name}>({ArrayOf(loop.Target.Storage)}, {IndexOf(loop.Target)}) + {Lanes(loop, loop.Result)}"
            : Lanes(loop, loop.Result);
        writer.Line($"global::Graph.Runtime.Simd.Store<{type.Name}>({result}, {ArrayOf(loop.Target.Storage)}, {IndexOf(loop.Target)});");
        loadedOnce.Clear();
    }

    /// <summary>The operands that the vectorised body loads (contiguous along the loop, not the consumed product) at more than one use, in order.</summary>
    private IEnumerable<int> RepeatedLoads(LoopStep loop)
    {
        var uses = new int[loop.Operands.Count];
        foreach (var assignment in loop.Fused.Append(loop.Result))
        {
            printer.Lanes(assignment.Template, a =>
            {
                if (assignment.Arguments[a] is LoadValue load && loop.Operands[load.Operand].VectorLoad && product?.Operand != load.Operand)
                {
                    uses[load.Operand]++;
                }

                return string.Empty;
            });
        }

        return Enumerable.Range(0, uses.Length).Where(operand => uses[operand] > 1);
    }

    /// <summary>An assignment's lanes: operands contiguous along the loop loaded (or their local, where loaded once),
    /// others splatted, the consumed product's lanes as they were computed.</summary>
    private string Lanes(LoopStep loop, ElementAssignment assignment) => printer.Lanes(assignment.Template, a => assignment.Arguments[a] switch
    {
        TempValue temp => VectorTemp(temp.Temp),
        LoadValue load when product is { } consumed && consumed.Operand == load.Operand => consumed.Name,
        LoadValue load when loadedOnce.TryGetValue(load.Operand, out string? local) => local,
        LoadValue load when loop.Operands[load.Operand].VectorLoad => VectorLoad(loop, load.Operand),
        var value => $"global::Graph.Runtime.Simd.Splat<{type.Name}>({Value(loop, value)})",
    });

    /// <summary>The lanes of an operand contiguous along the loop: loaded, or read from a packed mask.</summary>
    private string VectorLoad(LoopStep loop, int operand) => loop.Operands[operand] is { MaskScale: double scale } mask
        ? $"global::Graph.Runtime.Simd.PackedMask<{type.Name}>({ArrayOf(mask.Storage)}, {IndexOf(mask)}, {type.Literal(scale)})"
        : $"global::Graph.Runtime.Simd.Load<{type.Name}>({ArrayOf(loop.Operands[operand].Storage)}, {IndexOf(loop.Operands[operand])})";

    private string VectorTemp(int temp) => names.Local("v" + temp.ToString(CultureInfo.InvariantCulture));

    /// <summary>Whether a storage is one of the model's arrays of elements (not a caller's span, an index buffer or a
    /// step's part of an array).</summary>
    private static bool IsModelArray(Planning.Storage storage) =>
        storage.Step is null && storage.Kind is Planning.StorageKind.BatchBuffer or Planning.StorageKind.SharedBuffer
            or Planning.StorageKind.ParameterValue or Planning.StorageKind.ParameterGradient;

    /// <summary>What the loop being printed names a storage's array by: its local span where it has one.</summary>
    private string ArrayOf(Planning.Storage storage) => spans.TryGetValue(storage, out string? local) ? local : names.Array(storage);

    private string Element(LoopStep loop, ElementAssignment assignment) =>
        printer.Element(assignment.Template, a => Value(loop, assignment.Arguments[a]));

    /// <summary>An operand's element at the loop's position, a fused value's local, or a value written inline.</summary>
    private string Value(LoopStep loop, LoopValue value) => value switch
    {
        TempValue temp => Temp(temp.Temp),
        LoadValue load when product is { } consumed && consumed.Operand == load.Operand => consumed.Name,
        LoadValue load when loop.Operands[load.Operand] is { MaskScale: double scale } mask =>
            $"global::Graph.Runtime.Simd.PackedMaskElement<{type.Name}>({ArrayOf(mask.Storage)}, {IndexOf(mask)}, {type.Literal(scale)})",
        LoadValue load => $"{ArrayOf(loop.Operands[load.Operand].Storage)}[{IndexOf(loop.Operands[load.Operand])}]",
        InlineValue inline => names.Inline(inline.Value, type),
        _ => throw new InvalidOperationException($"No C# form for the loop value {value}."),
    };

    private string Temp(int id) => names.Local("t" + id.ToString(CultureInfo.InvariantCulture));

    private string Index(int loop) => names.Local("i" + loop.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// The element an operand is at: Σ loop index × stride over the loops it moves along, after the start of its step's
    /// part of its buffer where it is one.
    /// </summary>
    private string IndexOf(LoopOperand operand)
    {
        var terms = new List<string>();
        if (operand.Storage.Step is not null)
        {
            terms.Add($"({names.StepStart(operand.Storage)})");
        }

        for (int d = 0; d < operand.Strides.Count; d++)
        {
            var stride = operand.Strides[d];
            if (stride.IsOne)
            {
                terms.Add(Index(d));
            }
            else if (!stride.IsZero)
            {
                terms.Add($"({Index(d)} * {MemoryNames.Expression(stride)})");
            }
        }

        return terms.Count == 0 ? "0" : string.Join(" + ", terms);
    }
}
