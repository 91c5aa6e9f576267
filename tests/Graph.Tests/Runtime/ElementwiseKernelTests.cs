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
    public void TanhSigmoidExpAndLogMatchTheScalarFunctions(int length)
    {
        var random = new NumpyRandom(5);
        double[] x = Enumerable.Range(0, length).Select(_ => (random.RandomSample() * 8) - 4).ToArray();
        double[] positive = x.Select(v => Math.Abs(v) + 0.01).ToArray();

        AssertClose(x.Select(v => Math.Tanh(v)), Apply(Kernels.Tanh, x));
        AssertClose(x.Select(v => 1 / (1 + Math.Exp(-v))), Apply(Kernels.Sigmoid, x));
        AssertClose(x.Select(v => Math.Exp(v)), Apply(Kernels.Exp, x));
        AssertClose(positive.Select(v => Math.Log(v)), Apply(Kernels.Log, positive));
    }

    [Fact]
    public void AMismatchedOutputLengthIsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => Kernels.Tanh<float>(new float[4], new float[3]));

        Assert.Equal("y", error.ParamName);
        Assert.Contains("3 elements but the input 4", error.Message, StringComparison.Ordinal);
    }

    private delegate void Function(ReadOnlySpan<double> x, Span<double> y);

    private static double[] Apply(Function function, double[] x)
    {
        var y = new double[x.Length];
        function(x, y);
        return y;
    }

    private static void AssertClose(IEnumerable<double> expected, double[] actual)
    {
        double[] wanted = expected.ToArray();
        Assert.Equal(wanted.Length, actual.Length);
        for (int i = 0; i < wanted.Length; i++)
        {
            Assert.True(Math.Abs(wanted[i] - actual[i]) <= 1e-14 * Math.Max(1, Math.Abs(wanted[i])), $"element {i}: expected {wanted[i]:R}, got {actual[i]:R}");
        }
    }
}
