using Graph.Distributed.Training;
using Xunit;

namespace Graph.Tests.Distributed;

public sealed class ShardTests
{
    [Theory]
    [InlineData(7, 3, new[] { 0, 3, 5 }, new[] { 3, 2, 2 })]
    [InlineData(6, 2, new[] { 0, 3 }, new[] { 3, 3 })]
    [InlineData(2, 3, new[] { 0, 1, 2 }, new[] { 1, 1, 0 })]
    [InlineData(128, 1, new[] { 0 }, new[] { 128 })]
    public void ABatchIsCutIntoContiguousShardsInRankOrderTheFirstOnesLarger(int batch, int ranks, int[] offsets, int[] counts)
    {
        var shards = Shard.All(batch, ranks);

        Assert.Equal(offsets, shards.Select(s => s.Offset));
        Assert.Equal(counts, shards.Select(s => s.Count));
    }
}
