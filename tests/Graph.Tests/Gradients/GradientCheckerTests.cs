using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Gradients;

/// <summary>The runtime's gradient check on hand-written losses whose true gradients are known.</summary>
public sealed class GradientCheckerTests
{
    /// <summary>L(w) = scale · Σ c_i w_i², so ∂L/∂w_i = 2 scale c_i w_i.</summary>
    private static (ParameterSet<double> Parameters, Func<double> Loss, Func<double> Backward) Quadratic(double scale, double sign = 1)
    {
        var w = new Parameter<double>("w", [3]);
        double[] c = [1.5, -2, 0.25];
        new double[] { 0.3, -0.7, 1.1 }.CopyTo(w.Value, 0);
        var parameters = new ParameterSet<double>(w);
        double Loss() => scale * Enumerable.Range(0, 3).Sum(i => c[i] * w.Value[i] * w.Value[i]);
        double Backward()
        {
            for (int i = 0; i < 3; i++)
            {
                w.Gradient[i] = sign * 2 * scale * c[i] * w.Value[i];
            }

            return Loss();
        }

        return (parameters, Loss, Backward);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(1e-9)]
    [InlineData(1e6)]
    public void ARightGradientPassesAtAnyScale(double scale)
    {
        var (parameters, loss, backward) = Quadratic(scale);

        var result = GradientChecker.Check(parameters, loss, backward);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal(3, result.CheckedElements);
        Assert.InRange(result.Worst!.RelativeError, 0, 1e-6);
    }

    /// <summary>
    /// A sign flipped in a gradient of about 1e-9: an absolute tolerance of 1e-6 (the check these tests used before)
    /// passes it; the relative error with a noise floor does not.
    /// </summary>
    [Fact]
    public void AWrongGradientFarBelowOneIsCaught()
    {
        var (parameters, loss, backward) = Quadratic(1e-9, sign: -1);

        var result = GradientChecker.Check(parameters, loss, backward);

        Assert.False(result.Passed);
        Assert.Equal(3, result.Failures.Count);
        Assert.All(result.Failures, f => Assert.True(Math.Abs(f.Analytic - f.Numeric) < 1e-6, "an absolute 1e-6 would have passed it"));
        var worst = result.Worst!;
        Assert.Equal("w", worst.Parameter);
        Assert.Equal(2, worst.RelativeError, 1e-3);
        Assert.StartsWith("Gradient check failed: 3 of 3 elements beyond relative error 1E-06; worst w[", result.ToString(), StringComparison.Ordinal);
        var error = Assert.Throws<GradientCheckException>(result.ThrowIfFailed);
        Assert.Equal(result.ToString(), error.Message);
    }

    [Fact]
    public void ValuesAreRestoredAndOnlySampledElementsAreChecked()
    {
        var (parameters, loss, backward) = Quadratic(1.0);
        double[] before = (double[])parameters["w"].Value.Clone();

        var result = GradientChecker.Check(parameters, loss, backward, new GradientCheckOptions { SamplesPerParameter = 1 });

        Assert.Equal(before, parameters["w"].Value);
        Assert.Equal(1, result.CheckedElements);
    }

    [Fact]
    public void AFrozenElementMustHaveNoGradient()
    {
        var w = new Parameter<double>("w", [2], frozenElements: [1]);
        var parameters = new ParameterSet<double>(w);
        double Loss() => w.Value[0] + w.Value[1];
        double Backward()
        {
            w.Gradient[0] = 1;
            w.Gradient[1] = 1;
            return Loss();
        }

        var result = GradientChecker.Check(parameters, Loss, Backward);

        var failure = Assert.Single(result.Failures);
        Assert.Equal((1, true, double.PositiveInfinity), (failure.Index, failure.Frozen, failure.RelativeError));
        Assert.Same(failure, result.Worst);
    }

    [Fact]
    public void AModelWithNothingToCheckFails()
    {
        var w = new Parameter<double>("w", [2], frozen: true);
        var result = GradientChecker.Check(new ParameterSet<double>(w), () => 0, () => 0);

        Assert.False(result.Passed);
        Assert.Equal("Gradient check failed: the model has no trainable element to check.", result.ToString());
    }
}
