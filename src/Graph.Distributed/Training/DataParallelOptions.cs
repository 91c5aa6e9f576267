using Graph.Distributed.Mpi;

namespace Graph.Distributed.Training;

/// <summary>How <see cref="DataParallelTrainer{T}"/> splits a batch and combines the ranks' gradients.</summary>
public sealed record DataParallelOptions
{
    /// <summary>
    /// How the model's loss combines the samples of a batch (its <c>[Loss]</c>'s <see cref="Reduction"/>): with
    /// <see cref="Reduction.Mean"/> a rank's gradient is weighted by its share of the batch, with
    /// <see cref="Reduction.Sum"/> the ranks' gradients are added as they are.
    /// </summary>
    public Reduction Loss { get; init; } = Reduction.Mean;

    /// <summary>
    /// The most samples one <c>Backward</c> call takes: 1 for a model whose inputs hold one sample per call (a
    /// variable-length <c>[Indices]</c> input), whose shard is then trained sample by sample and summed.
    /// </summary>
    public int MaxSamplesPerBackward { get; init; } = int.MaxValue;

    /// <summary>How the dense gradients are added over the ranks.</summary>
    public Summation Summation { get; init; } = Summation.Allreduce;

    /// <summary>
    /// The run's settings that every rank must share beyond the parameters' shapes (learning rate, batch, seed...),
    /// as text: part of the fingerprint compared across ranks at start-up.
    /// </summary>
    public string Settings { get; init; } = string.Empty;
}
