using Graph.Runtime;

namespace Graph.Tests.Optimizers;

/// <summary>
/// The update equations that <see cref="Optimizer"/> documents, written out element by element in double, apart
/// from the runtime's kernels: what a model's optimizer steps are compared with.
/// </summary>
internal sealed class ReferenceOptimizer
{
    private readonly Optimizer optimizer;
    private readonly Dictionary<string, double[]> first = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double[]> second = new(StringComparer.Ordinal);
    private long steps;

    public ReferenceOptimizer(Optimizer optimizer) => this.optimizer = optimizer;

    /// <summary>The global norm of the last step's gradients (NaN without clipping).</summary>
    public double LastNorm { get; private set; } = double.NaN;

    /// <summary>The first moment (or velocity) of a parameter.</summary>
    public double[] First(string name) => first[name];

    /// <summary>
    /// One step of every trainable parameter from the gradients in <paramref name="parameters"/> (a row-sparse one's
    /// listed rows only), into the parameters' values.
    /// </summary>
    public void Step(ParameterSet<double> parameters)
    {
        long t = steps + 1;
        double rate = Rate(steps);
        double scale = 1;
        if (optimizer.MaxGradientNorm is double max)
        {
            double sum = 0;
            foreach (var parameter in parameters.Where(p => !p.IsFrozen))
            {
                foreach (int i in Elements(parameter))
                {
                    sum += parameter.Gradient[i] * parameter.Gradient[i];
                }
            }

            LastNorm = Math.Sqrt(sum);
            scale = Math.Min(1.0, max / (LastNorm + 1e-6));
        }

        foreach (var parameter in parameters.Where(p => !p.IsFrozen))
        {
            if (!first.TryGetValue(parameter.Name, out var m))
            {
                m = first[parameter.Name] = new double[parameter.Size];
                second[parameter.Name] = new double[parameter.Size];
            }

            var v = second[parameter.Name];
            var frozen = parameter.FrozenElements.ToArray();
            foreach (int i in Elements(parameter).Where(i => !frozen.Contains(i)))
            {
                double g = parameter.Gradient[i] * scale;
                double w = parameter.Value[i];
                switch (optimizer.Kind)
                {
                    case OptimizerKind.Sgd:
                        w = w - (rate * g);
                        break;
                    case OptimizerKind.Momentum:
                        double mu = optimizer.Momentum;
                        double u = (mu * m[i]) + g;
                        m[i] = u;
                        w = w - (rate * (optimizer.Nesterov ? g + (mu * u) : u));
                        break;
                    default:
                        double b1 = optimizer.Beta1, b2 = optimizer.Beta2;
                        if (optimizer.Kind == OptimizerKind.AdamW)
                        {
                            w = w * (1 - (rate * optimizer.WeightDecay));
                        }

                        m[i] = (b1 * m[i]) + ((1 - b1) * g);
                        v[i] = (b2 * v[i]) + ((1 - b2) * (g * g));
                        double stepSize = rate / (1 - Math.Pow(b1, t));
                        double root = Math.Sqrt(1 - Math.Pow(b2, t));
                        w = w - (stepSize * (m[i] / ((Math.Sqrt(v[i]) / root) + optimizer.Epsilon)));
                        break;
                }

                parameter.Value[i] = w;
            }
        }

        steps++;
    }

    /// <summary>The scheduled rate after <paramref name="step"/> steps: step decay as repeated multiplication, cosine by its formula.</summary>
    private double Rate(long step)
    {
        var schedule = optimizer.Schedule;
        switch (schedule.Kind)
        {
            case ScheduleKind.StepDecay:
                double rate = optimizer.LearningRate;
                for (long k = 0; k < step / schedule.Every; k++)
                {
                    rate *= schedule.Factor;
                }

                return rate;
            case ScheduleKind.Cosine:
                return step >= schedule.Steps ? schedule.Minimum
                    : schedule.Minimum + ((optimizer.LearningRate - schedule.Minimum) * (1 + Math.Cos(Math.PI * step / schedule.Steps)) / 2);
            default:
                return optimizer.LearningRate;
        }
    }

    /// <summary>The elements a step updates: every one, or the listed rows of a row-sparse gradient, in list order.</summary>
    private static IEnumerable<int> Elements(Parameter<double> parameter)
    {
        if (parameter.TouchedRows is not { } rows)
        {
            return Enumerable.Range(0, parameter.Size);
        }

        int length = parameter.Shape[1];
        return rows.Rows.ToArray().SelectMany(row => Enumerable.Range(row * length, length));
    }
}
