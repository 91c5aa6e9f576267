using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>
/// The exponential and the hyperbolic tangent of a vector, for generated elementwise loops that apply them among
/// other operations (a sigmoid's <c>1 / (1 + exp(-x))</c> after a bias add).
/// </summary>
/// <remarks>
/// In double (and any type but float) each lane is the scalar function of its element, <c>T.Exp</c> or <c>T.Tanh</c>,
/// so a vectorised loop computes exactly what the scalar loop computes (tanh by <see cref="DoubleTanh"/>, whose lanes
/// have <c>T.Tanh</c>'s bits, where it reproduces them; else lane by lane). In float, tanh is <see cref="FloatTanh"/>'s
/// where vectors are 256 or 512 bits wide (within 1.03 units in the last place, and the same bits as the buffer kernel
/// <see cref="Kernels.Tanh{T}"/>, so a tanh stored on its own and one fused into a loop agree); exp, and tanh on other
/// widths, are computed together in double and rounded to float once, the correctly rounded value (double's functions
/// are within a unit of double's last place). The scalar <c>MathF</c> functions are within two units: a float result
/// may differ from the scalar loop's in its last bits, within the float tolerance the samples document, and is the same
/// whatever the thread count (an element takes the vector path in every split).
/// </remarks>
public static partial class Simd
{
    /// <summary>Below this magnitude tanh(x) rounds to x in float (x - x³/3 differs by under half a unit in the last place).</summary>
    private const double TanhIsIdentityBelow = 1.0 / 4096;

    /// <summary><c>exp(x)</c> in each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Exp<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            Vector.Widen(x.As<T, float>(), out var low, out var high);
            return Vector.Narrow(Vector.Exp(low), Vector.Exp(high)).As<float, T>();
        }

        return EachLane<T, ExpOf<T>>(x);
    }

    /// <summary><c>tanh(x)</c> in each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Tanh<T>(Vector<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            // FloatTanh's lanes, as the buffer kernel computes them, where Vector<float> has a width it is written for.
            if (Vector<float>.Count == Vector256<float>.Count && Vector256.IsHardwareAccelerated)
            {
                return FloatTanh.Tanh<Lanes256<float>, Vector256<float>>(x.As<T, float>().AsVector256()).AsVector().As<float, T>();
            }

            if (Vector<float>.Count == Vector512<float>.Count && Vector512.IsHardwareAccelerated)
            {
                return FloatTanh.Tanh<Lanes512<float>, Vector512<float>>(x.As<T, float>().AsVector512()).AsVector().As<float, T>();
            }

            Vector.Widen(x.As<T, float>(), out var low, out var high);
            return Vector.Narrow(TanhInDouble(low), TanhInDouble(high)).As<float, T>();
        }

        if (typeof(T) == typeof(double) && DoubleTanh.IsSupported)
        {
            // DoubleTanh's lanes: the same bits as T.Tanh of each, computed a vector at a time.
            if (Vector<double>.Count == Vector256<double>.Count)
            {
                return DoubleTanh.Tanh<Lanes256<double>, Vector256<double>>(x.As<T, double>().AsVector256()).AsVector().As<double, T>();
            }

            if (Vector<double>.Count == Vector512<double>.Count)
            {
                return DoubleTanh.Tanh<Lanes512<double>, Vector512<double>>(x.As<T, double>().AsVector512()).AsVector().As<double, T>();
            }
        }

        return EachLane<T, TanhOf<T>>(x);
    }

    /// <summary>
    /// tanh of float values held in double: (1 - e) / (1 + e) with e = exp(-2|x|), whose cancellation costs at most
    /// 2^-40 relative for |x| from 2^-12 up (far below float's precision), x itself below that, and x's sign.
    /// </summary>
    private static Vector<double> TanhInDouble(Vector<double> x)
    {
        var magnitude = Vector.Abs(x);
        var e = Vector.Exp(magnitude * -2.0);
        var t = (Vector<double>.One - e) / (Vector<double>.One + e);
        var signed = Vector.ConditionalSelect(Vector.AsVectorDouble(new Vector<long>(long.MinValue)), x, t);
        return Vector.ConditionalSelect(Vector.LessThan(magnitude, new Vector<double>(TanhIsIdentityBelow)), x, signed);
    }

    /// <summary>The scalar function <typeparamref name="TFunction"/> of each lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> EachLane<T, TFunction>(Vector<T> x)
        where T : unmanaged
        where TFunction : IScalarFunction<T>
    {
        Span<T> lanes = stackalloc T[Vector<T>.Count];
        x.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++)
        {
            lanes[i] = TFunction.Of(lanes[i]);
        }

        return new Vector<T>(lanes);
    }
}
