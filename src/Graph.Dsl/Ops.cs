namespace Graph;

/// <summary>
/// The operations a model method may use, for <c>using static Graph.Ops;</c>. Every operation is compiled by
/// the generator (see <see cref="Tensor"/>); calling one directly throws <see cref="NotSupportedException"/>.
/// </summary>
public static class Ops
{
    /// <summary>numpy's <c>dot</c>: vector-vector, vector-matrix, matrix-vector or matrix-matrix product.</summary>
    public static Tensor Dot(Tensor left, Tensor right) => throw CompiledOnly.Error(nameof(Dot));

    /// <summary>The matrix product; the same as <see cref="Dot"/>.</summary>
    public static Tensor MatMul(Tensor left, Tensor right) => throw CompiledOnly.Error(nameof(MatMul));

    /// <summary>The transpose of a matrix.</summary>
    public static Tensor Transpose(Tensor value) => throw CompiledOnly.Error(nameof(Transpose));

    /// <summary><c>max(x, 0)</c>, elementwise; its derivative is 1 where the output is positive, else 0.</summary>
    public static Tensor Relu(Tensor value) => throw CompiledOnly.Error(nameof(Relu));

    /// <summary>
    /// <c>x</c> where x is positive, <c>slope · x</c> elsewhere, elementwise; its derivative is 1 where x is positive,
    /// else <paramref name="slope"/>. The slope must be a constant.
    /// </summary>
    public static Tensor LeakyRelu(Tensor value, double slope = 0.01) => throw CompiledOnly.Error(nameof(LeakyRelu));

    /// <summary><c>1 / (1 + exp(-x))</c>, elementwise.</summary>
    public static Tensor Sigmoid(Tensor value) => throw CompiledOnly.Error(nameof(Sigmoid));

    /// <summary>The hyperbolic tangent, elementwise.</summary>
    public static Tensor Tanh(Tensor value) => throw CompiledOnly.Error(nameof(Tanh));

    /// <summary><c>exp(x)</c>, elementwise.</summary>
    public static Tensor Exp(Tensor value) => throw CompiledOnly.Error(nameof(Exp));

    /// <summary>The natural logarithm, elementwise.</summary>
    public static Tensor Log(Tensor value) => throw CompiledOnly.Error(nameof(Log));

    /// <summary><c>x * x</c>, elementwise.</summary>
    public static Tensor Square(Tensor value) => throw CompiledOnly.Error(nameof(Square));

    /// <summary>The sum of every element (a scalar per sample).</summary>
    public static Tensor Sum(Tensor value) => throw CompiledOnly.Error(nameof(Sum));

    /// <summary>The mean of every element (a scalar per sample).</summary>
    public static Tensor Mean(Tensor value) => throw CompiledOnly.Error(nameof(Mean));

    /// <summary>The sum of the squares of every element, <c>Σ x²</c>.</summary>
    public static Tensor SumSquares(Tensor value) => throw CompiledOnly.Error(nameof(SumSquares));

    /// <summary>Half the sum of squares, <c>Σ x² / 2</c> (TensorFlow's <c>l2_loss</c>); its gradient is <c>x</c>.</summary>
    public static Tensor L2Loss(Tensor value) => throw CompiledOnly.Error(nameof(L2Loss));

    /// <summary>
    /// Inverted dropout: while training (Backward, TrainStep, and Loss with training on), each element is kept with
    /// probability 1 - <paramref name="rate"/> and scaled by 1 / (1 - rate), or set to zero; otherwise the value passes
    /// unchanged. The mask comes from the model's <c>Random</c>: for rate 0.5 one <c>randint(2)</c> per element, row-major
    /// over the batch (the book's <c>mask = np.random.randint(2, size=shape); x *= mask * 2</c>), for other rates
    /// <c>random_sample() &lt; 1 - rate</c>. The rate must be a constant between 0 and 1.
    /// </summary>
    public static Tensor Dropout(Tensor value, double rate = 0.5) => throw CompiledOnly.Error(nameof(Dropout));

    /// <summary><c>exp(x) / Σ exp(x)</c> over the last axis (computed with the maximum subtracted, for range).</summary>
    public static Tensor Softmax(Tensor value) => throw CompiledOnly.Error(nameof(Softmax));

    /// <summary>
    /// <c>x - log Σ exp(x)</c> over the last axis, the log of <see cref="Softmax"/> computed without forming it (with the
    /// maximum subtracted, for range). Its gradient is <c>g - softmax(x) · Σ g</c>.
    /// </summary>
    public static Tensor LogSoftmax(Tensor value) => throw CompiledOnly.Error(nameof(LogSoftmax));

    /// <summary>
    /// The cross-entropy of <c>Softmax(logits)</c> against a target over the last axis, a scalar per sample:
    /// <c>-Σ target · log(softmax(logits))</c>. The target is either a probability vector of the logits' shape (one-hot
    /// labels) or a single class index (shape [1]). Its gradient is <c>softmax(logits) - target</c>, computed in one step.
    /// </summary>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor target) => throw CompiledOnly.Error(nameof(SoftmaxCrossEntropy));

    /// <summary>The index of the largest element of a vector (the first, on ties), as a number; it has no gradient.</summary>
    public static Tensor Argmax(Tensor value) => throw CompiledOnly.Error(nameof(Argmax));

    /// <summary>
    /// The value unchanged, with no gradient flowing back through it (TensorFlow's <c>stop_gradient</c>). For example
    /// <c>h + StopGradient(Relu(h) - h)</c> computes <c>Relu(h)</c> exactly but backpropagates as the identity.
    /// </summary>
    public static Tensor StopGradient(Tensor value) => throw CompiledOnly.Error(nameof(StopGradient));

    /// <summary>
    /// The value unchanged, gradient included, marked as the loss's prediction: the <c>TrainStep</c> overloads with a
    /// <c>predictions</c> span copy it there as the training step's forward pass computed it (under that step's dropout
    /// masks), so a training loop scores its predictions without a second forward pass. A loss marks at most one value;
    /// it may be one the loss does not otherwise use (<c>var probabilities = Prediction(Softmax(logits));</c> beside
    /// <c>SoftmaxCrossEntropy(logits, label)</c>). Elsewhere the mark does nothing.
    /// </summary>
    public static Tensor Prediction(Tensor value) => throw CompiledOnly.Error(nameof(Prediction));

    /// <summary>The mean squared error, <c>mean((prediction - target)²)</c>.</summary>
    public static Tensor MeanSquaredError(Tensor prediction, Tensor target) => throw CompiledOnly.Error(nameof(MeanSquaredError));

    /// <summary>
    /// A 2-D convolution, valid positions only, stride 1, as the book computes it. The image is <c>[h, w]</c> with
    /// kernels <c>[kh, kw, count]</c>, or <c>[h, w, c]</c> (channels last) with kernels <c>[kh, kw, c, count]</c>; the
    /// result is <c>[h - kh + 1, w - kw + 1, count]</c>: for each window position (row-major) the output of every
    /// kernel, so <c>Flatten</c> orders it as the book's <c>kernel_output.reshape(batch, -1)</c>. The kernels stored
    /// row-major are the book's <c>kernels</c> matrix <c>[kh·kw·c, count]</c>, one column per kernel.
    /// </summary>
    public static Tensor Conv2d(Tensor image, Tensor kernels) => throw CompiledOnly.Error(nameof(Conv2d));

    /// <summary>The elements of a sample as one vector, in row-major order; shares the value's storage.</summary>
    public static Tensor Flatten(Tensor value) => throw CompiledOnly.Error(nameof(Flatten));

    /// <summary>The elements of a sample under a new per-sample shape (constant dimensions, the same element count), row-major.</summary>
    public static Tensor Reshape(Tensor value, params int[] dims) => throw CompiledOnly.Error(nameof(Reshape));

    /// <summary>
    /// The two values joined along their first axis, per sample: <c>[m, d]</c> and <c>[k, d]</c> give <c>[m + k, d]</c>, vectors
    /// <c>[m]</c> and <c>[k]</c> give <c>[m + k]</c> (numpy's <c>np.concatenate((first, second))</c>). Every other axis must
    /// agree. A value shared by the batch (a parameter) joined with a per-sample one is repeated for each sample. Its
    /// gradient splits back into the two parts.
    /// </summary>
    public static Tensor Concat(Tensor first, Tensor second) => throw CompiledOnly.Error(nameof(Concat));

    /// <summary>
    /// Sum pooling of an image <c>[h, w]</c> or <c>[h, w, c]</c>: the sum of each non-overlapping <paramref name="size"/> ×
    /// <paramref name="size"/> window, per channel; the size must divide the height and the width.
    /// </summary>
    public static Tensor SumPool2d(Tensor image, int size) => throw CompiledOnly.Error(nameof(SumPool2d));

    /// <summary>
    /// Max pooling of an image <c>[h, w]</c> or <c>[h, w, c]</c>: the largest element of each non-overlapping
    /// <paramref name="size"/> × <paramref name="size"/> window, per channel (NaN where the window holds one); the size must
    /// divide the height and the width. Its gradient goes to the largest element of each window (the first, on ties).
    /// </summary>
    public static Tensor MaxPool2d(Tensor image, int size) => throw CompiledOnly.Error(nameof(MaxPool2d));

    /// <summary>Mean pooling: <see cref="SumPool2d"/> divided by the window's element count.</summary>
    public static Tensor MeanPool2d(Tensor image, int size) => throw CompiledOnly.Error(nameof(MeanPool2d));

    /// <summary>
    /// The rows of <paramref name="table"/> (a matrix shared by the batch, such as an embedding [Vocab, Dim]) named by
    /// <paramref name="indices"/>, an [Indices(n)] input: the result is [n, Dim]. Its gradient is added into only
    /// those rows of the table, once per occurrence of an index.
    /// </summary>
    public static Tensor Gather(Tensor table, Tensor indices) => throw CompiledOnly.Error(nameof(Gather));

    /// <summary>
    /// The sum of the rows of <paramref name="table"/> named by <paramref name="indices"/> (an [Indices] input), a vector
    /// of the table's row length: an embedding bag, numpy's <c>np.sum(table[indices], axis=0)</c>.
    /// </summary>
    public static Tensor EmbeddingSum(Tensor table, Tensor indices) => throw CompiledOnly.Error(nameof(EmbeddingSum));

    /// <summary>The mean of the rows of <paramref name="table"/> named by <paramref name="indices"/>, <c>np.mean(table[indices], axis=0)</c>.</summary>
    public static Tensor EmbeddingMean(Tensor table, Tensor indices) => throw CompiledOnly.Error(nameof(EmbeddingMean));

    /// <summary>
    /// The binary cross-entropy of <c>Sigmoid(logits)</c> against targets in [0, 1] of the same shape, summed over the
    /// elements: <c>Σ -(y·log σ(x) + (1 - y)·log(1 - σ(x)))</c>, computed stably as <c>Σ max(x, 0) - x·y + log(1 + exp(-|x|))</c>.
    /// Its gradient is <c>σ(logits) - target</c>, computed in one step.
    /// </summary>
    public static Tensor SigmoidCrossEntropy(Tensor logits, Tensor target) => throw CompiledOnly.Error(nameof(SigmoidCrossEntropy));
}
