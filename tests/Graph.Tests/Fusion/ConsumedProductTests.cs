using Graph.Runtime;
using Graph.Tests.Gradients;
using Graph.Tests.Generator;
using Xunit;

namespace Graph.Tests.Fusion;

/// <summary>
/// A product over a depth of at most 16 whose only reader is an elementwise loop is handed to that loop as it is
/// computed and never stored (<c>Schedule/ProductConsumers</c>, <c>Planning/ConsumedProducts</c>); over a depth of 17
/// it is stored. The gradients of the consumed form pass the finite-difference check.
/// </summary>
public sealed class ConsumedProductTests
{
    [Fact]
    public void AProductOverSixteenIsTakenByItsLoopAndOneOverSeventeenIsStored()
    {
        var result = GeneratorHarness.Run(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "tests", "Graph.Tests", "Fusion", "ConsumedProductModels.cs")));
        Assert.Empty(result.Diagnostics);
        string sixteen = Backward(result, "SixteenOutputs");
        string seventeen = Backward(result, "SeventeenOutputs");

        Assert.Contains("GemmInto<double, BackwardProductLoop", sixteen, StringComparison.Ordinal);
        Assert.Contains("(depth 16 ≤ 16)", sixteen, StringComparison.Ordinal);
        Assert.Equal(1, Count(sixteen, "Kernels.Gemm<double>(false, true,") + Count(sixteen, "GemmInto<double"));
        Assert.DoesNotContain("GemmInto", seventeen, StringComparison.Ordinal);
        Assert.Contains("Kernels.Gemm<double>(false, true, batch, 40, 17,", seventeen, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TheConsumedFormsGradientsMatchFiniteDifferences(int batch)
    {
        var model = new SixteenOutputs();
        var random = new NumpyRandom(5);
        GradientCheck.Run(model.Loss, model.Backward, model.Parameters, GradientCheck.Draw(random, 5 * batch), GradientCheck.Draw(random, 16 * batch), batch);
    }

    /// <summary>The generated BackwardCore of the model named <paramref name="model"/>.</summary>
    private static string Backward(GeneratorResult result, string model)
    {
        string source = result.Sources.Single(s => s.Key.EndsWith("." + model + ".g.cs", StringComparison.Ordinal)).Value;
        string backward = source[source.IndexOf(" BackwardCore(global::", StringComparison.Ordinal)..];
        return backward[..backward.IndexOf("\n        }\n", StringComparison.Ordinal)];
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, string.Empty, StringComparison.Ordinal).Length) / part.Length;
}
