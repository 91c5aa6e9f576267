using Graph.Tests.Gradients;
using Xunit;

namespace Graph.Tests.Loops;

/// <summary>
/// The gradients of the models whose long loops stay loops in the generated code, with their sums over the steps in
/// the unrolled order and (<see cref="LoopTwins.Summed"/>) as the compiler orders them by default, against central
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

    public static TheoryData<string, int> SummedCases() => LoopProductSumsTests.Cases();

    [Theory]
    [MemberData(nameof(SummedCases))]
    public void TheSummedGradientMatchesFiniteDifferences(string pair, int batch)
    {
        var model = LoopTwins.Summed[pair](batch);
        GradientCheck.Run((_, _, _) => model.Loss(), (_, _, _) => model.Backward(), model.Parameters, [], [], batch);
    }
}
