using System.Globalization;

namespace Graph.Runtime;

/// <summary>
/// How the learning rate of an <see cref="Optimizer"/> changes with the number of steps already taken: constant (the
/// default), step decay, or cosine annealing. A schedule is a value: the same schedule and step give the same rate.
/// </summary>
public readonly record struct LearningRateSchedule
{
    private LearningRateSchedule(ScheduleKind kind, double factor, long every, long steps, double minimum)
    {
        Kind = kind;
        Factor = factor;
        Every = every;
        Steps = steps;
        Minimum = minimum;
    }

    /// <summary>The optimizer's learning rate at every step.</summary>
    public static LearningRateSchedule Constant => default;

    /// <summary>Which schedule this is.</summary>
    public ScheduleKind Kind { get; }

    /// <summary>Step decay: what the rate is multiplied by once every <see cref="Every"/> steps.</summary>
    public double Factor { get; }

    /// <summary>Step decay: how many steps run at each rate.</summary>
    public long Every { get; }

    /// <summary>Cosine: the steps over which the rate falls to <see cref="Minimum"/>.</summary>
    public long Steps { get; }

    /// <summary>Cosine: the rate from step <see cref="Steps"/> on.</summary>
    public double Minimum { get; }

    /// <summary>
    /// The rate times <paramref name="factor"/> after every <paramref name="every"/> steps:
    /// <c>rate · factor^⌊step / every⌋</c>, computed as that many successive multiplications, so that it equals the
    /// book's <c>alpha *= 0.99</c> once per iteration bit for bit (with <paramref name="every"/> the steps of an iteration).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The factor is not a positive finite number, or <paramref name="every"/> is below 1.</exception>
    public static LearningRateSchedule StepDecay(double factor, long every = 1)
    {
        if (!(double.IsFinite(factor) && factor > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The decay factor must be a positive finite number.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(every, 1);
        return new LearningRateSchedule(ScheduleKind.StepDecay, factor, every, 0, 0);
    }

    /// <summary>
    /// Cosine annealing: <c>minimum + (rate - minimum) · (1 + cos(π · step / steps)) / 2</c> for the first
    /// <paramref name="steps"/> steps, then <paramref name="minimum"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below 1, or the minimum is negative or not finite.</exception>
    public static LearningRateSchedule Cosine(long steps, double minimum = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (!(double.IsFinite(minimum) && minimum >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "The minimum rate must be a finite number of at least 0.");
        }

        return new LearningRateSchedule(ScheduleKind.Cosine, 0, 0, steps, minimum);
    }

    /// <summary>The learning rate of the step that follows <paramref name="step"/> steps already taken, from the optimizer's <paramref name="learningRate"/>.</summary>
    public double RateAt(double learningRate, long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        switch (Kind)
        {
            case ScheduleKind.StepDecay:
                double rate = learningRate;
                for (long decays = step / Every; decays > 0; decays--)
                {
                    rate *= Factor;
                }

                return rate;
            case ScheduleKind.Cosine:
                return step >= Steps ? Minimum : Minimum + ((learningRate - Minimum) * (1 + Math.Cos(Math.PI * step / Steps)) / 2);
            default:
                return learningRate;
        }
    }

    public override string ToString() => Kind switch
    {
        ScheduleKind.StepDecay => string.Create(CultureInfo.InvariantCulture, $"step decay x{Factor} every {Every} steps"),
        ScheduleKind.Cosine => string.Create(CultureInfo.InvariantCulture, $"cosine to {Minimum} over {Steps} steps"),
        _ => "constant",
    };
}
