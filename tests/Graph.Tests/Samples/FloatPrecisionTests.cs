using System.Globalization;
using Graph.Samples.Examples;
using Graph.Tests.Datasets;
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

    /// <summary>
    /// Chapter 14's character LSTM trained in float logs, batch by batch, the losses of the double run to float32's
    /// rounding. Each logged loss is <c>exp</c> of the mean over the batches so far of a 25-step cross-entropy summed in
    /// float: float32 rounds each value to a relative 6e-8, and the measured gap is about 6e-7 (62.000038732685155
    /// against the double run's 62.000000000000064 at batch 1), so 1e-5 leaves room for rounding; the 19 steps'
    /// learning moves the loss from 62.0 to 56.5, 9 % (7e-5 after the first 4), which a float run that learned
    /// wrongly or not at all would miss by far more than that.
    /// </summary>
    [SharedShakespeareFact]
    public void TheLstmTrainsInFloatAsInDouble()
    {
        var options = Float with { Hidden = 16, Iterations = 1, TrainSize = 20 };
        var single = SampleRun.Lines("ch14", "lstm", options);
        var @double = SampleRun.Lines("ch14", "lstm", options with { Precision = null });

        var lstm = ExampleRegistry.FindExample(ExampleRegistry.FindChapter("ch14")!, "lstm")!;
        Assert.EndsWith(", seed 0, float32", lstm.Title(options), StringComparison.Ordinal);
        Assert.EndsWith(", seed 0", lstm.Title(options with { Precision = null }), StringComparison.Ordinal);
        var singleLosses = BatchLosses(single);
        var doubleLosses = BatchLosses(@double);
        Assert.Equal(Enumerable.Range(1, 20), doubleLosses.Keys);
        Assert.Equal(doubleLosses.Keys, singleLosses.Keys);
        Assert.True(doubleLosses[20] < 0.95 * doubleLosses[1], $"the double run's loss went from {doubleLosses[1]} to {doubleLosses[20]}");
        foreach (var (batch, loss) in doubleLosses)
        {
            Assert.True(Math.Abs(singleLosses[batch] - loss) <= 1e-5 * loss, $"batch {batch}: float {singleLosses[batch]}, double {loss}");
        }
    }

    /// <summary>The loss each log line of chapter 14's LSTM gives, by its batch number (<c>Batch 3/249 - ... - Loss:61.99</c>).</summary>
    private static SortedDictionary<int, double> BatchLosses(IEnumerable<string> lines)
    {
        var losses = new SortedDictionary<int, double>();
        foreach (string line in lines.Where(l => l.Contains(" - Loss:", StringComparison.Ordinal)))
        {
            int batch = line.IndexOf(" - Batch ", StringComparison.Ordinal) + " - Batch ".Length;
            int loss = line.IndexOf(" - Loss:", StringComparison.Ordinal) + " - Loss:".Length;
            losses.Add(
                int.Parse(line[batch..line.IndexOf('/', batch)], CultureInfo.InvariantCulture),
                double.Parse(line[loss..].Split(' ')[0], CultureInfo.InvariantCulture));
        }

        return losses;
    }
}
