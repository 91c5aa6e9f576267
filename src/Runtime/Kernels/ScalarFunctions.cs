using System.Numerics;

namespace Graph.Runtime;

/// <summary>
/// A function of one element, as a type: the kernels that apply a scalar function element by element (the lanes of
/// <see cref="Simd"/>'s transcendental functions in double, the buffer activations of <see cref="Kernels"/> in
/// double) are generic over it, so the JIT compiles each function into the loop.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IScalarFunction<T>
{
    /// <summary>The function of <paramref name="x"/>.</summary>
    static abstract T Of(T x);
}

/// <summary><c>tanh(x)</c>.</summary>
internal readonly struct TanhOf<T> : IScalarFunction<T>
    where T : IFloatingPointIeee754<T>
{
    public static T Of(T x) => T.Tanh(x);
}

/// <summary><c>1 / (1 + exp(-x))</c>, the sigmoid as a generated loop computes it.</summary>
internal readonly struct SigmoidOf<T> : IScalarFunction<T>
    where T : IFloatingPointIeee754<T>
{
    public static T Of(T x) => T.One / (T.One + T.Exp(-x));
}

/// <summary><c>exp(x)</c>.</summary>
internal readonly struct ExpOf<T> : IScalarFunction<T>
    where T : IFloatingPointIeee754<T>
{
    public static T Of(T x) => T.Exp(x);
}

/// <summary><c>log(x)</c>.</summary>
internal readonly struct LogOf<T> : IScalarFunction<T>
    where T : IFloatingPointIeee754<T>
{
    public static T Of(T x) => T.Log(x);
}
