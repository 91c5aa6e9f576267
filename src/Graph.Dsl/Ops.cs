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

    /// <summary>The mean squared error, <c>mean((prediction - target)²)</c>.</summary>
    public static Tensor MeanSquaredError(Tensor prediction, Tensor target) => throw CompiledOnly.Error(nameof(MeanSquaredError));
}
