using Graph.Generator.IR.Ops;
using Graph.Generator.Planning;
using Graph.Generator.Schedule;
using Graph.Generator.Spec;

namespace Graph.Generator.Emit;

/// <summary>The C# names generated code uses for each kind of storage.</summary>
internal sealed class MemoryNames
{
    private readonly ModelSpec model;
    private readonly IReadOnlyList<string> inputNames;
    private readonly string outputName;
    private readonly string elementType;

    public MemoryNames(ModelSpec model, IReadOnlyList<string> inputNames, string outputName)
    {
        this.model = model;
        elementType = model.ElementType;
        this.inputNames = inputNames;
        this.outputName = outputName;
    }

    public static string ValueField(ParameterSpec parameter) => "value" + parameter.Name;

    public static string GradientField(ParameterSpec parameter) => "gradient" + parameter.Name;

    /// <summary>The field holding the <c>SparseRows</c> of a parameter whose gradient is row-sparse.</summary>
    public static string RowsField(ParameterSpec parameter) => "rows" + parameter.Name;

    public static string BatchBuffer(int index) => "batchBuffer" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Table <paramref name="index"/> of those of shape <paramref name="table"/> holding a row-sparse part of a
    /// gradient: <c>scattered0VocabByHidden</c>.
    /// </summary>
    public static string ScatteredTable(Graph.Generator.Shapes.Shape table, int index) =>
        "scattered" + index.ToString(System.Globalization.CultureInfo.InvariantCulture) + string.Join("By", table.Dims.Select(d => new string(d.ToString().Where(char.IsLetterOrDigit).ToArray())));

    /// <summary>The <c>SparseRows</c> of <see cref="ScatteredTable"/>: <c>scattered0VocabByHiddenRows</c>.</summary>
    public static string ScatteredRows(Graph.Generator.Shapes.Shape table, int index) => ScatteredTable(table, index) + "Rows";

    public static string SharedBuffer(int index) => "sharedBuffer" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The int buffer of position <paramref name="position"/> of the index input <paramref name="input"/>: <c>indicesWordsAt3</c>
    /// (<c>indicesInAt3</c> for an input printed <c>@in</c>).
    /// </summary>
    public static string IndexBuffer(string input, int position, StepPosition? atStep = null)
    {
        input = input.TrimStart('@');
        string at = atStep is null
            ? position.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : (atStep.Coefficient == 1 ? string.Empty : atStep.Coefficient.ToString(System.Globalization.CultureInfo.InvariantCulture)) + "Step"
                + (atStep.Offset == 0 ? string.Empty : (atStep.Offset > 0 ? "Plus" : "Minus") + Math.Abs(atStep.Offset).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return "indices" + char.ToUpperInvariant(input[0]) + input.Substring(1) + "At" + at;
    }

    /// <summary>The name of the variable of a loop region's <c>for</c> loop: the forward step it is at.</summary>
    public string Step => Local("step");

    /// <summary>
    /// The C# position a loop's step and an offset give, times a size: <c>(step - 1) * (batch * 512)</c>.
    /// </summary>
    public string StepPosition(bool relative, int coefficient, int offset, Graph.Generator.Shapes.Size unit)
    {
        string position = !relative ? offset.ToString(System.Globalization.CultureInfo.InvariantCulture)
            : (coefficient == 1 ? Step : $"{coefficient.ToString(System.Globalization.CultureInfo.InvariantCulture)} * {Step}")
                + (offset == 0 ? string.Empty : (offset > 0 ? " + " : " - ") + Math.Abs(offset).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (unit.IsOne)
        {
            return position;
        }

        string factor = Expression(unit).Contains(" ") ? $"({Expression(unit)})" : Expression(unit);
        return (position.Contains(" ") ? $"({position})" : position) + " * " + factor;
    }

    /// <summary>The first element of a step's part of its buffer (<c>0</c> for storage that is not one).</summary>
    public string StepStart(Storage storage) =>
        storage.Step is { } part ? StepPosition(part.Relative, 1, part.Offset, part.Elements) : "0";

    /// <summary>A C# expression for a size: the call's <c>batch</c>, or the fields behind the model's size properties.</summary>
    public static string Expression(Graph.Generator.Shapes.Size size) =>
        size.Expression(symbol => symbol == Graph.Generator.Shapes.Size.BatchSymbol ? "batch" : "this." + SizeField(symbol));

    /// <summary>
    /// The field holding a named size (<c>sizeHidden</c> behind the property <c>Hidden</c>): generated code reads the
    /// field, since a large method's calls to even a trivial getter may be left out of the JIT's inlining.
    /// </summary>
    public static string SizeField(string symbol) => "size" + symbol;

    /// <summary>A generated local's name, renamed (with a trailing underscore) where it would hide an input of the same name.</summary>
    public string Local(string name)
    {
        while (inputNames.Contains(name) || name == outputName)
        {
            name += "_";
        }

        return name;
    }

    /// <summary>True when the storage is a caller's span rather than one of the model's arrays.</summary>
    public static bool IsSpan(Storage storage) => storage.Kind is StorageKind.Input or StorageKind.Output || storage.Step is not null;

    /// <summary>The expression naming the whole storage: a step's part of a buffer (or several steps') as a span over it.</summary>
    public string Of(Storage storage) => storage.Step is { } part
        ? $"global::System.MemoryExtensions.AsSpan({Array(storage)}, {StepStart(storage)}, {StepLength(part)})"
        : Array(storage);

    /// <summary>
    /// The elements of a step's part, or of the consecutive steps' parts it spans: <c>22 * (batch * 512)</c>, or
    /// <c>(length - 2) * (batch * 10)</c> for the steps a region ending at a run-time count ran.
    /// </summary>
    private static string StepLength(StepPart part)
    {
        if (part.Steps == 1 && part.RunTime is null)
        {
            return Expression(part.Elements);
        }

        string elements = Expression(part.Elements);
        string steps = part.RunTime is { } run ? $"({StepCount(run)})" : part.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return steps + " * " + (elements.Contains(" ") ? $"({elements})" : elements);
    }

    /// <summary>The number of steps a region ending at a run-time count ran: <c>length - 2</c>.</summary>
    public static string StepCount(RunTimeSteps steps) =>
        $"{Identifier.Escape(steps.Count)} - {steps.Before.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The expression naming the memory the storage is in: for a step's part of a buffer, the whole buffer.</summary>
    public string Array(Storage storage) => storage.Kind switch
    {
        StorageKind.Input => inputNames[storage.Index],
        StorageKind.Output => outputName,
        StorageKind.ParameterValue => "this." + ValueField(model.Parameters[storage.Index]),
        StorageKind.ParameterGradient => "this." + GradientField(model.Parameters[storage.Index]),
        StorageKind.BatchBuffer => "this." + BatchBuffer(storage.Index),
        StorageKind.SharedBuffer => "this." + SharedBuffer(storage.Index),
        StorageKind.ScatteredTable => "this." + ScatteredTable(storage.Table!, storage.Index),
        StorageKind.IndexBuffer => "this." + IndexBuffer(inputNames[storage.Index], storage.Position, storage.AtStep),
        _ => throw new InvalidOperationException("Inline values have no storage name."),
    };

    /// <summary>The row list a row-sparse table is written through: the parameter's or the scattered table's, or null for a table held in a buffer.</summary>
    public string RowsOf(Storage storage) => storage.Kind switch
    {
        StorageKind.ParameterGradient => "this." + RowsField(model.Parameters[storage.Index]),
        StorageKind.ScatteredTable => "this." + ScatteredRows(storage.Table!, storage.Index),
        _ => "null",
    };

    /// <summary>
    /// The expression for a value's storage as a kernel argument: the storage itself, or for an index buffer (which
    /// may be longer than the batch) a span over the batch's indices.
    /// </summary>
    public string Argument(Storage storage) => storage.Kind == StorageKind.IndexBuffer
        ? $"new global::System.ReadOnlySpan<int>({Of(storage)}, 0, batch)"
        : Of(storage);

    /// <summary>A value written inline: a literal, the batch size, or a count of the model's sizes, as the element type.</summary>
    public string Inline(Operand operand, ElementType type) => operand switch
    {
        LiteralOperand literal => type.Literal(literal.Value),
        BatchSizeOperand => Local("batchSize"),
        CountOperand count => type.Convert(Expression(count.Size)),
        _ => throw new InvalidOperationException($"{operand} is not written inline."),
    };

    /// <summary>A one-element value (the batch loss): its element in memory, or the value written inline.</summary>
    public string Scalar(Operand operand, ElementType type) => operand is StoredOperand stored ? Of(stored.Storage) + "[0]" : Inline(operand, type);

    /// <summary>A span over <paramref name="length"/> elements of the storage from <paramref name="start"/>.</summary>
    public string Slice(Storage storage, string start, string length) =>
        IsSpan(storage) ? $"{Of(storage)}.Slice({start}, {length})" : $"new global::System.Span<{elementType}>({Of(storage)}, {start}, {length})";
}
