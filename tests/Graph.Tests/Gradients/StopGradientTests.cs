using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Gradients;

public sealed class StopGradientTests
{
    [Fact]
    public void StraightThroughReluHasReluValuesBitForBitAndTheIdentityGradient()
    {
        var model = new StopGradientModel(4);
        var random = new NumpyRandom(8);
        var x = GradientCheck.Draw(random, 3 * 5);
        var r = GradientCheck.Draw(random, 4 * 5);
        var relu = new double[20];
        var straight = new double[20];
        model.Relu(x, relu, 5);
        model.StraightThrough(x, straight, 5);
        Assert.Equal(relu, straight);
        Assert.Contains(relu, v => v == 0);

        // ∂/∂W of Σ (x·W) ⊙ r, as if there were no relu: mean over the batch of x ⊗ r.
        model.Backward(x, r, 5);
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 4; j++)
            {
                double expected = 0;
                for (int s = 0; s < 5; s++)
                {
                    expected += x[(s * 3) + i] * r[(s * 4) + j];
                }

                Assert.Equal(expected / 5, model.Parameters["W"].Gradient[(i * 4) + j], 12);
            }
        }
    }
}
