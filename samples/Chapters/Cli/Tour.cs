using System.Diagnostics;
using System.Globalization;
using Graph.Datasets;
using Graph.Samples.Examples;

namespace Graph.Samples.Cli;

/// <summary>
/// <c>all</c>: runs every example in the book's order, each whatever happened to the one before, and ends with a
/// summary. An example whose book run takes more than a minute runs shortened (<see cref="Shortened"/>) and prints the
/// command of its full run, unless <c>--full</c> is given; an example whose data is missing is reported in one line.
/// </summary>
public static class Tour
{
    /// <summary>The command that runs the samples, as the tour prints it.</summary>
    public const string Command = "dotnet run -c Release --project samples/Chapters --";

    /// <summary>
    /// The examples whose run at the book's settings takes more than a minute on a 2-core machine, by
    /// <c>chapter name</c>, with the settings the tour runs them with instead. Options given on the command line win
    /// over these.
    /// </summary>
    public static IReadOnlyDictionary<string, ExampleOptions> Shortened { get; } = new Dictionary<string, ExampleOptions>
    {
        // The times are of the book's run and of the tour's, measured on this project's shared 2-core machine while
        // others worked on it (load average 15 to 19): an idle machine is faster.
        // 300 iterations over 1000 images: 10.5 minutes; 20 iterations: under a minute.
        ["ch10 cnn"] = new() { Iterations = 20 },
        // 2 iterations over 25,000 reviews: 3.1 minutes; over 5,000: about 40 s. analogy trains the same network first.
        ["ch11 fill-blank"] = new() { TrainSize = 5000 },
        ["ch11 analogy"] = new() { TrainSize = 5000 },
        // 100 iterations of 195 batches: about 10 minutes idle; 2 iterations of 20 batches: 1.5 s.
        ["ch14 rnn"] = new() { Iterations = 2, TrainSize = 20 },
        // 10 iterations of 249 batches of the 512-wide LSTM: about 4.5 minutes idle; 1 iteration of 10 batches: 1.3 s.
        ["ch14 lstm"] = new() { Iterations = 1, TrainSize = 10 },
        ["ch14 generate"] = new() { Iterations = 1, TrainSize = 10 },
        // 3 rounds, each Paillier-encrypting three models of one weight per word: 7.3 minutes; 1 round: about a third.
        ["ch15 secure-aggregation"] = new() { Iterations = 1 },
    };

    /// <summary>
    /// Runs <paramref name="runs"/> in order and writes the summary; returns <see cref="ChaptersCli.Success"/> when
    /// every example finished, else the exit code of the first that did not.
    /// </summary>
    /// <param name="runs">The examples with the options the command line gives each.</param>
    /// <param name="full">Whether to run every example at the book's settings rather than shortened.</param>
    /// <param name="output">Where the examples and the summary write.</param>
    /// <param name="error">Where the problems go, one line each (a bug's stack trace excepted).</param>
    public static int Run(IReadOnlyList<(IExample Example, ExampleOptions Options)> runs, bool full, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var total = Stopwatch.StartNew();
        var shortened = new List<string>();
        var missing = new List<(string Example, string Dataset)>();
        var failed = new List<(string Example, int Code)>();
        int exitCode = ChaptersCli.Success;
        for (int i = 0; i < runs.Count; i++)
        {
            var (example, given) = runs[i];
            string name = $"{example.Chapter} {example.Name}";
            var options = given;
            string? tourNote = null;
            if (!full && Shortened.TryGetValue(name, out var tourOptions))
            {
                options = Over(given, tourOptions);
                if (options != given)
                {
                    tourNote = $"(shortened for the tour: {Arguments(options, given)}; the book's run: {Command} {name})";
                }
            }

            if (i > 0)
            {
                output.WriteLine();
            }

            output.WriteLine($"== {name}: {example.Title(options)} ==");
            if (tourNote is not null)
            {
                output.WriteLine(tourNote);
            }

            try
            {
                example.Run(options, output);
                if (tourNote is not null)
                {
                    shortened.Add(name);
                }
            }
            catch (DatasetNotFoundException absent)
            {
                output.Flush();
                error.WriteLine(MissingDataLine(name, absent));
                missing.Add((name, absent.DatasetName));
                exitCode = exitCode == ChaptersCli.Success ? ChaptersCli.DataMissing : exitCode;
            }
            catch (Exception failure)
            {
                output.Flush();
                int code = ChaptersCli.ReportFailure(failure, name, error);
                failed.Add((name, code));
                exitCode = exitCode == ChaptersCli.Success ? code : exitCode;
            }
        }

        output.WriteLine();
        output.WriteLine("== summary ==");
        int finished = runs.Count - missing.Count - failed.Count;
        output.WriteLine($"{finished} of {runs.Count} examples finished in {Duration(total.Elapsed)}" +
            (shortened.Count == 0 ? "." : $", {shortened.Count} of them shortened ({string.Join(", ", shortened)}; --full runs them as the book does)."));
        if (missing.Count > 0)
        {
            output.WriteLine($"{missing.Count} skipped, their data missing: " + string.Join("; ", missing
                .GroupBy(m => m.Dataset)
                .Select(g => $"{g.Key} ({string.Join(", ", g.Select(m => m.Example))})")) +
                $". Put the data sets in ${DataLocator.EnvironmentVariable}/<data set>/ (run one of them alone for the file names and sources).");
        }

        if (failed.Count > 0)
        {
            output.WriteLine($"{failed.Count} failed: {string.Join(", ", failed.Select(f => $"{f.Example} (exit code {f.Code})"))}.");
        }

        return exitCode;
    }

    /// <summary>
    /// One line for an example whose data set is missing: which data set and file, the folders searched, what became
    /// of the download, and what to do.
    /// </summary>
    public static string MissingDataLine(string example, DatasetNotFoundException absent)
    {
        ArgumentNullException.ThrowIfNull(absent);
        string download = absent.InnerException is { } failure
            ? $"; the download failed ({FirstLine(failure.Message)})"
            : string.Empty;
        return $"skipped: {example} needs the data set '{absent.DatasetName}' ({absent.FileName}), in none of " +
            string.Join(", ", absent.SearchedLocations.Select(l => l.Directory)) + download +
            $"; put it in one of those folders or set {DataLocator.EnvironmentVariable} (`{Command} {example}` lists its files and sources).";
    }

    /// <summary><paramref name="given"/> with each knob it leaves unset taken from <paramref name="tour"/>.</summary>
    private static ExampleOptions Over(ExampleOptions given, ExampleOptions tour) => given with
    {
        Seed = given.Seed ?? tour.Seed,
        Alpha = given.Alpha ?? tour.Alpha,
        Iterations = given.Iterations ?? tour.Iterations,
        Hidden = given.Hidden ?? tour.Hidden,
        Batch = given.Batch ?? tour.Batch,
        TrainSize = given.TrainSize ?? tour.TrainSize,
    };

    /// <summary>The command-line form of the numeric knobs the tour set in <paramref name="options"/>, e.g. <c>--iterations 1</c>.</summary>
    private static string Arguments(ExampleOptions options, ExampleOptions given)
    {
        var arguments = new List<string>();
        void Add<TValue>(ExampleKnobs knob, TValue? value, TValue? original)
            where TValue : struct, IFormattable
        {
            if (value is { } set && original is null)
            {
                arguments.Add($"{ExampleOptions.Name(knob)} {set.ToString(null, CultureInfo.InvariantCulture)}");
            }
        }

        Add(ExampleKnobs.Seed, options.Seed, given.Seed);
        Add(ExampleKnobs.Alpha, options.Alpha, given.Alpha);
        Add(ExampleKnobs.Iterations, options.Iterations, given.Iterations);
        Add(ExampleKnobs.Hidden, options.Hidden, given.Hidden);
        Add(ExampleKnobs.Batch, options.Batch, given.Batch);
        Add(ExampleKnobs.TrainSize, options.TrainSize, given.TrainSize);
        return string.Join(' ', arguments);
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd();

    private static string Duration(TimeSpan elapsed) => elapsed.TotalMinutes >= 1
        ? $"{(int)elapsed.TotalMinutes} min {elapsed.Seconds} s"
        : $"{elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s";
}
