namespace Graph;

/// <summary>
/// A symbolic tensor: a name and a per-sample shape. Model methods are written with tensors and compiled by
/// Graph's source generator; the operations on this type exist so that those methods type-check, and throw
/// <see cref="NotSupportedException"/> when called directly. Run a model through the generated methods
/// (<c>Predict</c>, <c>Backward</c>, <c>TrainStep</c>) instead.
/// </summary>
public sealed class Tensor
{
    private readonly int[] shape;

    public Tensor(string name, params int[] shape)
    {
        Name = name;
        this.shape = (int[])shape.Clone();
    }

    /// <summary>The parameter or input this tensor stands for.</summary>
    public string Name { get; }

    /// <summary>The per-sample shape.</summary>
    public IReadOnlyList<int> Shape => shape;

    /// <summary>The transpose of a matrix (the reverse of its two axes).</summary>
    public Tensor T => throw CompiledOnly.Error("Tensor.T");

    /// <summary>numpy's <c>dot</c>: vector-vector, vector-matrix, matrix-vector or matrix-matrix product.</summary>
    public Tensor Dot(Tensor other) => throw CompiledOnly.Error(nameof(Dot));

    /// <summary>The sum of every element (a scalar per sample).</summary>
    public Tensor Sum() => throw CompiledOnly.Error(nameof(Sum));

    /// <summary>The mean of every element (a scalar per sample).</summary>
    public Tensor Mean() => throw CompiledOnly.Error(nameof(Mean));

    /// <summary>
    /// For an index input <c>[Indices(n)]</c>, position <paramref name="index"/> of each sample's indices: an index
    /// input of one index per sample. For a dense value, row <paramref name="index"/> along its first per-sample axis
    /// (<c>[n, d]</c> gives <c>[d]</c>). The position must be a compile-time constant (a literal, a constant or the
    /// variable of an unrolled <c>for</c> loop) from 0 to n - 1.
    /// </summary>
    public Tensor this[int index] => throw CompiledOnly.Error("Tensor[index]");

    /// <summary>A scalar constant as a tensor, so that a running sum can start as <c>Tensor loss = 0;</c>.</summary>
    public static implicit operator Tensor(double value) => throw CompiledOnly.Error("the conversion of a number to Tensor");

    public static Tensor operator +(Tensor left, Tensor right) => throw CompiledOnly.Error("+");

    public static Tensor operator +(Tensor left, double right) => throw CompiledOnly.Error("+");

    public static Tensor operator +(double left, Tensor right) => throw CompiledOnly.Error("+");

    public static Tensor operator -(Tensor left, Tensor right) => throw CompiledOnly.Error("-");

    public static Tensor operator -(Tensor left, double right) => throw CompiledOnly.Error("-");

    public static Tensor operator -(double left, Tensor right) => throw CompiledOnly.Error("-");

    public static Tensor operator *(Tensor left, Tensor right) => throw CompiledOnly.Error("*");

    public static Tensor operator *(Tensor left, double right) => throw CompiledOnly.Error("*");

    public static Tensor operator *(double left, Tensor right) => throw CompiledOnly.Error("*");

    public static Tensor operator /(Tensor left, Tensor right) => throw CompiledOnly.Error("/");

    public static Tensor operator /(Tensor left, double right) => throw CompiledOnly.Error("/");

    public static Tensor operator /(double left, Tensor right) => throw CompiledOnly.Error("/");

    public static Tensor operator -(Tensor value) => throw CompiledOnly.Error("unary -");

    public override string ToString() => $"{Name}[{string.Join(",", shape)}]";
}

internal static class CompiledOnly
{
    public static NotSupportedException Error(string operation) => new(
        $"'{operation}' is symbolic: Graph's source generator compiles [Forward] and [Loss] methods, and their operations " +
        "cannot run eagerly. Call the generated methods (Predict, Backward, TrainStep) of the model instead.");
}
