using Graph.Generator.Shapes;

namespace Graph.Generator.IR;

/// <summary>
/// A call to a runtime kernel (<c>Kernels.Softmax</c>) as an op's template gives it: the kernel's name and its
/// arguments in terms of values and sizes, free of any target language. Planning resolves each value to its storage.
/// </summary>
/// <param name="Kernel">The runtime kernel's name.</param>
/// <param name="Arguments">The arguments, in the kernel's order.</param>
internal sealed record KernelCall(string Kernel, IReadOnlyList<KernelArgument> Arguments)
{
    /// <summary>True when the kernel takes the model's element type as its type argument.</summary>
    public bool Generic { get; init; } = true;

    /// <summary>
    /// For a kernel that runs only while training (a dropout mask): the value the result holds in a method that
    /// runs without training, instead of the call; null for a kernel that always runs.
    /// </summary>
    public double? WhenNotTraining { get; init; }

    public static KernelCall Of(string kernel, params KernelArgument[] arguments) => new(kernel, arguments);
}

/// <summary>One argument of a <see cref="KernelCall"/>.</summary>
internal abstract record KernelArgument
{
    /// <summary>A value the kernel reads: its storage.</summary>
    public static KernelArgument Read(Node value) => new ValueArgument(value, Written: false, Exact: false);

    /// <summary>The value the kernel writes: its storage.</summary>
    public static KernelArgument Write(Node value) => new ValueArgument(value, Written: true, Exact: false);

    /// <summary>The value the kernel writes, as exactly its elements for the current batch (for a kernel that fills what it is given).</summary>
    public static KernelArgument WriteExactly(Node value) => new ValueArgument(value, Written: true, Exact: true);

    /// <summary>A count: a number, a named size, or a multiple of the batch.</summary>
    public static KernelArgument Count(Size size) => new CountArgument(size);

    public static KernelArgument Integer(int value) => new CountArgument(Size.Of(value));

    public static KernelArgument Flag(bool value) => new FlagArgument(value);

    public static KernelArgument Real(double value) => new RealArgument(value);

    /// <summary>The model's random generator.</summary>
    public static readonly KernelArgument Random = new RandomArgument();

    /// <summary>The row list of the parameter gradient <paramref name="value"/> is written into, or none where it is a buffer.</summary>
    public static KernelArgument TouchedRows(Node value) => new TouchedRowsArgument(value);

    /// <summary>The values of the parameter a fused SGD step updates (see <see cref="KernelOp.StepCall"/>).</summary>
    public static readonly KernelArgument UpdatedParameter = new UpdatedParameterArgument();

    /// <summary>The learning rate of a fused SGD step.</summary>
    public static readonly KernelArgument LearningRate = new LearningRateArgument();

    /// <summary>The number of rows along whose last axis a row kernel works, for the current batch.</summary>
    public static KernelArgument Rows(Node value) => Count(value.Batched ? Size.Batch * value.Shape.WithoutLastAxis.Size : value.Shape.WithoutLastAxis.Size);

    /// <summary>The length of the value's last axis.</summary>
    public static KernelArgument LastAxis(Node value) => Count(value.Shape[value.Shape.Rank - 1]);

    /// <summary>The number of elements of one sample of the value.</summary>
    public static KernelArgument Elements(Node value) => Count(value.Shape.Size);

    /// <summary>The number of instances of the value: the batch, or 1 for a value shared by the batch.</summary>
    public static KernelArgument Samples(Node value) => Count(value.Batched ? Size.Batch : Size.One);
}

/// <summary>The storage of <see cref="Value"/>, read or written; <see cref="Exact"/> for exactly its elements of the current batch.</summary>
internal sealed record ValueArgument(Node Value, bool Written, bool Exact) : KernelArgument;

internal sealed record CountArgument(Size Size) : KernelArgument;

internal sealed record FlagArgument(bool Value) : KernelArgument;

internal sealed record RealArgument(double Value) : KernelArgument;

internal sealed record RandomArgument : KernelArgument;

internal sealed record TouchedRowsArgument(Node Value) : KernelArgument;

internal sealed record UpdatedParameterArgument : KernelArgument;

internal sealed record LearningRateArgument : KernelArgument;

/// <summary>(<see cref="Coefficient"/> × the loop's step + <see cref="Offset"/>) × <see cref="Unit"/>: a position that moves with a loop region's step.</summary>
internal sealed record StepPositionArgument(int Coefficient, int Offset, Size Unit) : KernelArgument;

/// <summary>The number of steps a region that ends at a run-time count ran, an int.</summary>
internal sealed record RunTimeStepsArgument(Ops.RunTimeSteps Steps) : KernelArgument;
