using Graph;
using static Graph.Ops;
using Xunit;

namespace Graph.Tests.Contracts;

/// <summary>A per-sample hidden layer as wide as its size says: one sample needs <c>Width</c> values of buffer.</summary>
[Model, Size("Width", 4)]
public partial class WideHiddenNetwork
{
    [Param(1, "Width"), InitUniform(-1, 1)] public partial Tensor W { get; }
    [Param("Width", 1), InitUniform(-1, 1)] public partial Tensor V { get; }
    [Forward] public Tensor Predict([Shape(1)] Tensor x) => Relu(x.Dot(W)).Dot(V);
}

public sealed class BatchCapacityTests
{
    [Fact]
    public void ABatchWhoseBufferWouldPassTheLargestArrayIsRefusedAndTheModelStillWorks()
    {
        // 65536 × 65536 = 2^32 values: in int arithmetic the length wraps around to 0, a buffer far too short.
        const int Width = 65536;
        const int Batch = 65536;
        var net = new WideHiddenNetwork(width: Width);
        var inputs = new float[Batch];
        var outputs = new float[Batch];

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => net.Predict(inputs, outputs, Batch));
        Assert.Contains("WideHiddenNetwork needs a buffer of batch 65536 × 65536 values per sample = 4294967296 values", error.Message);

        // The refused batch changed nothing: a batch that fits still runs, and gives what a fresh model gives.
        inputs[0] = 0.5f;
        inputs[1] = -2f;
        net.Predict(inputs.AsSpan(0, 2), outputs.AsSpan(0, 2), 2);
        var fresh = new WideHiddenNetwork(width: Width);
        var expected = new float[2];
        fresh.Predict(inputs.AsSpan(0, 2), expected, 2);
        Assert.Equal(expected, outputs[..2]);
    }
}
