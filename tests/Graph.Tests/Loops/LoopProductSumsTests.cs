using Graph.Tests.Generator;
using Xunit;
using static Graph.Tests.Loops.LoopAsserts;

namespace Graph.Tests.Loops;

/// <summary>
/// A model compiled as the compiler compiles it by default, with a weight's gradient summed over a kept loop's steps
/// as one product over the rows of every step after the loop, and an embedding's as one scatter
/// (<c>Optimization/LoopProductSums</c>), against its
/// unrolled twin: the forward output and the loss are the same bits (no sum moved), every gradient and the parameters
/// after three training steps agree to 1e-12 of the largest element (the same terms, added in another order), and the
/// generated code holds the products and the embedding's scatter after the loop.
/// </summary>
public sealed class LoopProductSumsTests
{
    public static TheoryData<string, int> Cases() => LoopTwins.AtBatchesOneAndThree(LoopTwins.Summed.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheForwardOutputAndTheLossAreTheUnrolledOnes(string pair, int batch)
    {
        var (summed, unrolled) = Create(pair, batch);
        Assert.Equal(unrolled.Forward(), summed.Forward());
        Assert.Equal(unrolled.Loss(), summed.Loss());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryGradientAgreesWithTheUnrolledOne(string pair, int batch)
    {
        var (summed, unrolled) = Create(pair, batch);
        Assert.Equal(unrolled.Backward(), summed.Backward());
        foreach (var (s, u) in summed.Parameters.Zip(unrolled.Parameters))
        {
            Assert.Contains(u.Gradient, g => g != 0);
            AssertClose(u.Gradient, s.Gradient, $"the gradient of {s.Name}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ThreeTrainingStepsLeaveTheSameParameters(string pair, int batch)
    {
        var (summed, unrolled) = Create(pair, batch);
        for (int step = 0; step < 3; step++)
        {
            AssertClose([unrolled.TrainStep(0.1)], [summed.TrainStep(0.1)], $"the loss of training step {step}");
        }

        foreach (var (s, u) in summed.Parameters.Zip(unrolled.Parameters))
        {
            AssertClose(u.Value, s.Value, $"{s.Name} after three training steps");
        }
    }

    // The bAbI recurrence adds its embedding row to the state with no function after it, so the embedding's gradient at
    // a step is the state's carried adjoint, which the loop copies at each step to keep it for the scatter after it.
    [Theory]
    [InlineData("CharacterLstmSummed", "CharacterLstmLoop", false)]
    [InlineData("BabiRnnSummed", "BabiRnnLoop", true)]
    public void TheWeightAndEmbeddingGradientsAreSummedOverEveryStepAfterTheLoop(string summed, string exact, bool carriedRows)
    {
        var result = GeneratorHarness.Run(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "tests", "Graph.Tests", "Loops", "LoopTwinModels.cs")));
        Assert.Empty(result.Diagnostics);
        string Source(string model) => result.Sources.Single(s => s.Key.EndsWith("." + model + ".g.cs", StringComparison.Ordinal)).Value;

        // A product over the rows of several steps reads each factor's copies of those steps as one span.
        const string OverSteps = "global::Graph.Runtime.Kernels.Gemm<double>(true, false,";
        var products = Source(summed).Split('\n').Where(l => l.Contains(OverSteps, StringComparison.Ordinal) && l.Contains(" * batch, global::System.MemoryExtensions.AsSpan(", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(products);
        Assert.DoesNotContain(Source(exact).Split('\n'), l => l.Contains(OverSteps, StringComparison.Ordinal) && l.Contains(" * batch, global::System.MemoryExtensions.AsSpan(", StringComparison.Ordinal));

        // The embedding read at every step is scattered once, after the loop.
        Assert.Contains("global::Graph.Runtime.Kernels.ScatterAddSteps<double>(", Source(summed), StringComparison.Ordinal);
        Assert.DoesNotContain("ScatterAddSteps", Source(exact), StringComparison.Ordinal);
        Assert.Equal(carriedRows, Source(summed).Contains("= CarriedCopy: ", StringComparison.Ordinal));
        Assert.DoesNotContain("CarriedCopy", Source(exact), StringComparison.Ordinal);
    }

    private static (TwinRun Summed, TwinRun Unrolled) Create(string pair, int batch)
    {
        var (summed, unrolled) = (LoopTwins.Summed[pair](batch), LoopTwins.Pairs[pair].Unrolled(batch));
        Assert.Equal(unrolled.Parameters.Select(p => p.ToString()), summed.Parameters.Select(p => p.ToString()));
        return (summed, unrolled);
    }
}
