namespace Graph.Generator.IR;

/// <summary>The operations of the graph IR. Composite user operations (Dot, Mean, SumSquares, ...) lower to these.</summary>
internal enum OpKind
{
    /// <summary>A per-sample input of the compiled method; <see cref="Node.Index"/> is its position.</summary>
    Input,

    /// <summary>A model parameter; <see cref="Node.Index"/> is its position in declaration order.</summary>
    Parameter,

    /// <summary>A scalar constant, <see cref="Node.Value"/>.</summary>
    Constant,

    /// <summary>The number of samples in the batch, known only when the compiled method runs.</summary>
    BatchSize,

    /// <summary>A count that depends on a named size (<see cref="Node.Extent"/>), known once the model is constructed.</summary>
    SizeValue,

    Add,
    Subtract,
    Multiply,
    Divide,
    Negate,
    Relu,
    Sigmoid,
    Tanh,
    Exp,
    Log,
    Square,

    /// <summary>The input unchanged; no gradient flows back through it.</summary>
    StopGradient,

    /// <summary>1 where the input is positive, else 0 (the derivative of Relu, read off its output).</summary>
    Step,

    /// <summary>Repeats the input to <see cref="Node.Shape"/> (and over the batch when the node is batched).</summary>
    Broadcast,

    /// <summary>Sums the input down to <see cref="Node.Shape"/> (and over the batch when the input is batched and the node is not).</summary>
    ReduceSum,

    /// <summary>The same elements under another shape; shares its input's storage.</summary>
    Reshape,

    /// <summary>Swaps the two axes of a matrix.</summary>
    Transpose,

    /// <summary>
    /// A dropout mask of <see cref="Node.Shape"/>: while training, each element 1 / (1 - rate) or 0, drawn from the
    /// model's generator (rate = <see cref="Node.Value"/>); otherwise 1. It has no inputs but is drawn by a kernel.
    /// </summary>
    DropoutMask,

    /// <summary><c>exp(x) / Σ exp(x)</c> along the last axis.</summary>
    Softmax,

    /// <summary>The per-sample cross-entropy of the softmax of input 0 against the distribution input 1, along the last axis.</summary>
    SoftmaxCrossEntropy,

    /// <summary>A one-hot vector of length <see cref="Node.Shape"/>[0] from the class index in input 0.</summary>
    OneHot,

    /// <summary>The index of the largest element along the last axis.</summary>
    Argmax,

    /// <summary>
    /// op(A)·op(B) for per-sample matrices, op = transpose when <see cref="Node.TransposeA"/>/<see cref="Node.TransposeB"/>.
    /// When either operand is batched and the node is not, the products are summed over the batch.
    /// </summary>
    MatMul,

    /// <summary>
    /// The sliding windows of an image [h, w] or [h, w, c] as rows (im2col): one row per window position, row-major
    /// over the (h - kh + 1) × (w - kw + 1) positions, each row the window's elements in (row, column, channel) order.
    /// The window is <see cref="Node.Window"/>; stride 1, no padding.
    /// </summary>
    Im2Col,

    /// <summary>The adjoint of <see cref="Im2Col"/> (col2im): each row's elements added back onto the image positions they came from.</summary>
    Col2Im,

    /// <summary>Sums each non-overlapping <see cref="Node.Window"/> of an image [h, w] or [h, w, c], per channel.</summary>
    SumPool2d,

    /// <summary>The adjoint of <see cref="SumPool2d"/>: each element repeated over its window.</summary>
    Upsample2d,

    /// <summary>
    /// The rows of input 0 (a shared matrix [rows, dim]) named by input 1 (an index input [n]): [n, dim] per sample.
    /// </summary>
    Gather,

    /// <summary>
    /// The sum of the rows of input 0 named by the index input 1, a vector [dim] per sample; the mean when
    /// <see cref="Node.Value"/> is 1.
    /// </summary>
    EmbeddingBag,

    /// <summary>
    /// The gradient of a table read by <see cref="Gather"/> or <see cref="EmbeddingBag"/>: a matrix of the table's
    /// shape, zero except in the rows named by the index input 1, into which input 0 is added (summed over the
    /// batch). Input 0 is [n, dim] (one gradient row per index, from Gather) or [dim] (a bag's gradient, added to the
    /// row of every index, divided by their count when <see cref="Node.Value"/> is 1).
    /// </summary>
    ScatterAdd,

    /// <summary>
    /// Input 0 and input 1 joined along their first axis, per sample: each sample's elements of input 0, then its
    /// elements of input 1 (an unbatched input repeated for every sample).
    /// </summary>
    Concat,

    /// <summary>
    /// A contiguous run of each sample's elements of input 0: <see cref="Node.Shape"/>'s element count from element
    /// <see cref="Node.Extent"/> (the part of a <see cref="Concat"/> that one of its inputs gave, for its gradient).
    /// </summary>
    Slice,

    /// <summary>
    /// The binary cross-entropy of sigmoid(input 0) against the target input 1, elementwise:
    /// <c>max(x, 0) - x·y + log(1 + exp(-|x|))</c>.
    /// </summary>
    SigmoidCrossEntropy,

    /// <summary>
    /// Position <see cref="Node.Index"/> of each sample's indices in the index input 0 ([n] per sample): an index input
    /// of one index per sample, copied into an index buffer.
    /// </summary>
    PickIndex,

    /// <summary>1 per sample where the one index of the index input 0 is a row index, 0 where it is padding (-1).</summary>
    PaddingMask,

    /// <summary>Row <see cref="Node.Index"/> of input 0 along its first per-sample axis: [n, d...] gives [d...].</summary>
    SelectRow,

    /// <summary>The adjoint of <see cref="SelectRow"/>: zeros of <see cref="Node.Shape"/> with input 0 as row <see cref="Node.Index"/>.</summary>
    InsertRow,
}

internal static class OpKinds
{
    /// <summary>True for operations computed element by element (with broadcasting), which fusion may merge into one loop.</summary>
    public static bool IsElementwise(OpKind op) => op switch
    {
        OpKind.Add or OpKind.Subtract or OpKind.Multiply or OpKind.Divide or OpKind.Negate or OpKind.Relu or OpKind.Sigmoid
            or OpKind.Tanh or OpKind.Exp or OpKind.Log or OpKind.Square or OpKind.Step or OpKind.Broadcast or OpKind.StopGradient => true,
        OpKind.SigmoidCrossEntropy => true,
        _ => false,
    };

    /// <summary>True for the leaves of a graph: values that are not computed by it.</summary>
    public static bool IsLeaf(OpKind op) => op is OpKind.Input or OpKind.Parameter or OpKind.Constant or OpKind.BatchSize or OpKind.SizeValue;

    /// <summary>True for the operations that read an index input (as their input 1) to pick rows of a table.</summary>
    public static bool ReadsIndices(OpKind op) => op is OpKind.Gather or OpKind.EmbeddingBag or OpKind.ScatterAdd;

    /// <summary>
    /// True where input <paramref name="input"/> of <paramref name="op"/> may be an index input: the indices of the
    /// row-gathering operations, and the input of a pick, a padding mask or a one-hot vector of class indices.
    /// </summary>
    public static bool TakesIndices(OpKind op, int input) =>
        (ReadsIndices(op) && input == 1) || (op is OpKind.PickIndex or OpKind.PaddingMask or OpKind.OneHot && input == 0);
}
