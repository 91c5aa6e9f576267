using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Graph.Runtime;

/// <summary>
/// Transcendental functions over whole buffers, for generated kernels that apply one of them alone, split across
/// threads in chunks when the buffer is long. In double (any type but float) each element is the scalar function of
/// the generated loops, <c>T.Tanh</c>, <c>1 / (1 + T.Exp(-x))</c>, <c>T.Exp</c>, <c>T.Log</c>: a function stored on its
/// own and the same function fused into a loop with other operations give the same bits (tanh a vector at a time by
/// <see cref="DoubleTanh"/>, whose lanes are <c>T.Tanh</c>'s bits, where it reproduces them). In float, sigmoid, exp and
/// log are vectorised by <see cref="TensorPrimitives"/> (within a few units in the last place of the scalar functions),
/// tanh by <see cref="FloatTanh"/> with 512- or 256-bit vectors (within 1.03 units; the same bits as the loops' fused
/// tanh), else by <see cref="Simd.Tanh{T}(Vector{T})"/>, as the loops compute it. (<see cref="TensorPrimitives"/>' tanh
/// loses the relative precision of small values: 1.1·10⁻⁴ of the value in double below |x| = 10⁻⁸, 5.4·10⁻¹⁰ below
/// 10⁻³; in float all of it below 10⁻³, as the bench's <c>tanh</c> command measures.)
/// </summary>
/// <remarks>
/// Every element of a span is computed by the same code wherever it lies (<see cref="TensorPrimitives"/> and the
/// float tanh compute the last, partial vector as one overlapping the one before it), so cutting a long buffer into
/// chunks of <see cref="ActivationChunk"/> elements or more changes no element: one thread and several give the same
/// bits.
/// </remarks>
public static partial class Kernels
{
    /// <summary>The elements of one chunk of an activation split across threads (the last chunk takes the rest).</summary>
    private const int ActivationChunk = 8 * 1024;

    /// <summary>The cost of one chunk, in <see cref="ParallelRange"/>'s units (about a nanosecond each).</summary>
    private const long ActivationChunkCost = 4 * 1024;

    /// <summary>The function an activation call applies.</summary>
    private enum Activation
    {
        Tanh,
        Sigmoid,
        Exp,
        Log,
    }

    /// <summary><c>y[i] = tanh(x[i])</c>.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ, or they overlap other than exactly.</exception>
    public static void Tanh<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Apply(Activation.Tanh, x, y);

    /// <summary><c>y[i] = 1 / (1 + exp(-x[i]))</c>.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ, or they overlap other than exactly.</exception>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Apply(Activation.Sigmoid, x, y);

    /// <summary><c>y[i] = exp(x[i])</c>.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ, or they overlap other than exactly.</exception>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Apply(Activation.Exp, x, y);

    /// <summary><c>y[i] = log(x[i])</c>.</summary>
    /// <exception cref="ArgumentException">The spans' lengths differ, or they overlap other than exactly.</exception>
    public static void Log<T>(ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T> => Apply(Activation.Log, x, y);

    private static unsafe void Apply<T>(Activation function, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SameLength(x, y);
        if (x.Overlaps(y, out int offset) && offset != 0)
        {
            throw new ArgumentException("The input and the output overlap other than exactly.", nameof(y));
        }

        if (x.Length < 2 * ActivationChunk)
        {
            Apply(function, x, y, 0, x.Length);
            return;
        }

        fixed (T* input = x, output = y)
        {
            var work = new ActivationWork<T> { Function = function, X = input, Y = output, Length = x.Length };
            ParallelRange.Run(ref work, x.Length / ActivationChunk, ActivationChunkCost);
        }
    }

    /// <summary>The function on elements <paramref name="start"/> … <paramref name="end"/> − 1.</summary>
    private static void Apply<T>(Activation function, ReadOnlySpan<T> x, Span<T> y, int start, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> from = x[start..end];
        Span<T> to = y[start..end];
        switch (function)
        {
            case Activation.Tanh when typeof(T) == typeof(float) && FloatTanh.IsSupported:
                FloatTanh.Apply(MemoryMarshal.Cast<T, float>(from), MemoryMarshal.Cast<T, float>(to));
                break;
            case Activation.Tanh when typeof(T) == typeof(float):
                VectorTanh(MemoryMarshal.Cast<T, float>(from), MemoryMarshal.Cast<T, float>(to));
                break;
            case Activation.Tanh when typeof(T) == typeof(double) && DoubleTanh.IsSupported:
                DoubleTanh.Apply(MemoryMarshal.Cast<T, double>(from), MemoryMarshal.Cast<T, double>(to));
                break;
            case Activation.Tanh:
                EachElement<T, TanhOf<T>>(from, to);
                break;
            case Activation.Sigmoid when typeof(T) == typeof(float):
                TensorPrimitives.Sigmoid(from, to);
                break;
            case Activation.Sigmoid:
                EachElement<T, SigmoidOf<T>>(from, to);
                break;
            case Activation.Exp when typeof(T) == typeof(float):
                TensorPrimitives.Exp(from, to);
                break;
            case Activation.Exp:
                EachElement<T, ExpOf<T>>(from, to);
                break;
            case Activation.Log when typeof(T) == typeof(float):
                TensorPrimitives.Log(from, to);
                break;
            default:
                EachElement<T, LogOf<T>>(from, to);
                break;
        }
    }

    /// <summary><c>y[i] = f(x[i])</c>, the scalar function of each element, as a generated loop computes it in double.</summary>
    private static void EachElement<T, TFunction>(ReadOnlySpan<T> x, Span<T> y)
        where TFunction : IScalarFunction<T>
    {
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = TFunction.Of(x[i]);
        }
    }

    /// <summary>
    /// Float tanh without 256-bit vectors: <see cref="Simd.Tanh{T}(Vector{T})"/>, the vectorised tanh of the generated
    /// loops, a vector at a time, the last, partial vector computed as a whole vector ending at the buffer's end (read
    /// before anything is written, so the output may be the input), so that every element takes the vector code
    /// wherever it lies.
    /// </summary>
    internal static void VectorTanh(ReadOnlySpan<float> x, Span<float> y)
    {
        int width = Vector<float>.Count;
        if (x.Length < width)
        {
            Span<float> lanes = stackalloc float[width];
            lanes.Clear();
            x.CopyTo(lanes);
            Simd.Tanh(new Vector<float>(lanes)).CopyTo(lanes);
            lanes[..x.Length].CopyTo(y);
            return;
        }

        var last = new Vector<float>(x[^width..]);
        int i = 0;
        for (; i <= x.Length - width; i += width)
        {
            Simd.Tanh(new Vector<float>(x.Slice(i, width))).CopyTo(y.Slice(i, width));
        }

        if (i < x.Length)
        {
            Simd.Tanh(last).CopyTo(y[^width..]);
        }
    }

    private static void SameLength<T>(ReadOnlySpan<T> x, Span<T> y)
    {
        if (x.Length != y.Length)
        {
            throw new ArgumentException($"The output has {y.Length} elements but the input {x.Length}.", nameof(y));
        }
    }

    /// <summary>Chunks of an activation: chunk c covers elements c·<see cref="ActivationChunk"/> onward, the last to the end.</summary>
    private unsafe struct ActivationWork<T> : IRangeWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public Activation Function;
        public T* X;
        public T* Y;
        public int Length;

        /// <inheritdoc/>
        public readonly void Run(int start, int end)
        {
            int chunks = Length / ActivationChunk;
            int last = end == chunks ? Length : end * ActivationChunk;
            Apply(Function, new ReadOnlySpan<T>(X, Length), new Span<T>(Y, Length), start * ActivationChunk, last);
        }
    }
}
