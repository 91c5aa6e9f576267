using System.Numerics;
using System.Runtime.InteropServices;

namespace Graph.Runtime;

/// <summary>The optimiser step of generated training code.</summary>
public static partial class Kernels
{
    /// <summary>
    /// Plain SGD: <c>value[i] = value[i] - learningRate * gradient[i]</c> for every element, vectorised. Each
    /// element is a multiply and then a subtract (no fused multiply-add), exactly as the scalar statement computes
    /// it, so the result does not depend on the vector width.
    /// </summary>
    public static void SgdStep<T>(Span<T> value, ReadOnlySpan<T> gradient, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (gradient.Length != value.Length)
        {
            throw new ArgumentException($"The gradient holds {gradient.Length} values but the parameter {value.Length}.", nameof(gradient));
        }

        int i = 0;
        if (Vector.IsHardwareAccelerated && value.Length >= Vector<T>.Count)
        {
            var rate = new Vector<T>(learningRate);
            var values = MemoryMarshal.Cast<T, Vector<T>>(value);
            var gradients = MemoryMarshal.Cast<T, Vector<T>>(gradient);
            for (int v = 0; v < values.Length; v++)
            {
                values[v] -= rate * gradients[v];
            }

            i = values.Length * Vector<T>.Count;
        }

        for (; i < value.Length; i++)
        {
            value[i] -= learningRate * gradient[i];
        }
    }
}
