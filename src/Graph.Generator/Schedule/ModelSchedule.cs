using Graph.Generator.Pipeline;
using Graph.Generator.Planning;
using Graph.Generator.Shapes;

namespace Graph.Generator.Schedule;

/// <summary>
/// Everything decided about a compiled model, as typed data free of any target language: its parameters' layouts,
/// the buffers its methods share, and each method's steps in order. The C# printers in <c>Emit</c> only print it; a
/// later backend (another language, an ONNX exporter) reads the same schedule.
/// </summary>
/// <param name="Parameters">Each parameter's shape and whether its gradient is row-sparse, in declaration order.</param>
/// <param name="BatchBuffers">The buffers sized per sample × batch; buffer i serves buffer i of every method.</param>
/// <param name="SharedBuffers">The buffers of fixed size, shared by the batch; buffer i serves buffer i of every method.</param>
/// <param name="IndexBuffers">The int buffers of one position of an index input (<c>x[t]</c>), one index per sample.</param>
/// <param name="Methods">The compiled methods, in the order they are written.</param>
/// <param name="ScatteredTables">The tables, each with its row list, that hold the row-sparse parts of a gradient's sum.</param>
internal sealed record ModelSchedule(
    IReadOnlyList<ParameterLayout> Parameters,
    IReadOnlyList<BufferLayout> BatchBuffers,
    IReadOnlyList<BufferLayout> SharedBuffers,
    IReadOnlyList<IndexBufferLayout> IndexBuffers,
    IReadOnlyList<MethodSchedule> Methods,
    IReadOnlyList<ScatteredTableLayout> ScatteredTables)
{
    /// <summary>The parameters whose gradient is row-sparse: only the rows read are written, stepped and cleared.</summary>
    public IEnumerable<int> SparseGradients => Enumerable.Range(0, Parameters.Count).Where(p => Parameters[p].SparseRows);
}

/// <summary>
/// Table <see cref="Index"/> of shape <see cref="Table"/> that holds a row-sparse part of a gradient, with the list of
/// its rows written (<see cref="StorageKind.ScatteredTable"/>); methods share it where they keep a part of that shape.
/// </summary>
internal sealed record ScatteredTableLayout(Shape Table, int Index);

/// <summary>A parameter's shape (its dimensions numbers or named sizes) and whether the model keeps a list of the gradient rows written.</summary>
internal sealed record ParameterLayout(Shape Shape, bool SparseRows);

/// <summary>
/// One buffer: the per-sample sizes (for a batch buffer; whole sizes for a shared one) of the values the methods keep
/// in it, and what it holds: the largest of <see cref="Capacity"/> (the numbers folded into one, then each size that
/// depends on a named size).
/// </summary>
internal sealed record BufferLayout(IReadOnlyList<Size> Sizes, IReadOnlyList<string> Users)
{
    public IReadOnlyList<Size> Capacity
    {
        get
        {
            int constant = Sizes.Where(s => s.IsConstant).Select(s => s.Value).DefaultIfEmpty(0).Max();
            var named = Sizes.Where(s => !s.IsConstant).ToList();
            return constant > 0 || named.Count == 0 ? named.Prepend(Size.Of(constant)).ToList() : named;
        }
    }
}

/// <summary>
/// The int buffer of position <see cref="Position"/> of the index input named <see cref="Input"/>, or of the position
/// that moves with a loop's step (<see cref="AtStep"/>).
/// </summary>
internal sealed record IndexBufferLayout(string Input, int Position, StepPosition? AtStep = null);

/// <summary>
/// One compiled method: what it computes, its arguments, its steps in order and, for a training method, where the
/// loss is known and which parameters are updated inside the step that computes their gradient.
/// </summary>
/// <param name="Kind">A [Forward] method's inference, the loss, or the loss and gradients (Backward and TrainStep).</param>
/// <param name="Name">The model method it compiles.</param>
/// <param name="Inputs">Its tensor arguments.</param>
/// <param name="Result">The type of a forward method's result (null for a loss).</param>
/// <param name="UsesBatchSize">Whether a step reads the batch size as a number.</param>
/// <param name="Steps">The steps, in order.</param>
/// <param name="Loss">Where the batch loss is read once the steps ran (null for a forward method).</param>
/// <param name="LossKnownAfter">The index of the step after which the loss is final; -1 when it is known before any step.</param>
/// <param name="Gradients">The parameters the loss depends on, whose gradient the method computes.</param>
/// <param name="Updates">For a training method: every parameter of <see cref="Gradients"/> and where a training step updates it.</param>
/// <param name="SumReduction">Whether the loss is the sum of the per-sample losses (else their mean).</param>
/// <param name="Prediction">For a training method whose loss marks a value with <c>Prediction</c>: where that value is once the steps ran.</param>
internal sealed record MethodSchedule(
    EntryKind Kind,
    string Name,
    IReadOnlyList<InputLayout> Inputs,
    TensorType? Result,
    bool UsesBatchSize,
    IReadOnlyList<Step> Steps,
    Operand? Loss,
    int LossKnownAfter,
    IReadOnlyList<int> Gradients,
    IReadOnlyList<ParameterUpdate> Updates,
    bool SumReduction,
    PredictionLayout? Prediction)
{
    /// <summary>The input whose values the first step's product checks for NaN and infinities (<see cref="InputChecks"/>)
    /// instead of a scan before the steps, or null.</summary>
    public int? InputCheckedByProduct => InputChecks.CheckedByFirstProduct(Steps, Inputs);

    /// <summary>True when the method takes one sample per call (an index input of any length): it has no batch argument.</summary>
    public bool OneSamplePerCall => Inputs.Any(i => i.Indices && i.Count is null);

    /// <summary>The parameters a training step updates inside the step that computes their gradient (for every rule, or for plain SGD).</summary>
    public IEnumerable<ParameterUpdate> FusedUpdates => Updates.Where(u => u.Site != UpdateSite.AfterGradients);

    /// <summary>True when a step draws dropout masks, which a loss method draws only when asked to (a training flag).</summary>
    public bool DrawsDropout => AllSteps(Steps)
        .Select(step => step is ConsumedMaskStep consumed ? consumed.Mask : step)
        .OfType<CallStep>()
        .Any(s => s.Call.WhenNotTraining is not null);

    /// <summary>The steps with each loop block's steps in place of the block.</summary>
    public static IEnumerable<Step> AllSteps(IEnumerable<Step> steps) =>
        steps.SelectMany(step => step is LoopBlockStep block ? AllSteps(block.Body) : new[] { step });
}

/// <summary>
/// A tensor argument: values of <see cref="Shape"/> per sample, or row indices (<see cref="Indices"/>): <see cref="Count"/>
/// per sample (null for any number per call), -1 marking padding where <see cref="Padded"/>, each below every size of
/// <see cref="IndexBounds"/> (the rows of the tables it reads, the classes of its one-hot vectors). An <c>int</c>
/// argument that is a run-time step count has a <see cref="StepCount"/> instead, and no values.
/// </summary>
internal sealed record InputLayout(string Name, Shape Shape, bool Indices, Size? Count, bool Padded, IReadOnlyList<Size> IndexBounds, StepCountRange? StepCount = null);

/// <summary>
/// The values a run-time step count may take: <see cref="Max"/>, the declared maximum, and <see cref="Min"/>, the steps
/// the generated code lays out before its loops begin (the first step, and the one after a first step with a body of
/// its own: a loop's reverse steps of them read the forward loop's values at fixed steps).
/// </summary>
internal sealed record StepCountRange(int Min, int Max);

/// <summary>
/// The value a training step hands back as its prediction: where it is kept until the step ends, its type (its
/// per-sample shape, and whether it holds one value per sample or one shared by the batch) and the expression it marks.
/// </summary>
internal sealed record PredictionLayout(Operand Value, TensorType Type, string Origin);

/// <summary>Where a training step updates a parameter.</summary>
internal enum UpdateSite
{
    /// <summary>After the backward pass, from the stored gradient (every row, or the rows read of a row-sparse one).</summary>
    AfterGradients,

    /// <summary>Inside the matrix product that computes the gradient, for every rule, unless the step clips its gradients.</summary>
    InProduct,

    /// <summary>
    /// Inside the scatter that forms a row-sparse gradient, one plain SGD step per occurrence of a row; a stateful rule
    /// (or clipping) stores the rows instead and steps them after the backward pass.
    /// </summary>
    InRowScatter,
}

/// <summary>A parameter a training method updates, where, and whether only its rows read are stepped.</summary>
internal sealed record ParameterUpdate(int Parameter, UpdateSite Site, bool SparseRows);
