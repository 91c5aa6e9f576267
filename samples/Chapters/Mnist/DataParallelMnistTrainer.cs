using System.Numerics;
using Graph.Distributed.Mpi;
using Graph.Distributed.Training;

namespace Graph.Samples.Mnist;

/// <summary>
/// Trains an MNIST network across the ranks of an MPI job with <see cref="DataParallelTrainer{T}"/>: every rank
/// holds the whole data set and the same network, takes its shard of each batch, and the ranks add their gradients.
/// Scoring is sharded too: each rank keeps the predictions of its shard's training pass (the test images it predicts),
/// and the predictions are gathered and scored in image order on every rank.
/// </summary>
public sealed class DataParallelMnistTrainer<T> : IMnistTrainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Classes = Datasets.Mnist.ClassCount;

    /// <summary>The test images each Predict call takes, as <see cref="MnistScore{T}.Of"/> does.</summary>
    private const int TestChunk = 500;

    private readonly Communicator ranks;
    private readonly IMnistNetwork<T> network;
    private readonly MnistSet<T> data;
    private readonly DataParallelTrainer<T> trainer;
    private readonly MnistShards<T> shards;

    /// <param name="dropoutUnits">The dropout mask's units per image: the random draws one image's Backward makes (0 without dropout).</param>
    /// <param name="settings">The run's settings, compared across the ranks at start-up.</param>
    public DataParallelMnistTrainer(Communicator ranks, IMnistNetwork<T> network, MnistSet<T> data, int dropoutUnits, string settings)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        this.ranks = ranks;
        this.network = network;
        this.data = data;
        shards = new MnistShards<T>(network, data.TrainImages, data.TrainLabels, dropoutUnits);
        trainer = new DataParallelTrainer<T>(ranks, shards, new DataParallelOptions { Loss = Reduction.Mean, Settings = settings });
    }

    /// <summary>What the training steps have cost on this rank.</summary>
    public DataParallelStatistics Statistics => trainer.Statistics;

    public MnistScore<T> TrainEpoch(int batch, T learningRate, int? count = null)
    {
        int total = count ?? data.TrainCount;
        var counts = new int[ranks.Size];
        for (int i = 0; i < total; i += batch)
        {
            var shards = Shard.All(Math.Min(batch, total - i), ranks.Size);
            for (int rank = 0; rank < ranks.Size; rank++)
            {
                counts[rank] += shards[rank].Count * Classes;
            }
        }

        // Each rank scores its shard of each batch on the predictions of the pass that trained it.
        var mine = new T[counts[ranks.Rank]];
        int written = 0;
        for (int i = 0; i < total; i += batch)
        {
            int n = Math.Min(batch, total - i);
            trainer.Step(i, n, learningRate);
            var shard = Shard.Of(n, ranks.Size, ranks.Rank);
            shards.Predictions(i + shard.Offset, shard.Count).CopyTo(mine.AsSpan(written));
            written += shard.Count * Classes;
        }

        var gathered = new T[counts.Sum()];
        ranks.AllgatherVariable<T>(mine, gathered, counts);
        var ordered = new T[total * Classes];
        var cursor = new int[ranks.Size];
        for (int rank = 1; rank < ranks.Size; rank++)
        {
            cursor[rank] = cursor[rank - 1] + counts[rank - 1];
        }

        for (int i = 0; i < total; i += batch)
        {
            var shards = Shard.All(Math.Min(batch, total - i), ranks.Size);
            for (int rank = 0; rank < ranks.Size; rank++)
            {
                int length = shards[rank].Count * Classes;
                gathered.AsSpan(cursor[rank], length).CopyTo(ordered.AsSpan((i + shards[rank].Offset) * Classes));
                cursor[rank] += length;
            }
        }

        var score = new MnistScore<T>();
        score.Add(ordered, data.TrainLabel(0, total), data.TrainClasses.AsSpan(0, total));
        return score;
    }

    public MnistScore<T> Test()
    {
        var shards = Shard.All(data.TestCount, ranks.Size);
        var shard = shards[ranks.Rank];
        var mine = new T[shard.Count * Classes];
        for (int start = 0; start < shard.Count; start += TestChunk)
        {
            int n = Math.Min(TestChunk, shard.Count - start);
            int image = shard.Offset + start;
            network.Predict(data.TestImages.AsSpan(image * data.ImageSize, n * data.ImageSize), mine.AsSpan(start * Classes, n * Classes), n);
        }

        var outputs = new T[data.TestCount * Classes];
        ranks.AllgatherVariable<T>(mine, outputs, shards.Select(s => s.Count * Classes).ToArray());
        var score = new MnistScore<T>();
        score.Add(outputs, data.TestLabels, data.TestClasses);
        return score;
    }
}
