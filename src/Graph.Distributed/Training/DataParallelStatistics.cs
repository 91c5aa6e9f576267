using System.Globalization;

namespace Graph.Distributed.Training;

/// <summary>What a <see cref="DataParallelTrainer{T}"/> has measured on this rank: steps, their time and the gradient exchange's share.</summary>
public sealed class DataParallelStatistics
{
    /// <summary>The ranks of the job.</summary>
    public int Ranks { get; init; }

    /// <summary>The training steps taken.</summary>
    public long Steps { get; internal set; }

    /// <summary>The wall-clock time inside <see cref="DataParallelTrainer{T}.Step"/>: the shard's Backward, the exchange and the update.</summary>
    public TimeSpan StepTime { get; internal set; }

    /// <summary>The part of <see cref="StepTime"/> spent exchanging gradients (the allreduce and the row allgathers, waiting for the slowest rank included).</summary>
    public TimeSpan ExchangeTime { get; internal set; }

    /// <summary>The payload bytes this rank handed to MPI for the exchanges.</summary>
    public long PayloadBytes { get; internal set; }

    /// <summary>One line: ranks, steps per second, exchange time per step and its share, payload bytes per step.</summary>
    public override string ToString()
    {
        var culture = CultureInfo.InvariantCulture;
        if (Steps == 0)
        {
            return string.Create(culture, $"data-parallel: {Ranks} ranks, no steps");
        }

        double seconds = StepTime.TotalSeconds;
        return string.Create(culture,
            $"data-parallel: {Ranks} ranks, {Steps} steps, {Steps / seconds:0.0} steps/s, gradient exchange {ExchangeTime.TotalMilliseconds / Steps:0.000} ms/step " +
            $"({100 * ExchangeTime.TotalSeconds / seconds:0.0}% of the step time), {PayloadBytes / Steps:N0} payload bytes/step sent by this rank");
    }
}
