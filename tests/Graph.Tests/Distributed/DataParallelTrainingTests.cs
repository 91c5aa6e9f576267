using Graph.Distributed.Ranks;
using Graph.Tests.Datasets;
using Xunit;

namespace Graph.Tests.Distributed;

/// <summary>
/// The data-parallel trainer in real jobs of two and three ranks on the chapter networks (chapter 8's dropout
/// network, chapter 9's, chapter 10's convolution, chapter 11's embedding network), against one process.
/// </summary>
[Collection(MpiJobsCollection.Name)]
public sealed class DataParallelTrainingTests
{
    private const int Steps = 3;

    [MpiFact]
    public void TwoRanksWithOneAllreduceEqualOneProcessTrainingTheSameShardsBitForBit()
    {
        using var folder = new TemporaryDirectory();
        const int batch = 6;

        MpiJob.Ranks(2, "train", folder.Path, "models=dropout,tanh,cnn,sentiment", "precisions=double", "summations=Allreduce", $"batch={batch}", $"steps={Steps}").Succeeded();

        foreach (string model in new[] { "dropout", "tanh", "cnn", "sentiment" })
        {
            var ranks = Read(folder, model, "double", "Allreduce", 2);
            var reference = ShardedReference.Train<double>(model, ranks: 2, batch, Steps);
            Assert.Equal(reference.Losses, ranks[0].Losses);
            Assert.Equal(reference.Values, ranks[0].Values);
            if (model != "sentiment")
            {
                // A Backward over the whole batch adds the samples in another grouping: the same training, to rounding.
                AssertClose(ShardedReference.TrainWhole<double>(model, batch, Steps), ranks[0], 1e-13);
            }
        }
    }

    [MpiFact]
    public void ThreeRanksAddedInRankOrderEqualOneProcessBitForBitInDoubleAndFloat()
    {
        using var folder = new TemporaryDirectory();
        const int batch = 7;

        MpiJob.Ranks(3, "train", folder.Path, "models=tanh,sentiment", "precisions=double,float", "summations=RankOrder,Allreduce", $"batch={batch}", $"steps={Steps}").Succeeded();

        foreach (string model in new[] { "tanh", "sentiment" })
        {
            var doubles = Read(folder, model, "double", "RankOrder", 3);
            var reference = ShardedReference.Train<double>(model, ranks: 3, batch, Steps);
            Assert.Equal(reference.Values, doubles[0].Values);
            Assert.Equal(reference.Losses, doubles[0].Losses);

            var floats = Read(folder, model, "float", "RankOrder", 3);
            var floatReference = ShardedReference.Train<float>(model, ranks: 3, batch, Steps);
            Assert.Equal(floatReference.Values, floats[0].Values);
            Assert.Equal(floatReference.Losses, floats[0].Losses);

            // MPI's own allreduce of three may group the terms differently: the same training within rounding.
            AssertClose(reference, Read(folder, model, "double", "Allreduce", 3)[0], 1e-13);
            AssertClose(floatReference, Read(folder, model, "float", "Allreduce", 3)[0], 1e-5);
        }
    }

    /// <summary>Every rank's result file of one run; fails unless every rank ends with the same weights and losses.</summary>
    private static ResultFile[] Read(TemporaryDirectory folder, string model, string precision, string summation, int ranks)
    {
        var results = Enumerable.Range(0, ranks)
            .Select(rank => ResultFile.Read(Path.Combine(folder.Path, $"{model}-{precision}-{summation}-rank{rank}.bin")))
            .ToArray();
        foreach (var result in results[1..])
        {
            Assert.Equal(results[0].Values, result.Values);
            Assert.Equal(results[0].Losses, result.Losses);
        }

        return results;
    }

    private static void AssertClose(ResultFile expected, ResultFile actual, double tolerance)
    {
        Assert.Equal(expected.Values.Length, actual.Values.Length);
        double worst = 0;
        for (int i = 0; i < expected.Values.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected.Values[i] - actual.Values[i]) / Math.Max(1, Math.Abs(expected.Values[i])));
        }

        for (int i = 0; i < expected.Losses.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected.Losses[i] - actual.Losses[i]) / Math.Max(1, Math.Abs(expected.Losses[i])));
        }

        Assert.True(worst <= tolerance, $"The weights or losses differ by {worst:R}, more than {tolerance:R}.");
    }
}
