using System.Numerics;
using System.Runtime.CompilerServices;
using Graph.Runtime;

namespace Graph.Bench.Report;

/// <summary>
/// The CNN's tanh derivative as the generated step computes it from dH = dY·W12ᵀ: each element of the product, times
/// the dropout mask, times 1 − h², into the convolution's gradient, taken from <see cref="Kernels.GemmInto{T, TConsumer}"/>.
/// </summary>
internal ref struct TanhDerivativeConsumer : IProductConsumer<float>
{
    public float[] Mask;
    public float[] Hidden;
    public float[] Gradient;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Take(int index, Vector<float> product)
    {
        var h = Simd.Load<float>(Hidden, index);
        Simd.Store<float>(product * Simd.Load<float>(Mask, index) * (Vector<float>.One - (h * h)), Gradient, index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Take(int index, float product) =>
        Gradient[index] = product * Mask[index] * (1 - (Hidden[index] * Hidden[index]));
}
