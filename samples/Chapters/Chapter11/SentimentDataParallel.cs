using System.Numerics;
using Graph.Distributed.Mpi;
using Graph.Distributed.Training;

namespace Graph.Samples.Chapter11;

/// <summary>
/// E11.2 across the ranks of an MPI job: rank 0 reads and numbers the reviews and broadcasts them, and each step
/// trains <c>batch</c> reviews, sharded over the ranks, with their gradients summed (each review a step of alpha,
/// as in the book's loop, applied together). The embedding's gradient travels as the rows the reviews read.
/// With one rank and a batch of one this is the book's loop, review by review.
/// </summary>
public static class SentimentDataParallel
{
    /// <summary>The reviews as the network reads them: the vocabulary's size, each review's distinct word indices, the labels.</summary>
    public sealed record Reviews(int VocabularySize, int[][] Indices, IReadOnlyList<int> Labels);

    /// <summary>Trains and tests, writing the book's lines; returns the test accuracy and the trainer's statistics.</summary>
    /// <param name="load">Reads the reviews; called on rank 0 only.</param>
    /// <param name="batch">The reviews per step over all ranks.</param>
    public static (double TestAccuracy, DataParallelStatistics Statistics) Run<T>(Communicator ranks, Func<Reviews> load, SentimentSettings s, int batch, TextWriter output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(ranks);
        ArgumentNullException.ThrowIfNull(load);
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        var data = Share(ranks, ranks.IsRoot ? load() : null);
        if (data.Indices.Length < s.TrainSize + SentimentSettings.TestSize)
        {
            throw new ArgumentException($"{data.Indices.Length} reviews do not hold {s.TrainSize} training and {SentimentSettings.TestSize} test reviews.", nameof(load));
        }

        var network = SentimentTraining.NewNetwork<T>(s, data.VocabularySize);
        var shards = new SentimentShards<T>(network, data.Indices, data.Labels);
        var trainer = new DataParallelTrainer<T>(ranks, shards, new DataParallelOptions
        {
            Loss = Reduction.Sum,
            MaxSamplesPerBackward = 1,
            Settings = $"ch11 sentiment: seed {s.Seed}, alpha {s.Alpha}, {s.Iterations} iterations, hidden {s.Hidden}, {s.TrainSize} reviews, book delta {s.BookDelta}, batch {batch}",
        });

        var rate = T.CreateChecked(s.Alpha);
        int correct = 0, total = 0;
        for (int iteration = 0; iteration < s.Iterations; iteration++)
        {
            Array.Clear(shards.Correct);
            for (int i = 0; i < s.TrainSize; i += batch)
            {
                trainer.Step(i, Math.Min(batch, s.TrainSize - i), rate);
            }

            // Each review was trained on one rank, so the sum gives every review's result; the running count is then the book's.
            ranks.AllreduceSum<int>(shards.Correct.AsSpan(0, s.TrainSize));
            string? progress = null;
            for (int i = 0; i < s.TrainSize; i++)
            {
                correct += shards.Correct[i];
                total++;
                if (i % 10 == 9)
                {
                    progress = SentimentTraining.ProgressLine(iteration, i, s, correct, total);
                }
            }

            output.WriteLine(progress ?? $"Iter:{iteration}");
        }

        int firstTest = data.Indices.Length - SentimentSettings.TestSize;
        var shard = Shard.Of(SentimentSettings.TestSize, ranks.Size, ranks.Rank);
        int[] testCorrect = [0];
        for (int i = firstTest + shard.Offset; i < firstTest + shard.Offset + shard.Count; i++)
        {
            testCorrect[0] += SentimentTraining.IsCorrectPrediction(network.Predict(data.Indices[i]), data.Labels[i]) ? 1 : 0;
        }

        ranks.AllreduceSum<int>(testCorrect);
        double accuracy = testCorrect[0] / (double)SentimentSettings.TestSize;
        output.WriteLine(SentimentTraining.TestLine(accuracy));
        return (accuracy, trainer.Statistics);
    }

    /// <summary>Rank 0's reviews on every rank: sizes, labels, then every review's indices in one buffer.</summary>
    private static Reviews Share(Communicator ranks, Reviews? loaded)
    {
        int[] header = loaded is null ? new int[2] : [loaded.VocabularySize, loaded.Indices.Length];
        ranks.Broadcast<int>(header);
        int count = header[1];
        var labels = loaded?.Labels.ToArray() ?? new int[count];
        var lengths = loaded?.Indices.Select(r => r.Length).ToArray() ?? new int[count];
        ranks.Broadcast<int>(labels);
        ranks.Broadcast<int>(lengths);
        var flat = loaded?.Indices.SelectMany(r => r).ToArray() ?? new int[lengths.Sum()];
        ranks.Broadcast<int>(flat);
        if (loaded is not null)
        {
            return loaded;
        }

        var indices = new int[count][];
        for (int i = 0, offset = 0; i < count; offset += lengths[i], i++)
        {
            indices[i] = flat[offset..(offset + lengths[i])];
        }

        return new Reviews(header[0], indices, labels);
    }
}
