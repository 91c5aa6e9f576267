namespace Graph.Runtime;

/// <summary>One step of a generated method as a <see cref="StepProfile"/> measured it.</summary>
/// <param name="Method">The generated method (its name in the model: a forward method, a loss, or <c>Backward</c> for
/// the body that <c>Backward</c> and <c>TrainStep</c> share).</param>
/// <param name="Step">The step's place in the method, from 0.</param>
/// <param name="Name">The step's node and the source expression it computes.</param>
/// <param name="Calls">How many times the step ran.</param>
/// <param name="Total">The wall-clock time the step took over those runs.</param>
/// <param name="Share">The step's part of its method's total time, from 0 to 1 (0 where the method took no time).</param>
public readonly record struct StepTiming(string Method, int Step, string Name, long Calls, TimeSpan Total, double Share)
{
    /// <summary>The mean time per run in microseconds (0 where the step never ran).</summary>
    public double MicrosecondsPerCall => Calls == 0 ? 0 : Total.TotalMicroseconds / Calls;
}
