using Xunit;

namespace Graph.Tests.Datasets;

/// <summary>The rules of the shared-data facts: GRAPH_DATA first, a skip where the data is absent, a failure under CI=true.</summary>
public sealed class SharedDataTests
{
    [Fact]
    public void GraphDataIsSearchedBeforeTheSharedFolder()
    {
        var candidates = SharedData.Candidates("mnist", name => name == "GRAPH_DATA" ? "/data" : null, "/work/shared");

        Assert.Equal([Path.Combine("/data", "mnist"), Path.Combine("/work/shared", "data", "mnist")], candidates);
        Assert.Equal([Path.Combine("/work/shared", "data", "mnist")], SharedData.Candidates("mnist", _ => null, "/work/shared"));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("false", false)]
    [InlineData(null, false)]
    public void CiIsReadFromTheEnvironment(string? value, bool ci) =>
        Assert.Equal(ci, SharedData.IsCi(name => name == "CI" ? value : null));

    [Fact]
    public void AbsentDataSkipsExceptUnderCi()
    {
        Assert.Null(SharedData.SkipReason("mnist", found: true, ci: false));
        Assert.Null(SharedData.SkipReason("mnist", found: true, ci: true));
        Assert.Null(SharedData.SkipReason("mnist", found: false, ci: true));
        Assert.Equal(
            "The mnist data is not present (looked under $GRAPH_DATA/mnist and ../shared/data/mnist); CI=true makes this a failure.",
            SharedData.SkipReason("mnist", found: false, ci: false));
    }
}
