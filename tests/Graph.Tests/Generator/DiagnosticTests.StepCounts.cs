using Xunit;

namespace Graph.Tests.Generator;

/// <summary>The diagnostics of run-time step counts, [MaxSteps] arguments (GRAPH047).</summary>
public sealed partial class DiagnosticTests
{
    private const string CountedRecurrence = """
        [Model(typeof(double)UNROLL), Size("Vocab", 7)]
        public partial class Net
        {
            [Param("Vocab", 4), InitUniform(-1, 1)] public partial Tensor Embed { get; }
            [Param(4, 4), InitUniform(-1, 1)] public partial Tensor Recurrent { get; }

            [Forward]
            public Tensor Encode([Indices(3, Padded = true)] Tensor words, COUNT)
            {
                Tensor hidden = EmbeddingMean(Embed, words);
                LOOP
                return hidden;
            }
        }
        """;

    private const string CountedLoop = """
        for (int t = 0; t < length; t++)
        {
            hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
        }
        """;

    private static string Counted(string loop = CountedLoop, string count = "[MaxSteps(3)] int length", string unroll = "") =>
        CountedRecurrence.Replace("UNROLL", unroll).Replace("COUNT", count).Replace("LOOP", loop);

    /// <summary>The count keeps its name in the generated methods, next to their own arguments and locals.</summary>
    [Theory]
    [InlineData("length")]
    [InlineData("step")]
    [InlineData("learningRate")]
    [InlineData("optimizer")]
    [InlineData("rule")]
    [InlineData("update")]
    [InlineData("loss")]
    [InlineData("i0")]
    public void ALoopBoundedByAStepCountCompiles(string name)
    {
        var result = GeneratorHarness.Run(Usings + """
            [Model(typeof(double)), Size("Vocab", 7)]
            public partial class Net
            {
                [Param("Vocab", 4), InitUniform(-1, 1)] public partial Tensor Embed { get; }
                [Param(4, 4), InitUniform(-1, 1)] public partial Tensor Recurrent { get; }
                [Param(4, "Vocab"), InitUniform(-1, 1)] public partial Tensor Decoder { get; }

                [Forward]
                public Tensor Encode([Indices(3, Padded = true)] Tensor words, [MaxSteps(3)] int NAME)
                {
                    Tensor hidden = EmbeddingMean(Embed, words);
                    for (int t = 0; t < NAME; t++)
                    {
                        hidden = Tanh(hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]));
                    }

                    return hidden;
                }

                [Loss]
                public Tensor Fit([Indices(3, Padded = true)] Tensor words, [Indices(1)] Tensor target, [MaxSteps(3)] int NAME)
                {
                    Tensor hidden = EmbeddingMean(Embed, words);
                    for (int t = 0; t < NAME; t++)
                    {
                        hidden = Tanh(hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]));
                    }

                    return SoftmaxCrossEntropy(hidden.Dot(Decoder), target[0]);
                }
            }
            """.Replace("NAME", name));
        Assert.Empty(result.Exceptions);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
    }

    [Fact]
    public void AStepCountUsedAsAValueIsReportedWhereItIsRead()
    {
        var diagnostic = Single(Counted(CountedLoop + "hidden = hidden * length;"), "GRAPH047", out string source);
        Assert.Equal("'length' in 'Encode': 'length' is a run-time step count ([MaxSteps]), which can only bound a loop: for (int t = 0; t < length; t++)", diagnostic.GetMessage());
        Assert.Equal("length", Text(diagnostic, source));
        Assert.Equal(source.LastIndexOf("length;", StringComparison.Ordinal), diagnostic.Location.SourceSpan.Start);
    }

    [Theory]
    [InlineData("[MaxSteps(0)] int length", "[MaxSteps(0)] must give a positive number of steps")]
    [InlineData("[MaxSteps(3)] Tensor length", "a step count is an int argument, not 'Graph.Tensor'")]
    [InlineData("[MaxSteps(3), Indices(3)] int length", "a step count is a number, so it takes neither [Shape] nor [Indices]")]
    public void AnInvalidStepCountIsReportedAtTheArgument(string count, string why)
    {
        var diagnostic = Single(Counted(count.Contains("int", StringComparison.Ordinal) ? CountedLoop : string.Empty, count), "GRAPH047", out string source);
        Assert.Equal($"'length' in 'Encode': {why}", diagnostic.GetMessage());
        Assert.Equal("length", Text(diagnostic, source));
    }

    [Fact]
    public void ALoopOverAStepCountThatDoesNotStartAtZeroIsReportedAtTheLoop()
    {
        var diagnostic = Single(Counted(CountedLoop.Replace("int t = 0", "int t = 1")), "GRAPH047", out string source);
        Assert.Equal("'for (int t = 1; t < length; t++)' in 'Encode': a loop bounded by the run-time step count 'length' must count its steps from 0: for (int t = 0; t < length; t++)", diagnostic.GetMessage());
        Assert.StartsWith("for (int t = 1; t < length; t++)", Text(diagnostic, source), StringComparison.Ordinal);
    }

    [Fact]
    public void ALoopOverAStepCountInAModelThatUnrollsItsLoopsIsReported()
    {
        var diagnostic = Single(Counted(unroll: ", UnrollLoops = true"), "GRAPH047", out string source);
        Assert.Equal("'for (int t = 0; t < length; t++)' in 'Encode': the loop runs 'length' steps, known only at run time, so it must be compiled as a loop, but the model is declared [Model(UnrollLoops = true)], which writes every loop out step by step", diagnostic.GetMessage());
        Assert.StartsWith("for (int t = 0; t < length; t++)", Text(diagnostic, source), StringComparison.Ordinal);
    }

    [Fact]
    public void ALoopOverAStepCountThatAppendsRowsIsReported()
    {
        var diagnostic = Single(Counted("""
            Tensor rows = Reshape(hidden, 1, 4);
            for (int t = 0; t < length; t++)
            {
                hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
                rows = Concat(rows, Reshape(hidden, 1, 4));
            }
            """), "GRAPH047", out _);
        Assert.EndsWith("but its body appends rows (Concat) or holds a loop, which only unrolling compiles", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void ALoopOverAStepCountThatUsesItsVariableAsANumberIsReported()
    {
        var diagnostic = Single(Counted("""
            for (int t = 0; t < length; t++)
            {
                hidden = hidden * t;
            }
            """), "GRAPH047", out _);
        Assert.EndsWith("but its body uses 't' as a number or changes an int local, which only unrolling compiles", diagnostic.GetMessage(), StringComparison.Ordinal);
    }
}
