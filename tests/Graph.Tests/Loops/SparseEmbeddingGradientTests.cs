using Graph.Tests.Generator;
using Xunit;

namespace Graph.Tests.Loops;

/// <summary>
/// An embedding read at every step of a kept loop, its table far larger than the rows a call reads
/// (<see cref="WideEmbeddingSummed"/>): its gradient, the loop's steps scattered after it plus the steps laid out apart
/// scattered each, is summed at the rows the scatters list only (<c>Optimization/SparseTableSums</c>). Against the dense
/// sum of the model written out step by step (<see cref="WideEmbeddingUnrolled"/>): the same bits where every row read
/// receives one term (the order of a sum of one term cannot matter), the same to 1e-12 where a row is read twice, zero
/// rows where no index pointed, the parameter's <c>TouchedRows</c> exactly the rows read (and the previous call's rows
/// cleared), and a training step that leaves every other row's values as they were.
/// </summary>
public sealed class SparseEmbeddingGradientTests
{
    private const int Batch = 3, Hidden = 4, Classes = 3, Vocab = 2000, Embedding = 3;

    [Fact]
    public void TheSumOfTheScattersIsFormedAtTheRowsTheyListOnly()
    {
        var result = GeneratorHarness.Run(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "tests", "Graph.Tests", "Loops", "SparseEmbeddingModels.cs")));
        Assert.Empty(result.Diagnostics);
        string Source(string model) => result.Sources.Single(s => s.Key.EndsWith("." + model + ".g.cs", StringComparison.Ordinal)).Value;

        string summed = Source("WideEmbeddingSummed");
        Assert.Contains("global::Graph.Runtime.Kernels.ScatterAddSteps<double>(this.scattered0VocabByEmbedding, ", summed, StringComparison.Ordinal);
        Assert.Contains("global::Graph.Runtime.Kernels.AddScatteredRows<double>(this.gradientEmbed, this.sizeEmbedding, this.rowsEmbed, ", summed, StringComparison.Ordinal);
        Assert.Contains("global::Graph.Runtime.Kernels.OptimizerStepRows<double>(this.valueEmbed, this.gradientEmbed, this.sizeEmbedding, this.rowsEmbed, ", summed, StringComparison.Ordinal);
        Assert.DoesNotContain("rowsEmbed", Source("WideEmbeddingUnrolled"), StringComparison.Ordinal);
    }

    [Fact]
    public void WhereEachRowReadHasOneTermTheGradientIsTheDenseSumBitForBit()
    {
        var (dense, sparse) = Create();
        var (words, targets, h0) = Inputs(seed: 1, distinct: true);
        Assert.Equal(Bits(dense.Backward(words, targets, h0, Batch)), Bits(sparse.Backward(words, targets, h0, Batch)));

        // The dense model's table has no row list; the row-sparse one lists exactly the rows read.
        var embed = sparse.Parameters["Embed"];
        Assert.Null(dense.Parameters["Embed"].TouchedRows);
        Assert.Equal(words.Order(), embed.TouchedRows!.Rows.ToArray().Order());
        Assert.Equal(dense.Parameters["Embed"].Gradient.Select(Bits), embed.Gradient.Select(Bits));
        AssertZeroOutside(embed.Gradient, words);
    }

    [Fact]
    public void ARowReadTwiceGetsTheSumOfItsTerms()
    {
        var (dense, sparse) = Create();
        var (words, targets, h0) = Inputs(seed: 2, distinct: false);
        dense.Backward(words, targets, h0, Batch);
        sparse.Backward(words, targets, h0, Batch);

        var embed = sparse.Parameters["Embed"];
        Assert.Equal(words.Distinct().Order(), embed.TouchedRows!.Rows.ToArray().Order());
        double largest = dense.Parameters["Embed"].Gradient.Max(Math.Abs);
        Assert.All(dense.Parameters["Embed"].Gradient.Zip(embed.Gradient), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-12 * largest, $"{p.First} against {p.Second}"));
        AssertZeroOutside(embed.Gradient, words);
    }

    [Fact]
    public void ASecondCallClearsTheRowsOfTheFirst()
    {
        var (dense, sparse) = Create();
        var (words, targets, h0) = Inputs(seed: 3, distinct: true);
        sparse.Backward(words, targets, h0, Batch);
        var (otherWords, otherTargets, otherH0) = Inputs(seed: 4, distinct: true);
        Assert.NotEmpty(words.Except(otherWords));
        dense.Backward(otherWords, otherTargets, otherH0, Batch);
        sparse.Backward(otherWords, otherTargets, otherH0, Batch);

        var embed = sparse.Parameters["Embed"];
        Assert.Equal(otherWords.Order(), embed.TouchedRows!.Rows.ToArray().Order());
        Assert.Equal(dense.Parameters["Embed"].Gradient.Select(Bits), embed.Gradient.Select(Bits));
    }

    [Fact]
    public void ATrainingStepLeavesTheRowsNotReadAsTheyWere()
    {
        var (dense, sparse) = Create();
        var (words, targets, h0) = Inputs(seed: 5, distinct: true);
        double[] before = sparse.Parameters["Embed"].Value.ToArray();
        Assert.Equal(Bits(dense.TrainStep(words, targets, h0, 0.1, Batch)), Bits(sparse.TrainStep(words, targets, h0, 0.1, Batch)));

        double[] after = sparse.Parameters["Embed"].Value;
        var read = new HashSet<int>(words);
        for (int row = 0; row < Vocab; row++)
        {
            bool unchanged = before.AsSpan(row * Embedding, Embedding).SequenceEqual(after.AsSpan(row * Embedding, Embedding));
            Assert.True(read.Contains(row) != unchanged, $"row {row} ({(read.Contains(row) ? "read" : "not read")})");
        }

        Assert.Equal(dense.Parameters["Embed"].Value.Select(Bits), after.Select(Bits));
    }

    private static void AssertZeroOutside(double[] gradient, int[] words)
    {
        Assert.Contains(gradient, g => g != 0);
        var read = new HashSet<int>(words);
        for (int row = 0; row < Vocab; row++)
        {
            if (!read.Contains(row))
            {
                Assert.True(gradient.AsSpan(row * Embedding, Embedding).IndexOfAnyExcept(0.0) < 0, $"row {row} was not read but has a gradient");
            }
        }
    }

    /// <summary>The dense and the row-sparse model, every parameter of both drawn uniformly in [-0.5, 0.5) from the same seed.</summary>
    private static (IWideEmbeddingTwin Dense, IWideEmbeddingTwin Sparse) Create()
    {
        IWideEmbeddingTwin[] models = [new WideEmbeddingUnrolled(), new WideEmbeddingSummed()];
        foreach (var model in models)
        {
            var random = new Random(11);
            foreach (var parameter in model.Parameters)
            {
                for (int i = 0; i < parameter.Value.Length; i++)
                {
                    parameter.Value[i] = random.NextDouble() - 0.5;
                }
            }
        }

        return (models[0], models[1]);
    }

    /// <summary>Words of a batch, all different or with repeats, their targets and a start state.</summary>
    private static (int[] Words, int[] Targets, double[] H0) Inputs(int seed, bool distinct)
    {
        var random = new Random(seed);
        int count = WideEmbeddingSummed.Steps * Batch;
        int[] words = distinct
            ? Enumerable.Range(0, Vocab).OrderBy(_ => random.Next()).Take(count).ToArray()
            : Enumerable.Range(0, count).Select(i => i % 4 == 3 ? 17 : random.Next(Vocab)).ToArray();
        int[] targets = Enumerable.Range(0, count).Select(_ => random.Next(Classes)).ToArray();
        double[] h0 = Enumerable.Range(0, Hidden * Batch).Select(_ => random.NextDouble() - 0.5).ToArray();
        return (words, targets, h0);
    }

    private static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);
}
