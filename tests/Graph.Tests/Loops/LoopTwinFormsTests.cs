using Graph.Generator;
using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Graph.Generator.Lowering;
using Graph.Generator.Spec;
using Graph.Tests.Generator;
using Xunit;

namespace Graph.Tests.Loops;

/// <summary>
/// The twin models exercise what the equivalence tests claim of them: each model as written reads its loops as loops
/// (Scan nodes, no step's copy), in the forms the tests name, the long ones' reverse loops stay loops too, and each
/// twin asks for unrolling.
/// </summary>
public sealed class LoopTwinFormsTests
{
    private static readonly Lazy<IReadOnlyList<ModelSpec>> Models = new(() =>
    {
        string source = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "tests", "Graph.Tests", "Loops", "LoopTwinModels.cs"));
        var driver = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.Compile(source));
        var steps = driver.GetRunResult().Results.Single().TrackedSteps[GraphGenerator.Steps.Spec];
        return steps.SelectMany(s => s.Outputs).Select(o => o.Value).OfType<ModelSpec>().ToList();
    });

    [Fact]
    public void EachModelAsWrittenHasATwinThatUnrollsItsLoops()
    {
        var written = Models.Value.Where(m => !m.UnrollLoops && m.ExactLoopSums).Select(m => m.ClassName).Order().ToList();
        var unrolled = Models.Value.Where(m => m.UnrollLoops).Select(m => m.ClassName).Order().ToList();
        var summed = Models.Value.Where(m => !m.UnrollLoops && !m.ExactLoopSums).Select(m => m.ClassName).Order().ToList();
        Assert.Equal(LoopTwins.Pairs.Keys.Select(p => p + "Loop").Order(), written);
        Assert.Equal(LoopTwins.Pairs.Keys.Select(p => p + "Unrolled").Order(), unrolled);
        Assert.Equal(LoopTwins.Summed.Keys.Select(p => p + "Summed").Order(), summed);
    }

    /// <summary>
    /// The LSTM's four input products x·W run once over the rows of the loop's eight steps, before the loop
    /// (<c>Optimization/LoopInputProducts</c>), in the loss and in the forward method: so the bit-for-bit tests cover
    /// that stage too. The running loss starts at 0 broadcast per sample, so no step runs apart.
    /// </summary>
    [Fact]
    public void TheLstmsInputProductsAreOneProductBeforeTheLoop()
    {
        var result = GeneratorHarness.Run(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "tests", "Graph.Tests", "Loops", "LoopTwinModels.cs")));
        string source = result.Sources.Single(s => s.Key.EndsWith(".CharacterLstmLoop.g.cs", StringComparison.Ordinal)).Value;
        var lines = source.Split('\n');
        Assert.True(lines.Count(l => l.Contains("Kernels.Gemm<double>(false, false, 8 * batch, this.sizeHidden, this.sizeHidden,", StringComparison.Ordinal)) >= 12, "four products over steps 0..7 in each of Loss, Backward and FinalState");
        Assert.DoesNotContain(lines, l => l.Contains("Kernels.Gemm<double>(false, false, 7 * batch,", StringComparison.Ordinal));
    }

    /// <summary>
    /// The LSTM's loops start at its first step, so its weights are first read inside the forward loop; each is still
    /// the same at every step, so the reverse loop reads a copy of each transposed once before it
    /// (<c>Optimization/LoopInvariantTransposes</c>) and no product transposes a weight as it goes.
    /// </summary>
    [Fact]
    public void TheReverseLoopReadsEachWeightTransposedOnceBeforeIt()
    {
        var result = GeneratorHarness.Run(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "tests", "Graph.Tests", "Loops", "LoopTwinModels.cs")));
        string source = result.Sources.Single(s => s.Key.EndsWith(".CharacterLstmLoop.g.cs", StringComparison.Ordinal)).Value;
        Assert.DoesNotContain("MatMul(A, Bᵀ)", source, StringComparison.Ordinal);
        var transposed = source.Split('\n').Where(l => l.Contains("= Transpose: ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("= Transpose: ", StringComparison.Ordinal) + 13)..].Trim().TrimEnd('ᵀ')).ToHashSet();
        string[] weights = ["ForgetInput", "InGateInput", "OutGateInput", "CandidateInput", "ForgetHidden", "InGateHidden", "OutGateHidden", "CandidateHidden", "Output"];
        Assert.Equal(weights.Order(), transposed.Order());
    }

    [Theory]
    [InlineData("CharacterLstmLoop", "for (int step = 6; step >= 1; step--)")]
    [InlineData("BabiRnnLoop", "for (int step = 5; step >= 2; step--)")]
    public void TheReverseLoopIsKeptAsALoop(string model, string reverseLoop)
    {
        var result = GeneratorHarness.Run(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "tests", "Graph.Tests", "Loops", "LoopTwinModels.cs")));
        Assert.Contains(reverseLoop, result.Sources.Single(s => s.Key.EndsWith("." + model + ".g.cs", StringComparison.Ordinal)).Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CharacterLstmLoop", "Loss", 8)]
    [InlineData("CharacterLstmLoop", "FinalState", 8)]
    [InlineData("BabiRnnLoop", "Loss", 8)]
    [InlineData("BabiRnnLoop", "Predict", 7)]
    [InlineData("StateRowsLoop", "Encode", 5)]
    [InlineData("RunningSumLoop", "Encode", 6)]
    public void EveryLoopIsReadAsALoop(string model, string function, int steps) =>
        Assert.Equal(steps, LoweredScan(model, function).Loop.Steps);

    [Fact]
    public void TheFormsAreTheOnesTheTestsName()
    {
        // Padded indices, one per step, and a running loss whose first step is apart.
        var babi = LoweredScan("BabiRnnLoop", "Loss");
        Assert.NotNull(babi.First);
        Assert.Contains(babi.Body.Nodes, n => n.Op is StepSlice && n.IsIndices);

        // The logits and the states appended row by row after a first value.
        Assert.Contains(true, LoweredScan("BabiRnnLoop", "Predict").Body.Appended);
        var rows = LoweredScan("StateRowsLoop", "Encode");
        Assert.Contains(true, rows.Body.Appended);
        Assert.Contains(rows.Body.Nodes, n => n.Op is StepSlice && !n.IsIndices);

        // A state from a parameter shared by the batch, beside a sum from the constant 0: the first step has a body of its own.
        Assert.NotNull(LoweredScan("RunningSumLoop", "Encode").First);

        // The LSTM carries h, c and the loss, which starts at 0 broadcast per sample: every step runs one body.
        var lstm = LoweredScan("CharacterLstmLoop", "Loss");
        Assert.Equal(3, lstm.Body.Carried.Count);
        Assert.Null(lstm.First);
    }

    /// <summary>A function's one Scan, lowered as the compiler lowers it; no node of the lowered function is one step's copy.</summary>
    private static Scan LoweredScan(string model, string function)
    {
        var spec = Models.Value.Single(m => m.ClassName == model);
        var entry = spec.Functions.Single(f => f.Name == function);
        var builder = new GraphBuilder();
        new FunctionLowering(spec, builder, training: entry.Role == FunctionRole.Loss).LowerEntry(entry);
        Assert.DoesNotContain(builder.Nodes, n => System.Text.RegularExpressions.Regex.IsMatch(n.Origin, @"\[t = \d"));
        return (Scan)Assert.Single(builder.Nodes, n => n.Op is Scan).Op;
    }
}
