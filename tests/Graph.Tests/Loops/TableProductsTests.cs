using Graph.Tests.Generator;
using Xunit;

namespace Graph.Tests.Loops;

/// <summary>
/// The generated code of loops whose products read rows of a table (<c>Optimization/TableProducts</c>): compiled by
/// default, each product of rows read from a parameter table and a parameter matrix is rows read from the table product
/// <c>Embed·W</c>, computed once before the loop, in the loss, the backward pass and the forward method alike, a loop
/// over a run-time count included; with ExactLoopSums, or with a table of more than four rows per step, the products
/// stay. What the twins compute is checked by <see cref="LoopProductSumsTests"/>, <see cref="LoopGradientTests"/> and
/// <see cref="StepCountTests"/>.
/// </summary>
public sealed class TableProductsTests
{
    private static string Source(string file, string model)
    {
        var result = GeneratorHarness.Run(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "tests", "Graph.Tests", "Loops", file)));
        Assert.Empty(result.Diagnostics);
        return result.Sources.Single(s => s.Key.EndsWith("." + model + ".g.cs", StringComparison.Ordinal)).Value;
    }

    private static string[] Lines(string source, string text) =>
        source.Split('\n').Where(l => l.Contains(text, StringComparison.Ordinal)).ToArray();

    [Fact]
    public void TheLstmReadsItsFourInputProductsFromTableProducts()
    {
        string summed = Source("LoopTwinModels.cs", "CharacterLstmSummed");
        foreach (string weight in new[] { "ForgetInput", "InGateInput", "CandidateInput", "OutGateInput" })
        {
            // Loss, Backward and FinalState each compute the table once, before their loop.
            Assert.Equal(3, Lines(summed, "= MatMul(A, B): Embed·" + weight + " ").Length);
            Assert.Equal(3, Lines(summed, "= EmbeddingBag: x.Dot(" + weight + ")").Length);
            Assert.Empty(Lines(summed, "MatMul(A, B): x.Dot(" + weight + ")"));
        }

        // The embedded character feeds nothing but the products, so it is not computed.
        Assert.Empty(Lines(summed, "EmbeddingSum(Embed, chars[t])"));

        string exact = Source("LoopTwinModels.cs", "CharacterLstmLoop");
        Assert.DoesNotContain("Embed·", exact, StringComparison.Ordinal);
        Assert.NotEmpty(Lines(exact, "MatMul(A, B): x.Dot(ForgetInput)"));
    }

    [Fact]
    public void ALoopOverARunTimeCountReadsTheTablesToo()
    {
        string summed = Source("StepCountModels.cs", "CharacterLstmStepsSummed");
        Assert.Equal(3, Lines(summed, "= MatMul(A, B): Embed·ForgetInput ").Length);
        Assert.Empty(Lines(summed, "MatMul(A, B): x.Dot("));
        Assert.DoesNotContain("Embed·", Source("StepCountModels.cs", "CharacterLstmSteps"), StringComparison.Ordinal);
    }

    [Fact]
    public void OneTableProductServesEveryReadOfItsRowsAndTheRowStaysWhereItIsReadAgain()
    {
        string summed = Source("LoopTwinModels.cs", "TableRnnSummed");
        Assert.Equal(3, Lines(summed, "= MatMul(A, B): Embed·Input ").Length);
        Assert.Equal(3, Lines(summed, "= MatMul(A, B): Embed·Gate ").Length);
        Assert.NotEmpty(Lines(summed, "= EmbeddingBag: x.Dot(Input)"));
        Assert.NotEmpty(Lines(summed, "= Gather: rows.Dot(Input)"));
        Assert.NotEmpty(Lines(summed, "= Gather: rows.Dot(Gate)"));
        Assert.Empty(Lines(summed, "MatMul(A, B): rows.Dot("));
        Assert.Empty(Lines(summed, "MatMul(A, B): x.Dot("));

        // x * rows.Dot(Input)[0] reads the summed row itself.
        Assert.NotEmpty(Lines(summed, "= EmbeddingBag: EmbeddingSum(Embed, words[t])"));
        Assert.Empty(Lines(summed, "= Gather: Gather(Embed, words[t])"));
        Assert.DoesNotContain("Embed·", Source("LoopTwinModels.cs", "TableRnnLoop"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(32, true)]
    [InlineData(33, false)]
    public void ATableOfMoreThanFourRowsPerStepKeepsItsProducts(int vocab, bool tabled)
    {
        string source = $$"""
            using Graph;
            using static Graph.Ops;

            [Model(typeof(double)), Size("Vocab", {{vocab}})]
            public partial class Words
            {
                [Param("Vocab", 4)] public partial Tensor Embed { get; }
                [Param(4, 4)] public partial Tensor Input { get; }
                [Param(4, "Vocab")] public partial Tensor Decoder { get; }

                [Loss]
                public Tensor Loss([Indices(8)] Tensor words)
                {
                    Tensor hidden = 0;
                    Tensor loss = 0;
                    for (int t = 0; t < 8; t++)
                    {
                        hidden = Tanh(hidden + EmbeddingSum(Embed, words[t]).Dot(Input));
                        loss += SoftmaxCrossEntropy(hidden.Dot(Decoder), words[t]);
                    }

                    return loss;
                }
            }
            """;
        var result = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        string generated = result.Sources.Single(s => s.Key.EndsWith("Words.g.cs", StringComparison.Ordinal)).Value;
        Assert.Equal(tabled, generated.Contains("= MatMul(A, B): Embed·Input ", StringComparison.Ordinal));
        Assert.Equal(!tabled, generated.Contains("MatMul(A, B): EmbeddingSum(Embed, words[t]).Dot(Input)", StringComparison.Ordinal));
    }
}
