using System.Numerics;
using Graph.Distributed.Mpi;
using Graph.Distributed.Ranks;
using Graph;

namespace Graph.Tests.Distributed;

/// <summary>
/// One process training as N ranks do, written out plainly as the oracle for the data-parallel trainer: for each
/// step, the shards one after another (so the dropout draws come in sample order without skipping), each shard's
/// Backward weighted and summed from zero per rank, the ranks' sums added in rank order, then ApplyGradients.
/// And one process training without shards, with the network's TrainStep on each whole batch.
/// </summary>
internal static class ShardedReference
{
    public static ResultFile Train<T>(string model, int ranks, int batch, int steps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var setup = TrainingSetup<T>.Create(model, Summation.RankOrder);
        var parameters = setup.Parameters.Where(p => !p.IsFrozen).ToArray();
        var losses = new double[steps];
        for (int step = 0; step < steps; step++)
        {
            int first = TrainingSetup<T>.First(step, batch);
            var totals = parameters.Select(p => new T[p.Size]).ToArray();
            var touched = parameters.Select(_ => new List<int>()).ToArray();
            T totalLoss = T.Zero;
            int offset = 0;
            for (int rank = 0; rank < ranks; rank++)
            {
                int count = (batch / ranks) + (rank < batch % ranks ? 1 : 0);
                var sums = parameters.Select(p => new T[p.Size]).ToArray();
                T rankLoss = T.Zero;
                for (int done = 0; done < count;)
                {
                    int n = Math.Min(setup.Options.MaxSamplesPerBackward, count - done);
                    T loss = setup.Model.Backward(first + offset + done, n);
                    T weight = setup.Options.Loss == Reduction.Mean ? T.CreateChecked(n) / T.CreateChecked(batch) : T.One;
                    rankLoss += weight * loss;
                    for (int i = 0; i < parameters.Length; i++)
                    {
                        var gradient = parameters[i].Gradient;
                        var rows = parameters[i].TouchedRows;
                        int rowLength = rows is null ? gradient.Length : gradient.Length / rows.RowCount;
                        foreach (int row in rows is null ? [0] : rows.Rows.ToArray())
                        {
                            if (rows is not null && !touched[i].Contains(row))
                            {
                                touched[i].Add(row);
                            }

                            for (int j = row * rowLength; j < (row + 1) * rowLength; j++)
                            {
                                sums[i][j] += weight * gradient[j];
                            }
                        }
                    }

                    done += n;
                }

                for (int i = 0; i < parameters.Length; i++)
                {
                    for (int j = 0; j < totals[i].Length; j++)
                    {
                        totals[i][j] = rank == 0 ? sums[i][j] : totals[i][j] + sums[i][j];
                    }
                }

                totalLoss = rank == 0 ? rankLoss : totalLoss + rankLoss;
                offset += count;
            }

            for (int i = 0; i < parameters.Length; i++)
            {
                if (parameters[i].TouchedRows is { } rows)
                {
                    int rowLength = parameters[i].Size / rows.RowCount;
                    rows.Clear<T>(parameters[i].Gradient, rowLength);
                    foreach (int row in touched[i])
                    {
                        rows.Add(row);
                        totals[i].AsSpan(row * rowLength, rowLength).CopyTo(parameters[i].Gradient.AsSpan(row * rowLength));
                    }
                }
                else
                {
                    totals[i].CopyTo(parameters[i].Gradient, 0);
                }
            }

            setup.Model.ApplyGradients(setup.LearningRate);
            losses[step] = double.CreateChecked(totalLoss);
        }

        return Result(setup, losses);
    }

    /// <summary>One process, the network's TrainStep on each whole batch.</summary>
    public static ResultFile TrainWhole<T>(string model, int batch, int steps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var setup = TrainingSetup<T>.Create(model, Summation.Allreduce);
        var step = setup.TrainStep ?? throw new ArgumentException($"{model} takes one sample per step.", nameof(model));
        var losses = Enumerable.Range(0, steps).Select(s => double.CreateChecked(step(TrainingSetup<T>.First(s, batch), batch, setup.LearningRate))).ToArray();
        return Result(setup, losses);
    }

    private static ResultFile Result<T>(TrainingSetup<T> setup, double[] losses)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        new(losses, setup.Parameters.SelectMany(p => p.Value).Select(double.CreateChecked).ToArray());
}
