using Graph.Tests.Gradients;
using Xunit;

namespace Graph.Tests.Loops;

/// <summary>
/// The gradients of the models as written (whose long loops may stay loops in the generated code) against central
/// finite differences of their losses, every element of every parameter, at one sample and a batch of three.
/// </summary>
public sealed class LoopGradientTests
{
    public static TheoryData<string, int> Cases() => LoopEquivalenceTests.Cases();

    [Theory]
    [MemberData(nameof(Cases))]
    public void TheLoopGradientMatchesFiniteDifferences(string pair, int batch)
    {
        var model = LoopTwins.Pairs[pair].Loop(batch);
        GradientCheck.Run((_, _, _) => model.Loss(), (_, _, _) => model.Backward(), model.Parameters, [], [], batch);
    }
}
