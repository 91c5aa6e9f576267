using System.Numerics;
using Graph.Distributed.Training;
using Graph.Runtime;

namespace Graph.Samples.Chapter11;

/// <summary>
/// A sentiment network's generated <c>Backward</c> bound to the training reviews, for
/// <see cref="DataParallelTrainer{T}"/>: the network takes one review per call (a variable-length index input),
/// so the trainer calls it review by review. Each call also records whether the review counts as correct for the
/// book's training accuracy.
/// </summary>
public sealed class SentimentShards<T> : IDataParallelModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ISentimentNetwork<T> network;
    private readonly IReadOnlyList<int[]> reviews;
    private readonly IReadOnlyList<int> labels;
    private readonly T[] label = new T[1];

    /// <param name="labels">1 for a positive review, 0 for a negative one, one per review.</param>
    public SentimentShards(ISentimentNetwork<T> network, IReadOnlyList<int[]> reviews, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(reviews);
        ArgumentNullException.ThrowIfNull(labels);
        this.network = network;
        this.reviews = reviews;
        this.labels = labels;
        Correct = new int[reviews.Count];
    }

    /// <summary>1 for each review this rank trained and got right (<see cref="SentimentTraining.IsCorrect{T}"/>), else 0.</summary>
    public int[] Correct { get; }

    public ParameterSet<T> Parameters => network.Parameters;

    public T Backward(int first, int count)
    {
        if (count != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The sentiment network takes one review per Backward.");
        }

        label[0] = T.CreateChecked(labels[first]);
        T loss = network.Backward(reviews[first], label);
        Correct[first] = SentimentTraining.IsCorrect(loss) ? 1 : 0;
        return loss;
    }

    public void ApplyGradients(T learningRate) => network.ApplyGradients(learningRate);
}
