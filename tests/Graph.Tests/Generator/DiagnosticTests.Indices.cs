using Xunit;

namespace Graph.Tests.Generator;

/// <summary>The diagnostics of index inputs and the row-gathering operations (GRAPH021 to GRAPH024).</summary>
public sealed partial class DiagnosticTests
{
    [Fact]
    public void IndexInputInArithmeticIsReportedAtTheExpression()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(10, 4), InitUniform(-1, 1)] public partial Tensor Table { get; }
                [Forward] public Tensor Predict([Indices(3)] Tensor words) => words * 2;
            }
            """, "GRAPH021", out string source);
        Assert.Equal("'words' is an index input ([Indices]): it holds row indices, not values, so it cannot be used in Multiply; pick rows of a table with Gather, EmbeddingSum or EmbeddingMean", diagnostic.GetMessage());
        Assert.Equal("words * 2", Text(diagnostic, source));
    }

    [Fact]
    public void IndexInputInAMatrixProductIsReported()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Indices(3)] Tensor words) => Sigmoid(words.Dot(W));
            }
            """, "GRAPH021", out string source);
        Assert.Contains("'words' is an index input", diagnostic.GetMessage());
        Assert.Equal("words.Dot(W)", Text(diagnostic, source));
    }

    [Fact]
    public void IndexInputAsTheTableIsReported()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(10, 4), InitUniform(-1, 1)] public partial Tensor Table { get; }
                [Forward] public Tensor Predict([Indices(3)] Tensor words) => EmbeddingSum(words, words);
            }
            """, "GRAPH021", out string source);
        Assert.Contains("cannot be used in EmbeddingSum as its table", diagnostic.GetMessage());
        Assert.Equal("EmbeddingSum(words, words)", Text(diagnostic, source));
    }

    [Fact]
    public void ReturningAnIndexInputIsReported()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward] public Tensor Predict([Indices(3)] Tensor words) => words;
            }
            """, "GRAPH021", out string source);
        Assert.Contains("cannot be used in the result of Predict", diagnostic.GetMessage());
        Assert.Equal("Predict", Text(diagnostic, source));
    }

    [Fact]
    public void DenseInputWhereIndicesAreNeededIsReported()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(10, 4), InitUniform(-1, 1)] public partial Tensor Table { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor words) => EmbeddingMean(Table, words);
            }
            """, "GRAPH022", out string source);
        Assert.Equal("EmbeddingMean needs an index input ([Indices]) as its indices, but 'words' is a dense value of shape [3] per sample", diagnostic.GetMessage());
        Assert.Equal("EmbeddingMean(Table, words)", Text(diagnostic, source));
    }

    [Fact]
    public void ComputedValueAsIndicesIsReported()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(10, 4), InitUniform(-1, 1)] public partial Tensor Table { get; }
                [Param(3), InitUniform(-1, 1)] public partial Tensor B { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => Gather(Table, x + B);
            }
            """, "GRAPH022", out string source);
        Assert.Contains("Gather needs an index input ([Indices]) as its indices, but 'x + B' is a dense value of shape [3]", diagnostic.GetMessage());
        Assert.Equal("Gather(Table, x + B)", Text(diagnostic, source));
    }

    [Fact]
    public void TableThatIsNotASharedMatrixIsReported()
    {
        var vector = Single("""
            [Model]
            public partial class Net
            {
                [Param(10), InitUniform(-1, 1)] public partial Tensor Table { get; }
                [Forward] public Tensor Predict([Indices(3)] Tensor words) => EmbeddingSum(Table, words);
            }
            """, "GRAPH023", out string source);
        Assert.Equal("EmbeddingSum needs a table with one row per index, a matrix shared by the batch (such as a [Param] of shape [Vocab, Dim]), but 'Table' is of shape [10]", vector.GetMessage());
        Assert.Equal("EmbeddingSum(Table, words)", Text(vector, source));

        var batched = Single("""
            [Model]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape(10, 4)] Tensor table, [Indices(3)] Tensor words) => Gather(table, words);
            }
            """, "GRAPH023", out _);
        Assert.Contains("but 'table' is a value of shape [10,4] per sample", batched.GetMessage());
    }

    [Fact]
    public void IndicesWithAShapeAreReportedAtTheArgument()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(10, 4), InitUniform(-1, 1)] public partial Tensor Table { get; }
                [Forward] public Tensor Predict([Indices, Shape(3)] Tensor words) => EmbeddingSum(Table, words);
            }
            """, "GRAPH024", out string source);
        Assert.StartsWith("Index input 'words': it has both [Shape] and [Indices]", diagnostic.GetMessage());
        Assert.Equal("words", Text(diagnostic, source));
    }

    [Fact]
    public void IndexCountMustBePositive()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(10, 4), InitUniform(-1, 1)] public partial Tensor Table { get; }
                [Forward] public Tensor Predict([Indices(0)] Tensor words) => EmbeddingSum(Table, words);
            }
            """, "GRAPH024", out _);
        Assert.Equal("Index input 'words': [Indices(0)] must give a positive count (or no count, for any number per call)", diagnostic.GetMessage());
    }

    [Fact]
    public void GatherOfAnyNumberOfIndicesIsReported()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(10, 4), InitUniform(-1, 1)] public partial Tensor Table { get; }
                [Forward] public Tensor Predict([Indices] Tensor words) => Sum(Gather(Table, words));
            }
            """, "GRAPH024", out string source);
        Assert.StartsWith("Index input 'words': Gather needs a fixed number of indices per sample, [Indices(n)]", diagnostic.GetMessage());
        Assert.Equal("Gather(Table, words)", Text(diagnostic, source));
    }

    [Fact]
    public void IndexModelCompilesToIntSpansWithoutABatchArgument()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Model]
            public partial class Net
            {
                [Param(10, 4), InitUniform(-1, 1)] public partial Tensor Table { get; }
                [Param(10, 4), InitUniform(-1, 1)] public partial Tensor Output { get; }
                [Loss] public Tensor Loss([Indices] Tensor context, [Indices(3)] Tensor targets, [Shape(3)] Tensor labels) =>
                    SigmoidCrossEntropy(EmbeddingMean(Table, context).Dot(Gather(Output, targets).T), labels);
            }
            """);
        Assert.Empty(result.Exceptions);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
        string source = Assert.Single(result.Sources).Value;
        Assert.Contains("public float TrainStep(global::System.ReadOnlySpan<int> context, global::System.ReadOnlySpan<int> targets, global::System.ReadOnlySpan<float> labels, float learningRate)", source);
        Assert.Contains("OptimizerStepRows<float>(this.valueTable", source);
        Assert.Contains("OptimizerStepRows<float>(this.valueOutput", source);
    }
}
