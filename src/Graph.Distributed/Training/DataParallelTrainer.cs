using System.Diagnostics;
using System.Numerics;
using Graph.Distributed.Mpi;
using Graph.Runtime;

namespace Graph.Distributed.Training;

/// <summary>
/// Data-parallel training over the ranks of an MPI job: every rank holds the same model, takes its shard of each
/// batch (<see cref="Shard"/>), runs the generated <c>Backward</c> on it, and the ranks add their gradients; every rank
/// then applies the same update, so the weights stay identical everywhere.
/// </summary>
/// <remarks>
/// <para>
/// A step exchanges one buffer: the dense gradients of every trainable parameter, the loss and each row-sparse
/// parameter's row count per rank, added over the ranks by one allreduce (or, with <see cref="Summation.RankOrder"/>,
/// one allgather added in rank order). A row-sparse gradient (an embedding read by <c>Gather</c>/<c>EmbeddingSum</c>)
/// is exchanged as rows: one allgather of the touched row numbers and one of their values per such parameter.
/// </para>
/// <para>
/// The summation order is fixed so: a rank's gradient is the sum over its <c>Backward</c> calls, in sample order, of
/// each call's gradient times its weight (its share of the batch for a mean loss, 1 for a summed one), starting
/// from zero; the ranks' sums are added in rank order, <c>((g0 + g1) + g2) + ...</c>. One process that runs the same
/// shards one after another and adds them so gets the same bits in any precision (tests/Graph.Tests/Distributed).
/// MPI's allreduce is that order for two ranks; for more, <see cref="Summation.RankOrder"/> keeps it. A single
/// <c>Backward</c> over the whole batch adds the samples in another grouping, so it agrees within rounding.
/// </para>
/// <para>
/// Before the first step the ranks compare a fingerprint of the model and settings (<see cref="ModelFingerprint"/>)
/// and rank 0's initial values are broadcast, so every rank starts from the same weights.
/// </para>
/// </remarks>
public sealed class DataParallelTrainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Communicator ranks;
    private readonly IDataParallelModel<T> model;
    private readonly DataParallelOptions options;
    private readonly Parameter<T>[] dense;
    private readonly SparseRowGradient<T>[] sparse;
    private readonly int[] denseOffsets;
    private readonly int lossSlot;
    private readonly int countSlots;
    private readonly T[] buffer;

    /// <exception cref="ModelMismatchException">A rank was started with another model or settings.</exception>
    public DataParallelTrainer(Communicator ranks, IDataParallelModel<T> model, DataParallelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        ArgumentNullException.ThrowIfNull(model);
        this.ranks = ranks;
        this.model = model;
        this.options = options ?? new DataParallelOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(this.options.MaxSamplesPerBackward, 1, nameof(options));

        var trainable = model.Parameters.Where(p => !p.IsFrozen).ToArray();
        dense = trainable.Where(p => p.TouchedRows is null).ToArray();
        sparse = trainable.Where(p => p.TouchedRows is not null).Select(p => new SparseRowGradient<T>(p)).ToArray();
        if (sparse.Length > 0 && typeof(T) == typeof(float) && trainable.Any(p => p.TouchedRows is { RowCount: > 1 << 24 }))
        {
            throw new NotSupportedException("A float model's row counts travel as floats, exact up to 2^24 rows; this table has more.");
        }

        denseOffsets = new int[dense.Length];
        int size = 0;
        for (int i = 0; i < dense.Length; i++)
        {
            denseOffsets[i] = size;
            size = checked(size + dense[i].Size);
        }

        lossSlot = size;
        countSlots = size + 1;
        buffer = new T[checked(countSlots + (sparse.Length * ranks.Size))];
        Statistics = new DataParallelStatistics { Ranks = ranks.Size };

        ModelFingerprint.Verify(ranks, ModelFingerprint.Describe(model.Parameters, Describe(this.options)));
        foreach (var parameter in model.Parameters)
        {
            ranks.Broadcast<T>(parameter.Value);
        }
    }

    /// <summary>The elements of the buffer added over the ranks each step: dense gradients, the loss, the row counts.</summary>
    public int BufferLength => buffer.Length;

    /// <summary>What the steps have cost on this rank.</summary>
    public DataParallelStatistics Statistics { get; }

    /// <summary>
    /// One step of SGD on training samples <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1,
    /// sharded over the ranks (every rank passes the same batch); returns the batch's loss (mean or sum, as the model's).
    /// </summary>
    public T Step(int first, int count, T learningRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        long start = Stopwatch.GetTimestamp();
        var shard = Shard.Of(count, ranks.Size, ranks.Rank);

        Array.Clear(buffer);
        foreach (var rows in sparse)
        {
            rows.Clear();
        }

        model.SkipRandomDraws(shard.Offset);
        T loss = T.Zero;
        var total = T.CreateChecked(count);
        for (int done = 0; done < shard.Count;)
        {
            int n = Math.Min(options.MaxSamplesPerBackward, shard.Count - done);
            T partLoss = model.Backward(first + shard.Offset + done, n);
            T weight = options.Loss == Reduction.Mean ? T.CreateChecked(n) / total : T.One;
            Accumulate(weight);
            loss += weight * partLoss;
            done += n;
        }

        model.SkipRandomDraws(count - shard.Offset - shard.Count);
        buffer[lossSlot] = loss;
        for (int i = 0; i < sparse.Length; i++)
        {
            buffer[countSlots + (i * ranks.Size) + ranks.Rank] = T.CreateChecked(sparse[i].Count);
        }

        long exchangeStart = Stopwatch.GetTimestamp();
        long bytesBefore = ranks.Statistics.PayloadBytes;
        ranks.Sum<T>(buffer, options.Summation);
        for (int i = 0; i < sparse.Length; i++)
        {
            var counts = new int[ranks.Size];
            for (int rank = 0; rank < counts.Length; rank++)
            {
                counts[rank] = int.CreateChecked(buffer[countSlots + (i * ranks.Size) + rank]);
            }

            sparse[i].Exchange(ranks, counts);
        }

        Statistics.ExchangeTime += Stopwatch.GetElapsedTime(exchangeStart);
        Statistics.PayloadBytes += ranks.Statistics.PayloadBytes - bytesBefore;

        for (int i = 0; i < dense.Length; i++)
        {
            buffer.AsSpan(denseOffsets[i], dense[i].Size).CopyTo(dense[i].Gradient);
        }

        model.ApplyGradients(learningRate);
        Statistics.Steps++;
        Statistics.StepTime += Stopwatch.GetElapsedTime(start);
        return buffer[lossSlot];
    }

    /// <summary>Adds <paramref name="weight"/> times the gradients the last Backward stored to this rank's sums.</summary>
    private void Accumulate(T weight)
    {
        for (int i = 0; i < dense.Length; i++)
        {
            var target = buffer.AsSpan(denseOffsets[i], dense[i].Size);
            var gradient = dense[i].Gradient;
            for (int j = 0; j < target.Length; j++)
            {
                target[j] += weight * gradient[j];
            }
        }

        foreach (var rows in sparse)
        {
            rows.Accumulate(weight);
        }
    }

    private static string Describe(DataParallelOptions options) =>
        $"loss {options.Loss}, at most {options.MaxSamplesPerBackward} samples per Backward, {options.Summation} summation" +
        (options.Settings.Length == 0 ? string.Empty : ", " + options.Settings);
}
