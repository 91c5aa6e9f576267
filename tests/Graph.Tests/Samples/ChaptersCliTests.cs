using System.Globalization;
using Graph.Runtime;
using Graph.Datasets;
using Graph.Samples.Cli;
using Graph.Samples.Examples;
using Xunit;

namespace Graph.Tests.Samples;

/// <summary>The samples' command line: list, runs, the tour, help, and exit code 2 with one line for anything it does not know.</summary>
public sealed class ChaptersCliTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        int code = ChaptersCli.Run(args, output, error);
        return (code, output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), error.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void ListNamesEveryChapterAndExample()
    {
        var (code, output, error) = Run("list");
        Assert.Equal(0, code);
        Assert.Empty(error);
        var lines = SampleRun.SplitLines(output);
        Assert.Equal(ExampleRegistry.Chapters.Count + ExampleRegistry.All.Count(), lines.Length);
        foreach (var chapter in ExampleRegistry.Chapters)
        {
            Assert.Contains(lines, l => l.StartsWith(chapter.Name + "  ", StringComparison.Ordinal));
            foreach (var example in chapter.Examples)
            {
                Assert.Contains(lines, l => l.StartsWith("  " + example.Name + " ", StringComparison.Ordinal)
                    && l.Contains(example.BookId, StringComparison.Ordinal)
                    && l.Contains(example.Description, StringComparison.Ordinal));
            }
        }

        Assert.Contains(lines, l => l.Contains("backprop", StringComparison.Ordinal) && l.EndsWith("[--seed, --alpha, --iterations, --hidden, --precision]", StringComparison.Ordinal));
    }

    /// <summary>Every entry of book-results chapters 3 to 6 that the samples cover, by book id and name.</summary>
    [Fact]
    public void RegistryHoldsEveryExampleInTheBooksOrder()
    {
        string[] expected =
        [
            "ch03 single-input E3.1", "ch03 multi-input E3.2/E3.3", "ch03 multi-output E3.4", "ch03 multi-in-multi-out E3.5",
            "ch03 stacked E3.6", "ch03 stacked-numpy E3.7",
            "ch04 squared-error E4.1", "ch04 hot-cold-probe B4.a", "ch04 hot-and-cold E4.2", "ch04 direction-and-amount E4.3",
            "ch04 gradient-descent E4.4", "ch04 gradient-descent-steps E4.5", "ch04 breaking-gradient-descent E4.7", "ch04 alpha E4.8",
            "ch05 multi-input-gd E5.1", "ch05 frozen-weight E5.2", "ch05 multi-output-gd E5.3", "ch05 multi-in-multi-out-gd E5.4",
            "ch06 one-streetlight E6.1", "ch06 all-streetlights E6.2", "ch06 python-random-seed E6.3", "ch06 backprop E6.5",
            "ch08 overfitting E8.1/E8.2", "ch08 dropout E8.3", "ch08 batch E8.4", "ch09 tanh-softmax E9.1",
            "ch10 cnn E10.1",
            "ch11 sentiment E11.2", "ch11 similar E11.3", "ch11 fill-blank E11.4/E11.5", "ch11 analogy E11.6",
            "ch12 identity E12.2", "ch12 forward-softmax E12.3", "ch12 babi-tokens E12.4", "ch12 babi-rnn E12.5",
            "ch13 multiple-use E13.4", "ch13 negation E13.5", "ch13 numpy-baseline E13.7", "ch13 autograd E13.8", "ch13 sgd E13.9",
            "ch13 sequential E13.10/E13.11", "ch13 nonlinearity E13.12", "ch13 index-select E13.13", "ch13 embedding E13.14",
            "ch13 cross-entropy E13.15", "ch13 recurrent E13.16",
            "ch14 batching E14.1", "ch14 rnn E14.2", "ch14 exploding-gradients E14.4", "ch14 lstm E14.5", "ch14 generate E14.6",
            "ch15 spam E15.1", "ch15 federated E15.2", "ch15 leak E15.3", "ch15 paillier E15.4", "ch15 secure-aggregation E15.5",
        ];
        Assert.Equal(expected, ExampleRegistry.All.Select(e => $"{e.Chapter} {e.Name} {e.BookId}"));
    }

    [Fact]
    public void RunsOneExampleUnderItsHeader()
    {
        var (code, output, error) = Run("ch06", "backprop");
        Assert.Equal(0, code);
        Assert.Empty(error);
        SampleRun.AssertLines(
            """
            == ch06 backprop: 3-4-1 relu network on the streetlights, alpha 0.2, 60 iterations ==
            Error:0.6342311598444467
            Error:0.35838407676317513
            Error:0.0830183113303298
            Error:0.006467054957103705
            Error:0.0003292669000750734
            Error:1.5055622665134859e-05
            """,
            SampleRun.SplitLines(output));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void TheThreadsOptionSetsTheKernelsThreadCountForTheRunOnly(int threads)
    {
        int before = Parallelism.CurrentThreads;
        var (code, output, _) = Run("ch06", "backprop");
        using var seen = new ThreadCountWriter();
        using var error = new StringWriter(CultureInfo.InvariantCulture);

        int threadedCode = ChaptersCli.Run(["ch06", "backprop", "--threads", threads.ToString(CultureInfo.InvariantCulture)], seen, error);

        Assert.Equal((0, 0), (code, threadedCode));
        Assert.Equal(output, seen.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal([threads], seen.Counts.Distinct());
        Assert.Equal(before, Parallelism.CurrentThreads);
    }

    [Fact]
    public void AThreadCountVariableThatIsNoNumberIsAUsageErrorUnlessThreadsIsGiven()
    {
        // GRAPH_THREADS is read once per process, so each case runs the samples' program in a process of its own.
        var environment = new Dictionary<string, string> { ["GRAPH_THREADS"] = "many" };

        var (code, output, error) = RunProgram(environment, "ch06", "backprop");
        var (threadedCode, threadedOutput, _) = RunProgram(environment, "ch06", "backprop", "--threads", "2");

        Assert.Equal(ChaptersCli.UsageError, code);
        Assert.Empty(output);
        Assert.StartsWith(
            "error: GRAPH_THREADS is 'many', but it must be a whole number of threads from 1 to 256 (or unset, for every core). Fix or unset it, or give --threads.",
            error,
            StringComparison.Ordinal);
        Assert.Equal(0, threadedCode);
        Assert.Equal(Run("ch06", "backprop").Output, threadedOutput);
    }

    [Fact]
    public void FindsAnExampleByBookId()
    {
        var (code, output, _) = Run("ch06", "E6.5", "--iterations", "10");
        Assert.Equal(0, code);
        Assert.Equal(
            "== ch06 backprop: 3-4-1 relu network on the streetlights, alpha 0.2, 10 iterations ==\nError:0.6342311598444467\n",
            output);
    }

    [Fact]
    public void FindsAnExampleByAlias()
    {
        var (code, output, _) = Run("ch06", "streetlights", "--iterations", "10");
        Assert.Equal(0, code);
        Assert.Equal(
            "== ch06 backprop: 3-4-1 relu network on the streetlights, alpha 0.2, 10 iterations ==\nError:0.6342311598444467\n",
            output);
    }

    [Fact]
    public void RunsAChapterInOrder()
    {
        var (code, output, error) = Run("ch06");
        Assert.Equal(0, code);
        Assert.Empty(error);
        var headers = SampleRun.SplitLines(output).Where(l => l.StartsWith("== ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
            ["== ch06 one-streetlight:", "== ch06 all-streetlights:", "== ch06 python-random-seed:", "== ch06 backprop:"],
            headers.Select(h => h[..h.IndexOf(':', StringComparison.Ordinal)] + ":"));
    }

    /// <summary>
    /// The tour goes on past a missing data set (one line, no stack trace) and a diverged run, runs what comes after,
    /// and sums up; it exits with the code of the first example that did not finish.
    /// </summary>
    [Fact]
    public void TheTourRunsEveryExampleWhateverHappensAndSumsUp()
    {
        var runs = new List<(IExample, ExampleOptions)>
        {
            (Example("ch06", "backprop"), new ExampleOptions { Iterations = 10 }),
            (new MissingData(), ExampleOptions.Default),
            (Example("ch04", "breaking-gradient-descent"), new ExampleOptions { Iterations = 2000 }),
            (Example("ch03", "single-input"), ExampleOptions.Default),
        };
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);

        int code = Tour.Run(runs, full: false, output, error);

        Assert.Equal(ChaptersCli.DataMissing, code);
        var lines = SampleRun.SplitLines(output.ToString());
        Assert.Equal(
            ["== ch06 backprop:", "== ch99 mnist-reader:", "== ch04 breaking-gradient-descent:", "== ch03 single-input:", "== summary =="],
            lines.Where(l => l.StartsWith("== ", StringComparison.Ordinal)).Select(l => l.Contains(':', StringComparison.Ordinal) ? l[..(l.IndexOf(':', StringComparison.Ordinal) + 1)] : l));
        Assert.Contains("Error:0.6342311598444467", lines);
        Assert.Equal("0.8500000000000001", lines[Array.IndexOf(lines, lines.First(l => l.StartsWith("== ch03", StringComparison.Ordinal))) + 1]);
        Assert.Matches(@"^2 of 4 examples finished in \d+\.\d s\.$", lines[^3]);
        Assert.Equal("1 skipped, their data missing: mnist (ch99 mnist-reader). Put the data sets in $GRAPH_DATA/<data set>/ (run one of them alone for the file names and sources).", lines[^2]);
        Assert.Equal("1 failed: ch04 breaking-gradient-descent (exit code 1).", lines[^1]);

        var problems = SampleRun.SplitLines(error.ToString());
        Assert.Equal(2, problems.Length);
        Assert.Equal(
            "skipped: ch99 mnist-reader needs the data set 'mnist' (t10k-images-idx3-ubyte.gz), in none of /data/mnist, /home/me/.cache/graph/datasets/mnist; "
            + "the download failed (Name or service not known (yann.lecun.com:443)); put it in one of those folders or set GRAPH_DATA "
            + "(`dotnet run -c Release --project samples/Chapters -- ch99 mnist-reader` lists its files and sources).",
            problems[0]);
        Assert.StartsWith("error: ch04 breaking-gradient-descent diverged: ", problems[1], StringComparison.Ordinal);
    }

    /// <summary>A long example runs shortened in the tour, with the command of its full run; options given win; --full runs it as the book does.</summary>
    [Fact]
    public void TheTourShortensTheLongExamplesUnlessFull()
    {
        var lstm = new Recording("ch14", "lstm");
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);

        Assert.Equal(ChaptersCli.Success, Tour.Run([(lstm, ExampleOptions.Default)], full: false, output, error));
        Assert.Equal(new ExampleOptions { Iterations = 1, TrainSize = 10 }, lstm.Options);
        Assert.Contains(
            "\n(shortened for the tour: --iterations 1 --train-size 10; the book's run: dotnet run -c Release --project samples/Chapters -- ch14 lstm)\n",
            output.ToString(), StringComparison.Ordinal);
        Assert.Contains("1 of 1 examples finished in ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains(", 1 of them shortened (ch14 lstm; --full runs them as the book does).", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(error.ToString());

        Assert.Equal(ChaptersCli.Success, Tour.Run([(lstm, new ExampleOptions { Iterations = 3 })], full: false, TextWriter.Null, TextWriter.Null));
        Assert.Equal(new ExampleOptions { Iterations = 3, TrainSize = 10 }, lstm.Options);

        using var fullOutput = new StringWriter(CultureInfo.InvariantCulture);
        Assert.Equal(ChaptersCli.Success, Tour.Run([(lstm, ExampleOptions.Default)], full: true, fullOutput, TextWriter.Null));
        Assert.Equal(ExampleOptions.Default, lstm.Options);
        Assert.DoesNotContain("shortened", fullOutput.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Every example the tour shortens exists and takes the options it is shortened with.</summary>
    [Fact]
    public void EveryShortenedExampleTakesItsTourSettings()
    {
        Assert.NotEmpty(Tour.Shortened);
        foreach (var (name, options) in Tour.Shortened)
        {
            string[] parts = name.Split(' ');
            var example = ExampleRegistry.FindExample(ExampleRegistry.FindChapter(parts[0])!, parts[1]);
            Assert.True(example is not null, $"The tour shortens {name}, which does not exist.");
            Assert.Null(example.Check(options));
        }
    }

    /// <summary>The help is made from the examples: every chapter, and for each chapter-specific option the chapters that take it.</summary>
    [Fact]
    public void HelpNamesTheChaptersAndWhichTakeEachOption()
    {
        var (code, output, error) = Run("--help");
        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Contains("chapters 3 to 6 and 8 to 15, compiled by Graph", output, StringComparison.Ordinal);
        Assert.Contains(" <target> [<example>] [options]", output, StringComparison.Ordinal);
        Assert.Contains($"a chapter ({string.Join(", ", ExampleRegistry.Chapters.Select(c => c.Name))})", output, StringComparison.Ordinal);
        Assert.Contains("instead of the true gradient (chapters 8, 10 and 11).", output, StringComparison.Ordinal);
        Assert.Contains("as the book's code does (ch15 secure-aggregation).", output, StringComparison.Ordinal);
        Assert.Contains("--full", output, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsApplyToTheExamplesOfAChapterThatTakeThem()
    {
        var (code, output, _) = Run("ch05", "--alpha", "0.1");
        Assert.Equal(0, code);
        Assert.Contains("== ch05 multi-input-gd: three-input gradient descent, alpha 0.1, 3 iterations ==", output, StringComparison.Ordinal);
        Assert.Contains("Pred:-4.754577718749997\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TrueAggregateBelongsToSecureAggregationAlone()
    {
        var chapter = ExampleRegistry.FindChapter("ch15")!;
        var options = new ExampleOptions { TrueAggregate = true };

        var secure = ExampleRegistry.FindExample(chapter, "secure-aggregation")!;
        Assert.Null(secure.Check(options));
        Assert.Contains("the owner decrypts the aggregate and divides it by 3", secure.Title(options), StringComparison.Ordinal);
        Assert.Contains("the book's quirk", secure.Title(ExampleOptions.Default), StringComparison.Ordinal);
        Assert.Equal("ch15 spam has no option --true-aggregate; it takes --alpha, --iterations, --precision, --batch.", ExampleRegistry.FindExample(chapter, "spam")!.Check(options));
    }

    [Theory]
    [InlineData(new[] { "ch42" }, "Unknown target 'ch42'; a target is a chapter (ch03, ch04, ch05, ch06, ch08, ch09, ch10, ch11, ch12, ch13, ch14, ch15), 'list' or 'all'.")]
    [InlineData(new[] { "ch06", "nope" }, "ch06 has no example 'nope'")]
    [InlineData(new[] { "ch06", "--bogus" }, "Unknown option '--bogus'.")]
    [InlineData(new[] { "ch06", "backprop", "--learning-rate", "0.1" }, "Unrecognized command or argument '--learning-rate'. Unrecognized command or argument '0.1'.")]
    [InlineData(new[] { "ch03", "single-input", "--alpha", "0.1" }, "ch03 single-input has no option --alpha; it takes --precision.")]
    [InlineData(new[] { "ch06", "python-random-seed", "--precision", "float" }, "ch06 python-random-seed has no option --precision; it takes --seed.")]
    [InlineData(new[] { "ch03", "--iterations", "5" }, "The option --iterations does not apply to any example of ch03.")]
    [InlineData(new[] { "ch06", "backprop", "--hidden", "0" }, "--hidden must be at least 1, not 0")]
    [InlineData(new[] { "ch06", "backprop", "--precision", "half" }, "Argument 'half' not recognized. Must be one of: 'double' 'float'")]
    [InlineData(new[] { "ch06", "backprop", "--alpha", "fast" }, "Cannot parse argument 'fast' for option '--alpha'")]
    [InlineData(new[] { "ch06", "backprop", "--iterations", "-1" }, "--iterations must not be negative")]
    [InlineData(new[] { "ch08", "batch", "--batch", "10000", "--train-size", "10000", "--hidden", "300000" }, "--batch 10000 × --hidden 300000 = 3000000000 values in one layer's batch, more than one array holds (2147483591); lower --batch or --hidden.")]
    [InlineData(new[] { "list", "ch03" }, "'list' takes no example")]
    [InlineData(new[] { "all", "backprop" }, "'all' runs every chapter and takes no example")]
    [InlineData(new[] { "ch06", "--full" }, "--full belongs to 'all'; 'ch06' runs at the book's settings unless options say otherwise.")]
    [InlineData(new string[0], "Required argument missing")]
    [InlineData(new[] { "ch06", "backprop", "--threads", "0" }, "--threads must be from 1 to 256, but 0 was given.")]
    [InlineData(new[] { "ch06", "--threads", "257" }, "--threads must be from 1 to 256, but 257 was given.")]
    public void UsageErrorsExitWithTwoInOneLineAndAHint(string[] args, string message)
    {
        var (code, output, error) = Run(args);
        Assert.Equal(ChaptersCli.UsageError, code);
        Assert.Empty(output);
        var lines = SampleRun.SplitLines(error);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("error: " + message, lines[0], StringComparison.Ordinal);
        Assert.Equal("See --help for the targets and options, and 'list' for every example.", lines[1]);
    }

    [Fact]
    public void DivergenceStopsWithExitCodeOne()
    {
        var (code, output, error) = Run("ch04", "breaking-gradient-descent", "--iterations", "2000");
        Assert.Equal(ChaptersCli.Diverged, code);
        Assert.Contains("Error:5.403406870691965e+16 Prediction:-232452292.5999999\n", output, StringComparison.Ordinal);
        Assert.StartsWith("error: ch04 breaking-gradient-descent diverged: ", error, StringComparison.Ordinal);
        Assert.Contains("training has diverged", error, StringComparison.Ordinal);
    }

    /// <summary>Each kind of failure has its exit code and one message; only a bug prints a stack trace.</summary>
    [Fact]
    public void FailuresAreClassifiedByKind()
    {
        static (int Code, string Message) Report(Exception failure)
        {
            using var error = new StringWriter(CultureInfo.InvariantCulture);
            int code = ChaptersCli.ReportFailure(failure, "ch08 overfitting", error);
            return (code, error.ToString());
        }

        var missing = new DatasetNotFoundException("Dataset 'mnist' is missing the 10,000 test images.", "mnist", "t10k-images-idx3-ubyte.gz", []);
        Assert.Equal((ChaptersCli.DataMissing, "error: ch08 overfitting needs data that is missing. Dataset 'mnist' is missing the 10,000 test images.\n"),
            Normalise(Report(missing)));
        Assert.Equal((ChaptersCli.DataUnreadable, "error: ch08 overfitting cannot read its data: /data/t10k: is empty\n"),
            Normalise(Report(new DatasetFormatException("/data/t10k", "is empty"))));
        Assert.Equal((ChaptersCli.DataUnreadable, "error: ch08 overfitting cannot use its checkpoint: /tmp/net.safetensors: the file lacks tensor 'Weights12'\n"),
            Normalise(Report(new CheckpointException("/tmp/net.safetensors", "the file lacks tensor 'Weights12'"))));
        Assert.Equal((ChaptersCli.Diverged, "error: ch08 overfitting diverged: the loss is NaN\n"),
            Normalise(Report(new TrainingDivergedException("the loss is NaN"))));

        // An arithmetic error that is not a diverged loss is not reported as divergence.
        var (code, message) = Normalise(Report(new DivideByZeroException()));
        Assert.Equal(ChaptersCli.Failed, code);
        Assert.StartsWith("error: ch08 overfitting failed unexpectedly, which is a bug: System.DivideByZeroException: Attempted to divide by zero.", message, StringComparison.Ordinal);
        Assert.Equal([0, 1, 2, 3, 4, 5], new[] { ChaptersCli.Success, ChaptersCli.Diverged, ChaptersCli.UsageError, ChaptersCli.DataMissing, ChaptersCli.DataUnreadable, ChaptersCli.Failed });
    }

    private static IExample Example(string chapter, string name) =>
        ExampleRegistry.FindExample(ExampleRegistry.FindChapter(chapter)!, name)!;

    /// <summary>An example whose data set is missing: it throws what the locator throws when nothing is found and the download failed.</summary>
    private sealed class MissingData() : Graph.Samples.Examples.Example("ch99", "mnist-reader", "X", "reads MNIST", ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) => "reads MNIST";

        protected override void Execute(ExampleOptions options, TextWriter output) =>
            throw new DatasetNotFoundException(
                "Dataset 'mnist' is missing the 10,000 test images.\nLooked for ...",
                "mnist",
                "t10k-images-idx3-ubyte.gz",
                [new DatasetLocation("/data/mnist", DatasetLocationKind.EnvironmentVariable), new DatasetLocation("/home/me/.cache/graph/datasets/mnist", DatasetLocationKind.UserCache)],
                new HttpRequestException("Name or service not known (yann.lecun.com:443)\nmore"));
    }

    /// <summary>An example that records the options it was run with and prints nothing.</summary>
    private sealed class Recording(string chapter, string name) : Graph.Samples.Examples.Example(chapter, name, "X", "records its options", ExampleKnobs.Iterations | ExampleKnobs.TrainSize)
    {
        public ExampleOptions? Options { get; private set; }

        public override string Title(ExampleOptions options) => "records its options";

        protected override void Execute(ExampleOptions options, TextWriter output) => Options = options;
    }

    private static (int, string) Normalise((int Code, string Message) report) =>
        (report.Code, report.Message.Replace("\r\n", "\n", StringComparison.Ordinal));

    /// <summary>Runs the samples' program (built beside the tests) in a process of its own, with <paramref name="environment"/> added.</summary>
    private static (int Code, string Output, string Error) RunProgram(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = ChildProcess.Start("dotnet", [Path.Combine(AppContext.BaseDirectory, "Graph.Samples.Chapters.dll"), .. args]);
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var result = ChildProcess.Run(start, TimeSpan.FromMinutes(2), "The samples' program");
        return (result.ExitCode, result.Output.Replace("\r\n", "\n", StringComparison.Ordinal), result.Error.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    /// <summary>Output that notes the thread count the kernels would use on the thread that writes each line.</summary>
    private sealed class ThreadCountWriter() : StringWriter(CultureInfo.InvariantCulture)
    {
        public List<int> Counts { get; } = [];

        public override void WriteLine(string? value)
        {
            Counts.Add(Parallelism.CurrentThreads);
            base.WriteLine(value);
        }
    }
}
