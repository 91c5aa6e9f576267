using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

public sealed class SgdKernelTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(33)]
    [InlineData(1000)]
    public void VectorisedStepEqualsTheScalarStatementBitForBit(int length)
    {
        var random = new NumpyRandom(4);
        var value = Enumerable.Range(0, length).Select(_ => random.RandomSample() - 0.5).ToArray();
        var gradient = Enumerable.Range(0, length).Select(_ => random.StandardNormal()).ToArray();
        var expected = value.Select((v, i) => v - (0.2 * gradient[i])).ToArray();
        Kernels.SgdStep<double>(value, gradient, 0.2);
        Assert.Equal(expected, value);

        var single = value.Select(v => (float)v).ToArray();
        var singleGradient = gradient.Select(g => (float)g).ToArray();
        var singleExpected = single.Select((v, i) => v - (0.05f * singleGradient[i])).ToArray();
        Kernels.SgdStep<float>(single, singleGradient, 0.05f);
        Assert.Equal(singleExpected, single);
    }

    [Fact]
    public void MismatchedLengthsAreAnError()
    {
        var error = Assert.Throws<ArgumentException>(() => Kernels.SgdStep<float>(new float[3], new float[4], 0.1f));
        Assert.Contains("The gradient holds 4 values but the parameter 3", error.Message, StringComparison.Ordinal);
    }
}
