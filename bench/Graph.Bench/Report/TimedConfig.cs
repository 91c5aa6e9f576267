namespace Graph.Bench.Report;

/// <summary>
/// One configuration that <see cref="StepTable.Interleaved"/> times in rounds between the rounds of the others: a step
/// run in this process (<see cref="LocalSteps"/>) or the book's numpy step in its own (<see cref="Numpy.NumpySteps"/>).
/// </summary>
public abstract class TimedConfig(string name)
{
    /// <summary>What the configuration runs, as the bench prints it.</summary>
    public string Name { get; } = name;

    /// <summary>Warms the step up and returns about how long one takes, in seconds, from which its rounds are sized.</summary>
    public abstract double WarmUp();

    /// <summary>Runs <paramref name="steps"/> steps: µs per step, wall-clock and the CPU time of the thread that ran them.</summary>
    public abstract Timing Round(int steps);
}
