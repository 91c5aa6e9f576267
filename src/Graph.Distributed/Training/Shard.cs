namespace Graph.Distributed.Training;

/// <summary>
/// One rank's part of a batch: samples <see cref="Offset"/> to <see cref="Offset"/> + <see cref="Count"/> - 1 of
/// it. A batch of B samples over N ranks is cut into contiguous shards in rank order, the first B mod N of them one
/// sample larger, so that rank order is sample order.
/// </summary>
public readonly record struct Shard(int Offset, int Count)
{
    /// <summary>Rank <paramref name="rank"/>'s shard of a batch of <paramref name="batch"/> samples over <paramref name="ranks"/> ranks.</summary>
    public static Shard Of(int batch, int ranks, int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, ranks);
        int size = batch / ranks;
        int larger = batch % ranks;
        return new Shard((rank * size) + Math.Min(rank, larger), size + (rank < larger ? 1 : 0));
    }

    /// <summary>Every rank's shard of a batch, in rank order.</summary>
    public static Shard[] All(int batch, int ranks)
    {
        var shards = new Shard[ranks];
        for (int rank = 0; rank < ranks; rank++)
        {
            shards[rank] = Of(batch, ranks, rank);
        }

        return shards;
    }
}
