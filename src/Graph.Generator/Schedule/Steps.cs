using Graph.Generator.IR;
using Graph.Generator.Planning;
using Graph.Generator.Shapes;

namespace Graph.Generator.Schedule;

/// <summary>The node a step computes, for the comment above it: its id, type, the op's description and the source expression.</summary>
internal sealed record StepSource(int Id, TensorType Type, string Description, string Origin);

/// <summary>One step of a compiled method.</summary>
internal abstract record Step(StepSource Source);

/// <summary>A value a step reads that is not in memory of its own: a number written inline, or where it lives.</summary>
internal abstract record Operand;

/// <summary>A value in memory (an argument, a parameter, a buffer).</summary>
internal sealed record StoredOperand(Storage Storage) : Operand;

/// <summary>A number written inline.</summary>
internal sealed record LiteralOperand(double Value) : Operand;

/// <summary>The batch size as a number of the element type.</summary>
internal sealed record BatchSizeOperand : Operand;

/// <summary>A count of the model's named sizes as a number of the element type.</summary>
internal sealed record CountOperand(Size Size) : Operand;

/// <summary>A call of the runtime kernel <see cref="Invocation.Kernel"/>; a training step may call <see cref="Update"/> instead.</summary>
/// <param name="Call">The call that computes the value.</param>
/// <param name="Update">The call that applies the SGD step of parameter <see cref="UpdatedParameter"/> instead (the gradient not stored), or null.</param>
/// <param name="Note">What the comment above the call says of how the value is kept, or null.</param>
internal sealed record CallStep(StepSource Source, Invocation Call, Invocation? Update = null, int? UpdatedParameter = null, string? Note = null) : Step(Source);

/// <summary>
/// A runtime kernel and its resolved arguments; for a kernel that runs only while training, the value its result holds
/// otherwise.
/// </summary>
internal sealed record Invocation(string Kernel, bool Generic, IReadOnlyList<Argument> Arguments, double? WhenNotTraining = null);

/// <summary>One argument of an <see cref="Invocation"/>.</summary>
internal abstract record Argument;

/// <summary>A value's memory, read or written (an index buffer as a span over the batch's indices).</summary>
internal sealed record StorageArgument(Storage Storage, bool Written) : Argument;

/// <summary>The first <see cref="Count"/> elements of a value's memory, for a kernel that fills or reads what it is given.</summary>
internal sealed record SpanArgument(Storage Storage, Size Count) : Argument;

/// <summary>An int: a number, a named size or a multiple of the batch.</summary>
internal sealed record CountArgument(Size Count) : Argument;

internal sealed record FlagArgument(bool Value) : Argument;

internal sealed record RealArgument(double Value) : Argument;

/// <summary>The model's random generator for dropout masks: numpy's stream, or its Philox4x32 generator.</summary>
internal sealed record RandomArgument(bool Philox) : Argument;

/// <summary>
/// The list of rows written of a row-sparse table: a parameter's gradient or a <see cref="StorageKind.ScatteredTable"/>
/// (<see cref="Storage"/>), or none (null) for a table held in a buffer, cleared whole.
/// </summary>
internal sealed record RowsArgument(Storage? Storage) : Argument;

/// <summary>(<see cref="Coefficient"/> × the loop's step + <see cref="Offset"/>) × <see cref="Unit"/>, an int.</summary>
internal sealed record StepPositionArgument(int Coefficient, int Offset, Size Unit) : Argument;

/// <summary>The number of steps a region that ends at a run-time count ran: the count less the steps before it, an int.</summary>
internal sealed record RunTimeStepsArgument(IR.Ops.RunTimeSteps Steps) : Argument;

/// <summary>The learning rate of a training step.</summary>
internal sealed record LearningRateArgument : Argument;

/// <summary>
/// A matrix product by the runtime's GEMM: one call for the whole batch, or one per sample (<see cref="Gemm.PerSample"/>).
/// A training step may apply parameter <see cref="UpdatedParameter"/>'s SGD step inside the product instead of storing it.
/// </summary>
internal sealed record GemmStep(StepSource Source, Gemm Product, int? UpdatedParameter = null) : Step(Source);

/// <summary>
/// C = op(A)·op(B) with leading dimensions, for the whole batch or for each sample: a batched operand then advances by
/// its <see cref="GemmOperand.SampleSize"/> per sample, and a shared result accumulates over the samples when
/// <see cref="AccumulateOverSamples"/>. Each call runs with <see cref="Kernel"/>, and a fused SGD step with
/// <see cref="UpdateKernel"/>. Where <see cref="AddsToC"/>, the product is added to C (a running sum) instead of
/// overwriting it: summed on its own, then added, as a product into a buffer and an elementwise sum would be.
/// </summary>
internal sealed record Gemm(
    bool TransposeA,
    bool TransposeB,
    Size M,
    Size N,
    Size K,
    GemmOperand A,
    Size Lda,
    GemmOperand B,
    Size Ldb,
    GemmOperand C,
    Size Ldc,
    bool PerSample,
    bool AccumulateOverSamples,
    GemmKernelChoice Kernel,
    GemmKernelChoice UpdateKernel,
    bool AddsToC = false);

/// <summary>
/// A product whose only reader is the elementwise loop that follows it (<see cref="Consumer"/>, which reads it as its
/// operand <see cref="ProductOperand"/>), computed by <c>Kernels.GemmInto</c>: each element goes to the loop's body as
/// it is computed, and the product is never stored (<see cref="ProductConsumers"/>).
/// </summary>
internal sealed record ConsumedProductStep(StepSource Source, Gemm Product, LoopStep Consumer, int ProductOperand) : Step(Source);

/// <summary>
/// A dropout mask's call (<see cref="Mask"/>) whose mask is handed, as it is drawn, to the loop that applies it
/// (<see cref="Consumer"/>, split by fixed chunks over the mask's elements): each chunk of the loop runs on the thread
/// that drew its elements, as soon as they are drawn (<see cref="MaskConsumers"/>).
/// </summary>
internal sealed record ConsumedMaskStep(StepSource Source, CallStep Mask, LoopStep Consumer) : Step(Source);

/// <summary>An operand of a <see cref="Gemm"/>: its memory and, in a product per sample, the elements of one sample (null for a shared one).</summary>
internal sealed record GemmOperand(Storage Storage, Size? SampleSize);

/// <summary>
/// A loop nest over the elements of a value: <see cref="Trips"/> loops, outermost first (adjacent axes every operand
/// walks contiguously already merged); each operand read through its strides (zero along an axis it is broadcast over),
/// the fused elementwise values computed into temporaries, then the result written (or, for a reduction, added) into
/// <see cref="Target"/>. A <see cref="Vectorised"/> nest runs its innermost loop many lanes at a time, then the remainder.
/// A nest with a <see cref="Split"/> may run across threads.
/// </summary>
internal sealed record LoopStep(
    StepSource Source,
    IReadOnlyList<Size> Trips,
    IReadOnlyList<LoopOperand> Operands,
    IReadOnlyList<ElementAssignment> Fused,
    ElementAssignment Result,
    LoopOperand Target,
    bool Reduce,
    Size? ClearCount,
    bool Vectorised,
    LoopSplit? Split = null) : Step(Source);

/// <summary>
/// How a loop nest splits into items that threads compute on their own: the iterations of its outer loop, or, for a
/// single loop, fixed chunks of <see cref="Chunk"/> iterations. No item adds into an element another item writes, so
/// every element is computed as on one thread, and the result is the same for any thread count.
/// </summary>
/// <param name="Items">The number of items.</param>
/// <param name="Chunk">The iterations of a chunk, or null when the items are the outer loop's iterations.</param>
/// <param name="ItemElements">The elements an item computes, the measure of its cost.</param>
internal sealed record LoopSplit(Size Items, int? Chunk, Size ItemElements);

/// <summary>
/// A value a loop reads or writes in memory, with its stride along each loop; in a vectorised nest, loaded lane by
/// lane where it is contiguous along the innermost loop (<see cref="VectorLoad"/>), else one element repeated. A
/// packed dropout mask (<see cref="PackedMasks"/>) has its kept elements' value, <see cref="MaskScale"/>.
/// </summary>
internal sealed record LoopOperand(Storage Storage, IReadOnlyList<Size> Strides, bool VectorLoad, double? MaskScale = null);

/// <summary>The element of node <see cref="Temp"/>: an op's template applied to <see cref="Arguments"/>.</summary>
internal sealed record ElementAssignment(int Temp, Scalar Template, IReadOnlyList<LoopValue> Arguments);

/// <summary>What an operand of an element template is in a loop.</summary>
internal abstract record LoopValue;

/// <summary>The element of loop operand <see cref="Operand"/> at the loop's position.</summary>
internal sealed record LoadValue(int Operand) : LoopValue;

/// <summary>The temporary of a fused node computed earlier in the loop body.</summary>
internal sealed record TempValue(int Temp) : LoopValue;

/// <summary>A value written inline.</summary>
internal sealed record InlineValue(Operand Value) : LoopValue;

/// <summary>
/// A loop region's steps (<see cref="Body"/>), run once per step of <see cref="Range"/>: a <c>for</c> loop whose
/// variable is the forward step, each carried value's next value copied into its memory at the end of a step unless
/// it was computed there.
/// </summary>
internal sealed record LoopBlockStep(StepSource Source, IR.Ops.LoopRange Range, IReadOnlyList<Step> Body) : Step(Source);

/// <summary>
/// An output that could not be computed in place, copied (or, for a value written inline, filled) at the end; or, where
/// <see cref="Carried"/>, a loop's carried value copied into the memory the next step reads it from.
/// </summary>
internal sealed record CopyStep(StepSource Source, Operand From, Storage To, Size Count, bool Carried = false) : Step(Source);
