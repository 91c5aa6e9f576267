using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Gradients;

/// <summary>What a model needs for a finite-difference check: its generated loss, Backward and parameters.</summary>
public interface IGradientCheckModel
{
    ParameterSet<double> Parameters { get; }

    double Loss(ReadOnlySpan<double> x, ReadOnlySpan<double> r, int batch = 1);

    double Backward(ReadOnlySpan<double> x, ReadOnlySpan<double> r, int batch = 1);
}

/// <summary>
/// The tests' gradient checks: the runtime's <see cref="GradientChecker"/> (central finite differences in double,
/// relative error with a floor from the finite difference's own noise) on a model's loss and Backward, failing the
/// test with the worst element when any element is off.
/// </summary>
public static class GradientCheck
{
    /// <summary>
    /// Checks every element of every trainable parameter (or, with <paramref name="samplesPerParameter"/>, that many
    /// elements of each, spread evenly); frozen elements must have a zero gradient.
    /// </summary>
    public static GradientCheckResult Run(Func<ReadOnlySpan<double>, ReadOnlySpan<double>, int, double> loss, Func<ReadOnlySpan<double>, ReadOnlySpan<double>, int, double> backward, ParameterSet<double> parameters, double[] x, double[] r, int batch, int? samplesPerParameter = null)
    {
        var result = GradientChecker.Check(
            parameters,
            () => loss(x, r, batch),
            () => backward(x, r, batch),
            new GradientCheckOptions { SamplesPerParameter = samplesPerParameter });
        Assert.True(result.Passed, $"batch {batch}: {result}");
        return result;
    }

    /// <summary>Checks a model that takes an input x and a projection r.</summary>
    public static GradientCheckResult Run(IGradientCheckModel model, int xSize, int rSize, int batch, int seed = 7)
    {
        var random = new NumpyRandom((uint)seed);
        var x = Draw(random, xSize * batch);
        var r = Draw(random, rSize * batch);
        return Run(model.Loss, model.Backward, model.Parameters, x, r, batch);
    }

    /// <summary>Uniform values in [-1, 1).</summary>
    public static double[] Draw(NumpyRandom random, int count)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (2 * random.RandomSample()) - 1;
        }

        return values;
    }
}
