using System.Numerics;
using System.Numerics.Tensors;

namespace Graph.Runtime;

/// <summary>
/// Transcendental functions over whole buffers, for generated kernels that apply one of them alone: vectorised by
/// <see cref="TensorPrimitives"/> (within a few units in the last place of the scalar <c>Math</c> functions).
/// </summary>
public static partial class Kernels
{
    /// <summary><c>y[i] = tanh(x[i])</c>.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ, or they overlap other than exactly.</exception>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SameLength(x, y);
        TensorPrimitives.Tanh(x, y);
    }

    /// <summary><c>y[i] = 1 / (1 + exp(-x[i]))</c>.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ, or they overlap other than exactly.</exception>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SameLength(x, y);
        TensorPrimitives.Sigmoid(x, y);
    }

    /// <summary><c>y[i] = exp(x[i])</c>.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ, or they overlap other than exactly.</exception>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SameLength(x, y);
        TensorPrimitives.Exp(x, y);
    }

    /// <summary><c>y[i] = log(x[i])</c>.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ, or they overlap other than exactly.</exception>
    public static void Log<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SameLength(x, y);
        TensorPrimitives.Log(x, y);
    }

    private static void SameLength<T>(ReadOnlySpan<T> x, Span<T> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"The output has {y.Length} elements but the input {x.Length}.", nameof(y));
        }
    }
}
