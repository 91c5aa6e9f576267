namespace Graph.Generator.Spec;

/// <summary>The names of the tensor operations a model method may call, as the reader records them.</summary>
internal static class Ops
{
    public const string Add = "Add";
    public const string Subtract = "Subtract";
    public const string Multiply = "Multiply";
    public const string Divide = "Divide";
    public const string Negate = "Negate";
    public const string Dot = "Dot";
    public const string Transpose = "Transpose";
    public const string Relu = "Relu";
    public const string Sigmoid = "Sigmoid";
    public const string Tanh = "Tanh";
    public const string Exp = "Exp";
    public const string Log = "Log";
    public const string Square = "Square";
    public const string Sum = "Sum";
    public const string Mean = "Mean";
    public const string SumSquares = "SumSquares";
    public const string L2Loss = "L2Loss";
    public const string MeanSquaredError = "MeanSquaredError";
    public const string Dropout = "Dropout";
    public const string Softmax = "Softmax";
    public const string SoftmaxCrossEntropy = "SoftmaxCrossEntropy";
    public const string Argmax = "Argmax";
    public const string StopGradient = "StopGradient";
    public const string Conv2d = "Conv2d";
    public const string Flatten = "Flatten";
    public const string Reshape = "Reshape";
    public const string Concat = "Concat";
    public const string SumPool2d = "SumPool2d";
    public const string MeanPool2d = "MeanPool2d";
    public const string Gather = "Gather";
    public const string EmbeddingSum = "EmbeddingSum";
    public const string EmbeddingMean = "EmbeddingMean";
    public const string SigmoidCrossEntropy = "SigmoidCrossEntropy";

    /// <summary><c>x[t]</c>: position t (a constant) of an index input's indices, or row t of a dense value.</summary>
    public const string IndexAt = "IndexAt";
}
