using System.Numerics;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

public sealed class ElementwiseKernelTests
{
    [Fact]
    public void ReluAndStepTreatNaNAndZeroAsTheScalarComparisonDoes()
    {
        double[] values = Enumerable.Range(0, Vector<double>.Count).Select(i => (i % 4) switch { 0 => double.NaN, 1 => 0.0, 2 => -2.5, _ => 3.0 }).ToArray();
        var relu = new double[values.Length];
        var step = new double[values.Length];

        Simd.Store<double>(Simd.Relu(Simd.Load<double>(values, 0)), relu, 0);
        Simd.Store<double>(Simd.Step(Simd.Load<double>(values, 0)), step, 0);

        Assert.Equal(values.Select(x => x > 0 ? x : 0.0), relu);
        Assert.Equal(values.Select(x => x > 0 ? 1.0 : 0.0), step);
    }

    [Fact]
    public void LoadRefusesAWindowPastTheEnd()
    {
        var values = new float[Vector<float>.Count + 1];

        Assert.Throws<ArgumentOutOfRangeException>(() => Simd.Load<float>(values, 2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1000)]
    [InlineData(40000)]
    public void DoubleActivationsOverABufferAreTheScalarFunctionsOfEachElement(int length)
    {
        // As a generated loop computes each of them fused with other operations: a function stored on its own and
        // the same function in a loop give the same bits, small values included, on one thread or split in chunks.
        double[] x = Magnitudes(length, scale => scale);
        double[] positive = x.Select(v => Math.Abs(v)).ToArray();

        Assert.Equal(x.Select(Math.Tanh), Apply(Kernels.Tanh, x));
        Assert.Equal(x.Select(v => 1 / (1 + Math.Exp(-v))), Apply(Kernels.Sigmoid, x));
        Assert.Equal(x.Select(v => Math.Exp(v)), Apply(Kernels.Exp, x));
        Assert.Equal(positive.Select(v => Math.Log(v)), Apply(Kernels.Log, positive));

        double[] inPlace = (double[])x.Clone();
        Kernels.Tanh<double>(inPlace, inPlace);
        Assert.Equal(x.Select(Math.Tanh), inPlace);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(1000)]
    [InlineData(40000)]
    public void FloatTanhKeepsTheRelativePrecisionOfSmallValues(int length)
    {
        float[] x = Magnitudes(length, scale => (float)scale);
        var buffer = new float[length];
        var vectors = new float[length];
        Kernels.Tanh<float>(x, buffer);
        Kernels.VectorTanh(x, vectors);

        foreach (float[] y in new[] { buffer, vectors })
        {
            for (int i = 0; i < length; i++)
            {
                double exact = Math.Tanh(x[i]);
                Assert.True(Math.Abs(y[i] - exact) <= Math.Abs(exact) * Math.ScaleB(1.0, -23), $"tanh({x[i]:R}) = {exact:R}, got {y[i]:R}");
            }
        }
    }

    [Fact]
    public void AMismatchedOutputLengthIsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => Kernels.Tanh<float>(new float[4], new float[3]));

        Assert.Equal("y", error.ParamName);
        Assert.Contains("3 elements but the input 4", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Values of both signs from 10⁻¹² to 10 in magnitude, as a <typeparamref name="T"/> array.</summary>
    private static T[] Magnitudes<T>(int length, Func<double, T> convert)
    {
        var random = new NumpyRandom(3);
        return Enumerable.Range(0, length)
            .Select(_ => convert((random.RandomSample() < 0.5 ? -1 : 1) * Math.Pow(10, (random.RandomSample() * 13) - 12)))
            .ToArray();
    }

    private delegate void Function(ReadOnlySpan<double> x, Span<double> y);

    private static double[] Apply(Function function, double[] x)
    {
        var y = new double[x.Length];
        function(x, y);
        return y;
    }
}
