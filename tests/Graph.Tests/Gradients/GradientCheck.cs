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

/// <summary>Compares a compiled Backward with central finite differences of the compiled loss, in double precision.</summary>
public static class GradientCheck
{
    /// <summary>
    /// Checks every element of every trainable parameter (or, with <paramref name="samplesPerParameter"/>, that many
    /// elements of each, spread evenly); frozen elements must have a zero gradient.
    /// </summary>
    public static void Run(Func<ReadOnlySpan<double>, ReadOnlySpan<double>, int, double> loss, Func<ReadOnlySpan<double>, ReadOnlySpan<double>, int, double> backward, ParameterSet<double> parameters, double[] x, double[] r, int batch, int? samplesPerParameter = null)
    {
        backward(x, r, batch);
        int checkedElements = 0;
        foreach (var parameter in parameters)
        {
            var analytic = (double[])parameter.Gradient.Clone();
            var frozen = new HashSet<int>(parameter.FrozenElements.ToArray());
            int step = samplesPerParameter is int samples ? Math.Max(1, parameter.Size / samples) : 1;
            for (int i = 0; i < parameter.Size; i += step)
            {
                if (parameter.IsFrozen || frozen.Contains(i))
                {
                    Assert.Equal(0.0, analytic[i]);
                    continue;
                }

                double saved = parameter.Value[i];
                double h = 1e-6 * Math.Max(1.0, Math.Abs(saved));
                parameter.Value[i] = saved + h;
                double plus = loss(x, r, batch);
                parameter.Value[i] = saved - h;
                double minus = loss(x, r, batch);
                parameter.Value[i] = saved;
                double numeric = (plus - minus) / (2 * h);
                double tolerance = 1e-6 * Math.Max(1.0, Math.Abs(numeric));
                Assert.True(
                    Math.Abs(numeric - analytic[i]) <= tolerance,
                    $"{parameter.Name}[{i}]: Backward gives {analytic[i]:R}, central differences {numeric:R} (batch {batch}).");
                checkedElements++;
            }
        }

        Assert.True(checkedElements > 0, "The model has no trainable element to check.");
    }

    /// <summary>Checks a model that takes an input x and a projection r.</summary>
    public static void Run(IGradientCheckModel model, int xSize, int rSize, int batch, int seed = 7)
    {
        var random = new NumpyRandom((uint)seed);
        var x = Draw(random, xSize * batch);
        var r = Draw(random, rSize * batch);
        Run(model.Loss, model.Backward, model.Parameters, x, r, batch);
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
