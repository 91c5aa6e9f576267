using Xunit;

namespace Graph.Tests.Generator;

/// <summary>The diagnostics of loops and of picking one index per step (GRAPH025 to GRAPH027, GRAPH044).</summary>
public sealed partial class DiagnosticTests
{
    private const string Recurrence = """
        [Model(typeof(double)), Size("Vocab", 7)]
        public partial class Net
        {
            [Param("Vocab", 4), InitUniform(-1, 1)] public partial Tensor Embed { get; }
            [Param(4, 4), InitUniform(-1, 1)] public partial Tensor Recurrent { get; }

            private readonly int count = 3;

            [Forward]
            public Tensor Encode([Indices(3, Padded = true)] Tensor words)
            {
                Tensor hidden = EmbeddingMean(Embed, words);
                LOOP
                return hidden;
            }
        }
        """;

    [Fact]
    public void ACarriedValueWhoseShapeChangesIsReportedAtItsLastAssignment()
    {
        var diagnostic = Single(Recurrence.Replace("LOOP", """
            for (int t = 0; t < 3; t++)
            {
                hidden = Concat(hidden, Sigmoid(hidden));
            }
            """), "GRAPH044", out string source);
        Assert.Equal("The loop 'for (int t = 0; t < 3; t++)' carries 'hidden' into a step as [8] per sample and out of it as [16] per sample; a value a loop carries must keep its shape from step to step", diagnostic.GetMessage());
        Assert.Equal("Concat(hidden, Sigmoid(hidden))", Text(diagnostic, source));
    }

    [Fact]
    public void RowsAppendedInALoopGrowWithoutADiagnostic()
    {
        var model = Recurrence.Replace("LOOP", """
            Tensor rows = Reshape(hidden, 1, 4);
            for (int t = 0; t < 3; t++)
            {
                hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
                rows = Concat(rows, Reshape(hidden, 1, 4));
            }

            hidden = Flatten(rows);
            """);
        var result = GeneratorHarness.Run(Usings + model);
        Assert.Empty(result.Exceptions);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
    }

    [Fact]
    public void ALoopBoundThatIsNotAConstantIsReportedAtTheBound()
    {
        var diagnostic = Single(Recurrence.Replace("LOOP", """
            for (int t = 0; t < count; t++)
            {
                hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
            }
            """), "GRAPH025", out string source);
        Assert.Equal("The loop 'for (int t = 0; t < count; t++)' in 'Encode' cannot be unrolled: the loop bound is neither a compile-time constant (a literal, a const or an expression of them) nor an int argument declared [MaxSteps(n)], a run-time step count", diagnostic.GetMessage());
        Assert.Equal("count", Text(diagnostic, source));
    }

    [Fact]
    public void BreakInALoopIsReportedAtTheStatement()
    {
        var diagnostic = Single(Recurrence.Replace("LOOP", """
            for (int t = 0; t < 3; t++)
            {
                hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
                break;
            }
            """), "GRAPH025", out string source);
        Assert.Contains("break, continue and goto are not supported in an unrolled loop", diagnostic.GetMessage());
        Assert.Equal("break;", Text(diagnostic, source));
    }

    [Fact]
    public void AssigningTheLoopVariableIsReportedAtTheAssignment()
    {
        var diagnostic = Single(Recurrence.Replace("LOOP", """
            for (int t = 0; t < 3; t++)
            {
                hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
                t += 1;
            }
            """), "GRAPH025", out string source);
        Assert.Contains("the loop variable 't' may not be assigned in the loop body", diagnostic.GetMessage());
        Assert.Equal("t += 1;", Text(diagnostic, source));
    }

    [Fact]
    public void AnotherStatementInALoopIsReportedAtTheStatement()
    {
        var diagnostic = Single(Recurrence.Replace("LOOP", """
            for (int t = 0; t < 3; t++)
            {
                if (t > 0) { hidden = hidden.Dot(Recurrent); }
            }
            """), "GRAPH025", out string source);
        Assert.Contains("an unrolled loop body may hold only local variables, assignments to them and nested for loops", diagnostic.GetMessage());
        Assert.Equal("if (t > 0) { hidden = hidden.Dot(Recurrent); }", Text(diagnostic, source));
    }

    [Fact]
    public void ALoopThatCountsDownIsReportedAtItsCondition()
    {
        var diagnostic = Single(Recurrence.Replace("LOOP", """
            for (int t = 2; t >= 0; t--)
            {
                hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
            }
            """), "GRAPH025", out string source);
        Assert.Contains("the condition must compare the loop variable with a bound: t < BOUND or t <= BOUND", diagnostic.GetMessage());
        Assert.Equal("t >= 0", Text(diagnostic, source));
    }

    [Fact]
    public void AWhileLoopIsReportedAtTheLoop()
    {
        var diagnostic = Single(Recurrence.Replace("LOOP", """
            while (true) { hidden = hidden.Dot(Recurrent); }
            """), "GRAPH025", out string source);
        Assert.Contains("only a for loop with constant bounds is unrolled", diagnostic.GetMessage());
        Assert.Equal("while (true) { hidden = hidden.Dot(Recurrent); }", Text(diagnostic, source));
    }

    [Fact]
    public void TooManyUnrolledIterationsAreReportedAtTheLoop()
    {
        var diagnostic = Single(Recurrence.Replace("LOOP", """
            for (int t = 0; t < 100; t++)
            {
                for (int u = 0; u < 50; u++)
                {
                    hidden = hidden.Dot(Recurrent);
                }
            }
            """), "GRAPH026", out string source);
        Assert.Equal("Unrolling 'for (int u = 0; u < 50; u++)' in 'Encode' would take the method past 4096 loop iterations in all; a loop is unrolled into the graph at compile time, so its size is limited", diagnostic.GetMessage());
        Assert.StartsWith("for (int u = 0; u < 50; u++)", Text(diagnostic, source), StringComparison.Ordinal);
    }

    [Fact]
    public void TooManyUnrolledOperationsAreReportedAtTheLoop()
    {
        // 3,000 iterations are within the iteration limit, but three operations each, written out step by step, pass
        // the operation limit: the generated code would be tens of MB.
        const string loop = """
            for (int t = 0; t < 3000; t++)
            {
                hidden = Tanh(hidden.Dot(Recurrent) + hidden);
            }
            """;
        var unrolled = Recurrence.Replace("[Model(typeof(double))", "[Model(typeof(double), UnrollLoops = true)").Replace("LOOP", loop);
        var diagnostic = Single(unrolled, "GRAPH026", out string source);
        Assert.Equal("Unrolling 'for (int t = 0; t < 3000; t++)' in 'Encode' would take the method past 8192 operations in all; a loop is unrolled into the graph at compile time, so its size is limited", diagnostic.GetMessage());
        Assert.StartsWith("for (int t = 0; t < 3000; t++)", Text(diagnostic, source), StringComparison.Ordinal);

        // Kept as a loop, the same 3,000 steps are one copy of the body in a for loop.
        var kept = GeneratorHarness.Run(Usings + Recurrence.Replace("LOOP", loop));
        Assert.Empty(kept.Diagnostics);
        Assert.Empty(kept.CompileErrors);
        Assert.Contains(kept.Sources.Values, s => s.Contains("for (int step = 0; step <= 2999; step++)", StringComparison.Ordinal));
    }

    [Fact]
    public void APositionPastTheIndicesIsReportedAtTheIndexer()
    {
        var diagnostic = Single(Recurrence.Replace("LOOP", """
            for (int t = 0; t <= 3; t++)
            {
                hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
            }
            """), "GRAPH027", out string source);
        Assert.Equal("Cannot take 'words[t] [t = 3]': position 3 is outside 'words', whose positions run from 0 to 2", diagnostic.GetMessage());
        Assert.Equal("words[t]", Text(diagnostic, source));
    }

    [Fact]
    public void APositionThatIsNotAConstantIsReportedAtTheIndexer()
    {
        var diagnostic = Single(Recurrence.Replace("LOOP", """
            hidden = EmbeddingSum(Embed, words[count - 3]);
            """), "GRAPH027", out string source);
        Assert.Equal("Cannot take 'words[count - 3]': the position must be a compile-time constant: a literal, a const, or the variable of an unrolled for loop", diagnostic.GetMessage());
        Assert.Equal("words[count - 3]", Text(diagnostic, source));
    }

    [Fact]
    public void ARowPastADenseValueIsReported()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape(3, 2)] Tensor x) => x[3] * 2;
            }
            """, "GRAPH027", out string source);
        Assert.Equal("Cannot take 'x[3]': position 3 is outside the first axis of 'x' ([3,2]), whose positions run from 0 to 2", diagnostic.GetMessage());
        Assert.Equal("x[3]", Text(diagnostic, source));
    }

    [Fact]
    public void IndexingAScalarIsReported()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Sum()[0];
            }
            """, "GRAPH027", out string source);
        Assert.Equal("Cannot take 'x.Sum()[0]': 'x.Sum()' is a scalar per sample; only a vector, matrix or higher has rows to index", diagnostic.GetMessage());
        Assert.Equal("x.Sum()[0]", Text(diagnostic, source));
    }

    [Fact]
    public void IndexingAnInputOfAnyLengthIsReported()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(10, 4), InitUniform(-1, 1)] public partial Tensor Table { get; }
                [Forward] public Tensor Predict([Indices] Tensor words) => EmbeddingSum(Table, words[0]);
            }
            """, "GRAPH027", out string source);
        Assert.Contains("'words' takes any number of indices ([Indices])", diagnostic.GetMessage());
        Assert.Equal("words[0]", Text(diagnostic, source));
    }

    [Fact]
    public void APickedIndexAsTheLogitsOfACrossEntropyIsReported()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W { get; }
                [Loss] public Tensor Loss([Shape(3)] Tensor x, [Indices(2)] Tensor words) => SoftmaxCrossEntropy(words[0], x.Dot(W));
            }
            """, "GRAPH021", out string source);
        Assert.Equal("'words[0]' is an index input ([Indices]): it holds row indices, not values, so it cannot be used in SoftmaxCrossEntropy; pick rows of a table with Gather, EmbeddingSum or EmbeddingMean", diagnostic.GetMessage());
        Assert.Equal("SoftmaxCrossEntropy(words[0], x.Dot(W))", Text(diagnostic, source));
    }

    [Fact]
    public void AGenericRecurrentModelCompiles()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Model, Size("Vocab", 11)]
            public partial class Net<T> where T : unmanaged, IFloatingPointIeee754<T>
            {
                public const int Steps = 4;

                [Param("Vocab", 5), InitUniform(-0.1, 0.1)] public partial Tensor Embed { get; }
                [Param(5, 5), InitUniform(-0.1, 0.1)] public partial Tensor Recurrent { get; }
                [Param(5), InitZeros] public partial Tensor Start { get; }
                [Param(5, "Vocab"), InitUniform(-0.1, 0.1)] public partial Tensor Decoder { get; }

                [Forward]
                public Tensor Predict([Indices(Steps, Padded = true)] Tensor words)
                {
                    Tensor hidden = Start;
                    for (int t = 0; t < Steps; t++)
                    {
                        hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
                    }

                    return Softmax(hidden.Dot(Decoder));
                }

                [Loss(Reduction = Reduction.Sum)]
                public Tensor Loss([Indices(Steps, Padded = true)] Tensor words)
                {
                    Tensor hidden = Start;
                    Tensor loss = 0;
                    for (int t = 0; t < Steps; t++)
                    {
                        loss += SoftmaxCrossEntropy(hidden.Dot(Decoder), words[t]);
                        hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
                    }

                    return loss;
                }
            }
            """);
        Assert.Empty(result.Exceptions);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
    }

    [Fact]
    public void ALoopOfIntegersOnlyAndReassignedLocalsCompile()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Model(typeof(double))]
            public partial class Net
            {
                [Param(3, 3), InitUniform(-1, 1)] public partial Tensor W { get; }

                [Forward]
                public Tensor Predict([Shape(3)] Tensor x)
                {
                    const int Count = 4;
                    int total = 0;
                    for (int t = 1; t <= Count; t++)
                    {
                        total += t * 2;
                    }

                    var y = x;
                    y = y.Dot(W);
                    y -= 1;
                    y /= total;
                    return y;
                }
            }
            """);
        Assert.Empty(result.Exceptions);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
        var (_, generated) = Assert.Single(result.Sources);
        Assert.Contains("/ 20.0", generated, StringComparison.Ordinal);
    }
}
