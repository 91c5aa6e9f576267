using System.Globalization;
using Graph.Samples.Examples;
using Xunit;

namespace Graph.Tests.Samples;

/// <summary>The same compiled networks in float32 (<c>--precision float</c>): they run and learn; digits are not compared.</summary>
public sealed class FloatPrecisionTests
{
    private static readonly ExampleOptions Float = new() { Precision = Precision.Float };

    [Fact]
    public void BackpropTrainsInFloat()
    {
        var errors = SampleRun.Lines("ch06", "backprop", Float)
            .Select(l => float.Parse(l["Error:".Length..], CultureInfo.InvariantCulture))
            .ToArray();
        Assert.Equal(6, errors.Length);
        for (int i = 1; i < errors.Length; i++)
        {
            Assert.True(errors[i] < errors[i - 1], $"the error rose from {errors[i - 1]} to {errors[i]}");
        }

        Assert.True(errors[^1] < 1e-3f, $"the last error is {errors[^1]}");
    }

    /// <summary>A float run prints float32's own shortest digits, not those of the widened double.</summary>
    [Fact]
    public void FloatRunsPrintFloatDigits()
    {
        Assert.Equal(["0.85"], SampleRun.Lines("ch03", "single-input", Float));
        Assert.Equal(["[0.19500001, 0.13, 0.585]"], SampleRun.Lines("ch03", "multi-output", Float));
    }

    public static TheoryData<string, string> NetworkExamples()
    {
        var data = new TheoryData<string, string>();
        foreach (var example in ExampleRegistry.All.Where(e => e.Knobs.HasFlag(ExampleKnobs.Precision)))
        {
            data.Add(example.Chapter, example.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NetworkExamples))]
    public void EveryNetworkRunsInFloat(string chapter, string example)
    {
        // Every example trains one short iteration (round, pass) on a small part of its data here: this checks that
        // it runs in float, not how well it learns (the chapter tests measure that). Chapter 14 counts its training
        // size in batches of text.
        var knobs = ExampleRegistry.FindExample(ExampleRegistry.FindChapter(chapter)!, example)!.Knobs;
        var options = Float with
        {
            Iterations = knobs.HasFlag(ExampleKnobs.Iterations) ? 1 : null,
            TrainSize = knobs.HasFlag(ExampleKnobs.TrainSize) ? chapter switch { "ch11" => 2000, "ch14" => 2, _ => 100 } : null,
        };
        var single = SampleRun.Lines(chapter, example, options);
        var @double = SampleRun.Lines(chapter, example, options with { Precision = null });
        Assert.Equal(@double.Length, single.Length);
    }
}
