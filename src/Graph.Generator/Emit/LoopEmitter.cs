using System.Globalization;
using Graph.Generator.Schedule;
using Graph.Generator.Shapes;

namespace Graph.Generator.Emit;

/// <summary>
/// Prints a <see cref="LoopStep"/>: its loops (the innermost one, when vectorised, <see cref="System.Numerics.Vector{T}.Count"/>
/// elements at a time through <c>Runtime.Simd</c>, then the remainder), the fused values into locals, and the
/// result into its target; and a <see cref="TransposeStep"/>'s copy loops.
/// </summary>
internal sealed class LoopEmitter
{
    private readonly CodeWriter writer;
    private readonly ElementType type;
    private readonly MemoryNames names;
    private readonly ScalarPrinter printer;

    public LoopEmitter(CodeWriter writer, ElementType type, MemoryNames names)
    {
        this.writer = writer;
        this.type = type;
        this.names = names;
        printer = new ScalarPrinter(type);
    }

    public void Emit(LoopStep loop)
    {
        if (loop.ClearCount is Size clear)
        {
            writer.Line($"{names.Slice(loop.Target.Storage, "0", MemoryNames.Expression(clear))}.Clear();");
        }

        int scalarLoops = loop.Vectorised ? loop.Trips.Count - 1 : loop.Trips.Count;
        var closers = new List<IDisposable>();
        for (int d = 0; d < scalarLoops; d++)
        {
            string i = Index(d);
            closers.Add(writer.Block($"for (int {i} = 0; {i} < {MemoryNames.Expression(loop.Trips[d])}; {i}++)"));
        }

        if (loop.Vectorised)
        {
            EmitVectorised(loop);
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

    /// <summary>The scalar body: each fused value into a local, then the result's element.</summary>
    private void EmitBody(LoopStep loop)
    {
        foreach (var assignment in loop.Fused)
        {
            writer.Line($"{type.Name} {Temp(assignment.Temp)} = {Element(loop, assignment)};");
        }

        writer.Line($"{names.Of(loop.Target.Storage)}[{IndexOf(loop.Target)}] {(loop.Reduce ? "+=" : "=")} {Element(loop, loop.Result)};");
    }

    /// <summary>
    /// The innermost loop, <see cref="System.Numerics.Vector{T}.Count"/> elements at a time (operands that are
    /// contiguous along it are loaded, those constant along it are splatted), then the remainder one by one.
    /// </summary>
    private void EmitVectorised(LoopStep loop)
    {
        int last = loop.Trips.Count - 1;
        string i = Index(last);
        string size = MemoryNames.Expression(loop.Trips[last]);
        string lanes = $"global::System.Numerics.Vector<{type.Name}>.Count";
        string VectorTemp(int temp) => names.Local("v" + temp.ToString(CultureInfo.InvariantCulture));
        string Lanes(ElementAssignment assignment) => printer.Lanes(assignment.Template, a => assignment.Arguments[a] switch
        {
            TempValue temp => VectorTemp(temp.Temp),
            LoadValue load when loop.Operands[load.Operand].VectorLoad =>
                $"global::Graph.Runtime.Simd.Load<{type.Name}>({names.Of(loop.Operands[load.Operand].Storage)}, {IndexOf(loop.Operands[load.Operand])})",
            var value => $"global::Graph.Runtime.Simd.Splat<{type.Name}>({Value(loop, value)})",
        });

        using (loop.Trips.Count == 1 ? writer.Scope() : null)
        {
            writer.Line($"int {i} = 0;");
            using (writer.Block($"for (; {i} <= {size} - {lanes}; {i} += {lanes})"))
            {
                foreach (var assignment in loop.Fused)
                {
                    writer.Line($"var {VectorTemp(assignment.Temp)} = {Lanes(assignment)};");
                }

                writer.Line($"global::Graph.Runtime.Simd.Store<{type.Name}>({Lanes(loop.Result)}, {names.Of(loop.Target.Storage)}, {IndexOf(loop.Target)});");
            }

            using (writer.Block($"for (; {i} < {size}; {i}++)"))
            {
                EmitBody(loop);
            }
        }
    }

    /// <summary>Copies every sample's matrix transposed.</summary>
    public void EmitTranspose(TransposeStep step)
    {
        string rows = MemoryNames.Expression(step.Rows);
        string cols = MemoryNames.Expression(step.Columns);
        string size = MemoryNames.Expression(step.SampleSize);
        string from = names.Of(step.From);
        string to = names.Of(step.To);
        string samples = step.Batched ? "batch" : "1";
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

    private string Element(LoopStep loop, ElementAssignment assignment) =>
        printer.Element(assignment.Template, a => Value(loop, assignment.Arguments[a]));

    /// <summary>An operand's element at the loop's position, a fused value's local, or a value written inline.</summary>
    private string Value(LoopStep loop, LoopValue value) => value switch
    {
        TempValue temp => Temp(temp.Temp),
        LoadValue load => $"{names.Of(loop.Operands[load.Operand].Storage)}[{IndexOf(loop.Operands[load.Operand])}]",
        InlineValue inline => names.Inline(inline.Value, type),
        _ => throw new InvalidOperationException($"No C# form for the loop value {value}."),
    };

    private string Temp(int id) => names.Local("t" + id.ToString(CultureInfo.InvariantCulture));

    private string Index(int loop) => names.Local("i" + loop.ToString(CultureInfo.InvariantCulture));

    /// <summary>The element an operand is at: Σ loop index × stride over the loops it moves along.</summary>
    private string IndexOf(LoopOperand operand)
    {
        var terms = new List<string>();
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
