using System.Diagnostics;
using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>The step profile's bookkeeping: its layout, what it records and how it reports.</summary>
public sealed class StepProfileTests
{
    private static StepLayout Layout() => new("Net", ("Predict", ["%1 a", "%2 b"]), ("Backward", ["%3 c", "%4 d", "%5 e"]));

    [Fact]
    public void ALayoutNeedsAModelNameAndNamedSteps()
    {
        Assert.Throws<ArgumentException>(() => new StepLayout("", ("Predict", ["%1 a"])));
        Assert.Throws<ArgumentException>(() => new StepLayout("Net", ("", ["%1 a"])));
        var unnamed = Assert.Throws<ArgumentException>(() => new StepLayout("Net", ("Predict", ["%1 a", null!])));
        Assert.Contains("Net.Predict", unnamed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordingNeedsALayoutAndAStepInIt()
    {
        var profile = new StepProfile();
        Assert.Throws<InvalidOperationException>(() => profile.Record(0, 0, Stopwatch.GetTimestamp()));
        Assert.Empty(profile.Steps);
        profile.Attach(Layout());
        Assert.Equal("method", Assert.Throws<ArgumentOutOfRangeException>(() => profile.Record(2, 0, 0)).ParamName);
        Assert.Equal("method", Assert.Throws<ArgumentOutOfRangeException>(() => profile.Record(-1, 0, 0)).ParamName);
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => profile.Record(0, 2, 0)).ParamName);
        Assert.Equal("step", Assert.Throws<ArgumentOutOfRangeException>(() => profile.Record(1, -1, 0)).ParamName);
    }

    [Fact]
    public void AProfileTimesOneLayout()
    {
        var layout = Layout();
        var profile = new StepProfile();
        profile.Attach(layout);
        profile.Record(1, 2, Stopwatch.GetTimestamp());
        profile.Attach(layout);
        Assert.Equal(1, profile.Steps.Single(s => s is { Method: "Backward", Step: 2 }).Calls);
        var other = Assert.Throws<InvalidOperationException>(() => profile.Attach(new StepLayout("Other", ("Predict", ["%1 a"]))));
        Assert.Contains("Net", other.Message, StringComparison.Ordinal);
        Assert.Contains("Other", other.Message, StringComparison.Ordinal);
        Assert.Same(layout, profile.Layout);
    }

    [Fact]
    public void EachRecordAddsTheTimeSinceTheMarkAndReturnsTheNextMark()
    {
        var profile = new StepProfile();
        profile.Attach(Layout());
        long twoMilliseconds = Stopwatch.Frequency / 500;
        long before = Stopwatch.GetTimestamp();
        long mark = profile.Record(1, 0, before - twoMilliseconds);
        Assert.InRange(mark, before, Stopwatch.GetTimestamp());
        profile.Record(1, 0, mark - twoMilliseconds);
        profile.Record(1, 1, Stopwatch.GetTimestamp() - (3 * twoMilliseconds));

        var steps = profile.Steps;
        Assert.Equal(["Predict", "Predict", "Backward", "Backward", "Backward"], steps.Select(s => s.Method));
        Assert.Equal([0, 1, 0, 1, 2], steps.Select(s => s.Step));
        Assert.Equal(["%1 a", "%2 b", "%3 c", "%4 d", "%5 e"], steps.Select(s => s.Name));
        Assert.Equal([0L, 0, 2, 1, 0], steps.Select(s => s.Calls));
        var first = steps[2];
        var second = steps[3];
        Assert.True(first.Total >= TimeSpan.FromMilliseconds(4), $"{first.Total}");
        Assert.True(second.Total >= TimeSpan.FromMilliseconds(6), $"{second.Total}");
        Assert.Equal(first.Total.TotalMicroseconds / 2, first.MicrosecondsPerCall, 6);
        Assert.Equal(0, steps[4].MicrosecondsPerCall);
        Assert.Equal(1, first.Share + second.Share, 9);
        Assert.Equal(0, steps[0].Share);
    }

    [Fact]
    public void ResetClearsTheTimesAndKeepsTheLayout()
    {
        var profile = new StepProfile();
        profile.Attach(Layout());
        profile.Record(0, 1, Stopwatch.GetTimestamp() - 1000);
        profile.Reset();
        Assert.All(profile.Steps, s => Assert.Equal((0L, TimeSpan.Zero), (s.Calls, s.Total)));
        Assert.Equal(5, profile.Steps.Count);
        profile.Record(0, 1, Stopwatch.GetTimestamp());
        Assert.Equal(1, profile.Steps[1].Calls);
    }

    [Fact]
    public void TheReportHasATablePerMethodThatRan()
    {
        var profile = new StepProfile();
        Assert.Equal("StepProfile: not given to a model.", profile.ToString());
        profile.Attach(new StepLayout("Net", ("Predict", ["%1 a"]), ("Backward", ["%3 c|d", "%4 e"])));
        Assert.Equal("StepProfile of Net: no step has run.", profile.ToString());
        long mark = Stopwatch.GetTimestamp();
        mark = profile.Record(1, 0, mark - (Stopwatch.Frequency / 1000));
        profile.Record(1, 1, mark);

        string report = profile.ToString();
        Assert.DoesNotContain("Net.Predict", report, StringComparison.Ordinal);
        Assert.StartsWith("Net.Backward, 1 runs:\n\n| step | µs per run | share | computes |\n|---:|---:|---:|---|\n| 0 | ", report, StringComparison.Ordinal);
        Assert.Contains(" | %3 c\\|d |\n| 1 | ", report, StringComparison.Ordinal);
        Assert.EndsWith(" | 100% | |\n", report, StringComparison.Ordinal);
    }
}
