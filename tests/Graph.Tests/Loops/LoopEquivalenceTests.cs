using Xunit;
using static Graph.Tests.Loops.LoopAsserts;

namespace Graph.Tests.Loops;

/// <summary>
/// A model's loop code computes exactly what its unrolled twin computes: the forward output, the loss, every parameter
/// gradient and the parameters after training steps are the same doubles, bit for bit, for the character LSTM, the
/// bAbI recurrence with padded sentences, a loop that appends a dense sequence's states, and a loop whose first step
/// differs, at one sample and a batch of three.
/// </summary>
public sealed class LoopEquivalenceTests
{
    public static TheoryData<string, int> Cases() => LoopTwins.AtBatchesOneAndThree(LoopTwins.Pairs.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheForwardOutputAndTheLossAreTheUnrolledOnes(string pair, int batch)
    {
        var (loop, unrolled) = Create(pair, batch);
        AssertSameBits(unrolled.Forward(), loop.Forward(), "the forward output");
        AssertSameBits([unrolled.Loss()], [loop.Loss()], "the loss");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryGradientIsTheUnrolledOne(string pair, int batch)
    {
        var (loop, unrolled) = Create(pair, batch);
        AssertSameBits([unrolled.Backward()], [loop.Backward()], "Backward's loss");
        foreach (var (l, u) in loop.Parameters.Zip(unrolled.Parameters))
        {
            // A gradient of zeros would match whatever the code computes.
            Assert.Contains(u.Gradient, g => g != 0);
            AssertSameBits(u.Gradient, l.Gradient, $"the gradient of {l.Name}");
            Assert.Equal(u.TouchedRows?.Rows.ToArray().Order(), l.TouchedRows?.Rows.ToArray().Order());
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThreeTrainingStepsLeaveTheSameParameters(string pair, int batch)
    {
        var (loop, unrolled) = Create(pair, batch);
        for (int step = 0; step < 3; step++)
        {
            AssertSameBits([unrolled.TrainStep(0.1)], [loop.TrainStep(0.1)], $"the loss of training step {step}");
        }

        foreach (var (l, u) in loop.Parameters.Zip(unrolled.Parameters))
        {
            AssertSameBits(u.Value, l.Value, $"{l.Name} after three training steps");
        }
    }

    /// <summary>The two twins of a pair, with the same parameters, on the same inputs.</summary>
    private static (TwinRun Loop, TwinRun Unrolled) Create(string pair, int batch)
    {
        var (loop, unrolled) = (LoopTwins.Pairs[pair].Loop(batch), LoopTwins.Pairs[pair].Unrolled(batch));
        Assert.Equal(unrolled.Parameters.Select(p => p.ToString()), loop.Parameters.Select(p => p.ToString()));
        foreach (var (l, u) in loop.Parameters.Zip(unrolled.Parameters))
        {
            AssertSameBits(u.Value, l.Value, $"{l.Name} as set");
        }

        return (loop, unrolled);
    }
}
