using Xunit;

namespace Graph.Tests.Gradients;

/// <summary>Models whose shapes use a size fixed at construction.</summary>
public sealed class NamedSizeTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(7, 2)]
    [InlineData(40, 4)]
    public void BackwardMatchesFiniteDifferencesForAnyHiddenSize(int hidden, int batch)
    {
        var model = new NamedSizeModel(seed: 3, hidden: hidden);
        Assert.Equal(hidden, model.Hidden);
        Assert.Equal([3, hidden], model.Parameters["W01"].Shape.ToArray());
        Assert.Equal([hidden, 4], model.Parameters["W12"].Shape.ToArray());
        Assert.Equal(new[] { 3, hidden }, model.W01.Shape);
        GradientCheck.Run(model, 3, 4, batch);
    }

    [Fact]
    public void TheDefaultSizeIsTheDeclaredOne() => Assert.Equal(5, new NamedSizeModel().Hidden);

    [Fact]
    public void ANonPositiveSizeIsRejectedByTheConstructor()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new NamedSizeModel(seed: 1, hidden: 0));
        Assert.Equal("hidden", error.ParamName);
    }
}
