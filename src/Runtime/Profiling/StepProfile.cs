using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Graph.Runtime;

/// <summary>
/// The wall-clock time each step of a compiled model's generated methods takes where it runs, inside the method, after
/// the steps before it: set a model's <c>Profile</c> property to an instance, train, then read <see cref="Steps"/> or
/// print <see cref="ToString"/>. A model whose <c>Profile</c> is null (the default) only tests for null between its
/// steps. Each step's time is read from <see cref="Stopwatch.GetTimestamp"/> on the calling thread before and after it,
/// so a step split across threads counts until its last part is done, and each reading adds its own cost (tens of
/// nanoseconds) to the step it ends: on steps of a microsecond or less, compare profiles, not absolute times.
/// </summary>
/// <remarks>A profile belongs to one model class (the first <see cref="StepLayout"/> it is attached to); several
/// instances of that class may share it, their times then added together. Like a model instance, it is for one thread
/// at a time.</remarks>
public sealed class StepProfile
{
    private StepLayout? layout;
    private long[][] ticks = [];
    private long[][] calls = [];

    /// <summary>The steps this profile times, once a model has been given it; null before.</summary>
    public StepLayout? Layout => layout;

    /// <summary>
    /// Binds the profile to a model class's steps; the generated <c>Profile</c> property calls it. Attaching the same
    /// layout again keeps the times.
    /// </summary>
    /// <exception cref="InvalidOperationException">The profile already times another model class.</exception>
    public void Attach(StepLayout steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (layout is not null)
        {
            if (!ReferenceEquals(layout, steps))
            {
                throw new InvalidOperationException(
                    $"This StepProfile times the steps of {layout.Model}; give {steps.Model} a StepProfile of its own (a profile times one model class, and each closed type of a generic model, Net<float> or Net<double>, is a class of its own).");
            }

            return;
        }

        layout = steps;
        ticks = [.. steps.Methods.Select(m => new long[m.Steps.Count])];
        calls = [.. steps.Methods.Select(m => new long[m.Steps.Count])];
    }

    /// <summary>
    /// Adds the time from <paramref name="since"/> to now to step <paramref name="step"/> of method
    /// <paramref name="method"/> (their places in <see cref="Layout"/>) and returns now, the start of the next step.
    /// Generated code calls it after each step.
    /// </summary>
    /// <exception cref="InvalidOperationException">No model has been given the profile.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The method or the step is not in the layout.</exception>
    public long Record(int method, int step, long since)
    {
        long now = Stopwatch.GetTimestamp();
        if (layout is null)
        {
            throw new InvalidOperationException("This StepProfile has no steps to time: set it as a model's Profile first.");
        }

        if ((uint)method >= (uint)ticks.Length || (uint)step >= (uint)ticks[method].Length)
        {
            throw new ArgumentOutOfRangeException(method >= 0 && method < ticks.Length ? nameof(step) : nameof(method),
                $"{layout.Model} has no step {step} of method {method}.");
        }

        ticks[method][step] += now - since;
        calls[method][step]++;
        return now;
    }

    /// <summary>Every step of every method in the layout's order, with the time it took since the profile was attached or last reset.</summary>
    public IReadOnlyList<StepTiming> Steps
    {
        get
        {
            if (layout is null)
            {
                return [];
            }

            var steps = new List<StepTiming>();
            for (int m = 0; m < ticks.Length; m++)
            {
                var (name, names) = layout.Methods[m];
                long total = ticks[m].Sum();
                for (int s = 0; s < names.Count; s++)
                {
                    steps.Add(new StepTiming(name, s, names[s], calls[m][s], Stopwatch.GetElapsedTime(0, ticks[m][s]),
                        total == 0 ? 0 : (double)ticks[m][s] / total));
                }
            }

            return steps;
        }
    }

    /// <summary>Clears the times and counts (after a warm-up, say); the layout stays.</summary>
    public void Reset()
    {
        foreach (var row in ticks)
        {
            Array.Clear(row);
        }

        foreach (var row in calls)
        {
            Array.Clear(row);
        }
    }

    /// <summary>
    /// A Markdown table per method that ran: each step's mean microseconds per run, its share of the method and its
    /// name, then the method's steps added up.
    /// </summary>
    public override string ToString()
    {
        if (layout is null)
        {
            return "StepProfile: not given to a model.";
        }

        var text = new StringBuilder();
        foreach (var method in Steps.GroupBy(s => s.Method))
        {
            long runs = method.Max(s => s.Calls);
            if (runs == 0)
            {
                continue;
            }

            text.Append(CultureInfo.InvariantCulture, $"{layout.Model}.{method.Key}, {runs} runs:\n\n");
            text.Append("| step | µs per run | share | computes |\n|---:|---:|---:|---|\n");
            foreach (var step in method)
            {
                text.Append(CultureInfo.InvariantCulture, $"| {step.Step} | {step.MicrosecondsPerCall:0.00} | {step.Share:0.0%} | {step.Name.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
            }

            double sum = method.Sum(s => s.MicrosecondsPerCall);
            text.Append(CultureInfo.InvariantCulture, $"| all | {sum:0.00} | 100% | |\n\n");
        }

        return text.Length == 0 ? $"StepProfile of {layout.Model}: no step has run." : text.ToString().TrimEnd('\n') + "\n";
    }
}
