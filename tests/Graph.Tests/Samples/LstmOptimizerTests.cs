using System.Globalization;
using Graph.Samples.Chapter14;
using Graph.Samples.Examples;
using Xunit;

namespace Graph.Tests.Samples;

/// <summary>
/// Chapter 14's trainer with <c>--optimizer</c>, <c>--save</c> and <c>--load</c>, on a small text and a small LSTM:
/// <c>--optimizer sgd</c> (the rate decayed by the optimizer's step-decay schedule) prints exactly what the book's
/// <c>alpha *= 0.99</c> loop prints, every rule trains, and a run saved and loaded goes on from the saved weights.
/// </summary>
public sealed class LstmOptimizerTests
{
    private const string Text =
        "That, my lord, is the tale I told thee.\n" +
        "Tell me now: what light through yonder window breaks?\n" +
        "It is the east, and the sun rises; arise, fair sun!\n" +
        "To be, or not to be, that is the question we ask.\n";

    private static readonly LstmSettings Small = new(0, 0.5, 3, 8, 2);

    private static string Run(LstmSettings settings) => Run<double>(settings);

    private static string Run<T>(LstmSettings settings)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        LstmTraining.Run<T>(new CharacterText(Text), settings, output);
        return output.ToString();
    }

    [Fact]
    public void TheSgdOptimizerPrintsTheBooksLoop() =>
        Assert.Equal(Run(Small), Run(Small with { Optimizer = OptimizerChoice.Sgd }));

    [Theory]
    [InlineData(OptimizerChoice.Momentum)]
    [InlineData(OptimizerChoice.Nesterov)]
    [InlineData(OptimizerChoice.Adam)]
    [InlineData(OptimizerChoice.AdamW)]
    public void EveryRuleLowersTheLoss(OptimizerChoice rule)
    {
        var lines = Run(Small with { Optimizer = rule, Alpha = LstmSettings.DefaultAlpha(rule) * 10 }).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        double first = Loss(lines[0]);
        double last = Loss(lines[^1]);
        Assert.True(last < first, $"{rule}: loss {first} -> {last}");
    }

    [Fact]
    public void ASavedRunLoadsAndGoesOnFromItsWeights()
    {
        string path = Path.Combine(Path.GetTempPath(), "graph-lstm-" + Guid.NewGuid().ToString("N") + ".safetensors");
        try
        {
            var once = Small with { Iterations = 1, Optimizer = OptimizerChoice.Adam, Alpha = 0.01 };
            Run(once with { Save = path });
            string loaded = Run(once with { Load = path });
            string fresh = Run(once);
            Assert.NotEqual(fresh, loaded);
            Assert.True(Loss(loaded.Split('\n')[0]) < Loss(fresh.Split('\n')[0]), "the loaded run starts from the trained weights");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// A checkpoint holding Adam's moments, loaded with <c>--optimizer momentum</c>: refused before any step with one
    /// message naming the file and both rules, which the command line prints as a usage error. The same rule, or the
    /// book's step (which reads no state), goes on from it.
    /// </summary>
    [Fact]
    public void LoadingACheckpointOfAnotherRuleIsRefusedNamingTheFileAndBothRules()
    {
        string path = Path.Combine(Path.GetTempPath(), "graph-lstm-" + Guid.NewGuid().ToString("N") + ".safetensors");
        try
        {
            var once = Small with { Iterations = 1, Optimizer = OptimizerChoice.Adam, Alpha = 0.01 };
            Run(once with { Save = path });
            var error = Assert.Throws<ConflictingOptionException>(() => Run(once with { Optimizer = OptimizerChoice.Momentum, Load = path }));
            Assert.Equal(
                $"--load {path} holds the optimizer state of 3 Adam steps, which --optimizer momentum (Momentum) cannot go on from; load it with --optimizer adam, or train momentum without --load.",
                error.Message);
            Assert.Throws<ConflictingOptionException>(() => Run(once with { Optimizer = OptimizerChoice.Sgd, Load = path }));
            Assert.NotEmpty(Run(once with { Load = path }));
            Assert.NotEmpty(Run(once with { Optimizer = null, Load = path }));

            using var report = new StringWriter(CultureInfo.InvariantCulture);
            Assert.Equal(Graph.Samples.Cli.ChaptersCli.UsageError, Graph.Samples.Cli.ChaptersCli.ReportFailure(error, "ch14 lstm", report));
            Assert.Equal(
                ["error: ch14 lstm: " + error.Message, "See --help for the targets and options, and 'list' for every example."],
                report.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// A checkpoint keeps its element type: a float run's checkpoint loads into a float run and goes on from its
    /// weights, and a double run refuses it before any step, naming the file and both element types (the checkpoint
    /// layer's rule for every model: F32 values never load into F64 parameters, nor the other way round).
    /// </summary>
    [Fact]
    public void ACheckpointLoadsInItsOwnPrecisionOnly()
    {
        string path = Path.Combine(Path.GetTempPath(), "graph-lstm-" + Guid.NewGuid().ToString("N") + ".safetensors");
        try
        {
            var once = Small with { Iterations = 1 };
            Run<float>(once with { Save = path });
            string loaded = Run<float>(once with { Load = path });
            Assert.True(Loss(loaded.Split('\n')[0]) < Loss(Run<float>(once).Split('\n')[0]), "the loaded float run starts from the trained weights");

            var error = Assert.Throws<Graph.Runtime.CheckpointException>(() => Run<double>(once with { Load = path }));
            Assert.Equal($"{path}: tensor 'Embed' holds F32 values but this model's are F64 (Double)", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static double Loss(string line) =>
        double.Parse(line[(line.IndexOf(" - Loss:", StringComparison.Ordinal) + 8)..].Split(' ')[0], CultureInfo.InvariantCulture);
}
