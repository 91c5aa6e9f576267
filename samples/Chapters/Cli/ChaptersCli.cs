using System.CommandLine;
using Graph.Runtime;
using Graph.Datasets;
using Graph.Samples.Examples;

namespace Graph.Samples.Cli;

/// <summary>
/// The command line of the chapter samples: <c>list</c>, <c>all</c> (the <see cref="Tour"/>), a chapter (<c>ch06</c>)
/// or one example of it (<c>ch06 backprop</c>), with the knobs <c>--seed --alpha --iterations --hidden --precision</c>
/// and those of some chapters, and <c>--threads</c> for the runtime's kernels. The help text is made from the examples
/// that exist (<see cref="ExampleRegistry"/>).
/// </summary>
/// <remarks>
/// The exit code says how a run ended: <see cref="Success"/>, <see cref="Diverged"/>, <see cref="UsageError"/>,
/// <see cref="DataMissing"/>, <see cref="DataUnreadable"/> or <see cref="Failed"/>. The expected failures print one
/// <c>error:</c> line (a missing data set prints where it was looked for and what to put where) and no stack trace;
/// an unexpected exception prints its type, message and stack trace, for a bug report. One example or a chapter stops at
/// the first failure; <c>all</c> runs every example and exits with the code of the first that did not finish.
/// </remarks>
public static class ChaptersCli
{
    /// <summary>Every example that ran finished.</summary>
    public const int Success = 0;

    /// <summary>Training diverged: a training step's loss was NaN or infinite (<see cref="TrainingDivergedException"/>).</summary>
    public const int Diverged = 1;

    /// <summary>The exit code of a command line that names something unknown, gives an option that does not apply, or gives one that a file it names contradicts (<see cref="ConflictingOptionException"/>).</summary>
    public const int UsageError = 2;

    /// <summary>A data set is missing and could not be downloaded (<see cref="DatasetNotFoundException"/>).</summary>
    public const int DataMissing = 3;

    /// <summary>A data file is corrupt, cut short, of the wrong version or unreadable (<see cref="DatasetFormatException"/>), or a <c>--load</c> checkpoint does not fit the network (<see cref="CheckpointException"/>).</summary>
    public const int DataUnreadable = 4;

    /// <summary>An example failed in any other way: a bug, reported with its stack trace.</summary>
    public const int Failed = 5;

    /// <summary>Parses <paramref name="args"/> and runs what they name; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var target = new Argument<string>("target")
        {
            Description = $"What to run: a chapter ({string.Join(", ", ExampleRegistry.Chapters.Select(c => c.Name))}), "
                + "'list' to list every example, or 'all' for a tour of every example (those whose book run takes more than a minute shortened; --full runs them as the book does).",
        };
        var exampleName = new Argument<string?>("example")
        {
            Description = "One example of the chapter (see 'list'); all of them when omitted.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var seed = new Option<int>("--seed") { Description = "The random seed (examples that draw random numbers)." };
        var alpha = new Option<double>("--alpha") { Description = "The learning rate (examples that learn with one)." };
        var iterations = new Option<int>("--iterations") { Description = "How many iterations to train or run." };
        var hidden = new Option<int>("--hidden") { Description = "The hidden layer's size (networks with a hidden layer)." };
        var precision = new Option<string?>("--precision") { Description = "The element type of the network: double (default, the book's digits) or float." };
        precision.AcceptOnlyFromAmong("double", "float");
        var batch = new Option<int>("--batch") { Description = $"Samples per training step ({ExampleRegistry.ChaptersTaking(ExampleKnobs.Batch)})." };
        var trainSize = new Option<int>("--train-size") { Description = $"How many training samples to use ({ExampleRegistry.ChaptersTaking(ExampleKnobs.TrainSize)}: images, reviews or batches, as 'list' says)." };
        var plot = new Option<string?>("--plot") { Description = $"Write the train/test accuracy curves to this PNG file ({ExampleRegistry.ChaptersTaking(ExampleKnobs.Plot)})." };
        var bookDelta = new Option<bool>("--book-delta") { Description = $"Train with the book's hand-written deltas instead of the true gradient ({ExampleRegistry.ChaptersTaking(ExampleKnobs.BookDelta)})." };
        var bookGradient = new Option<bool>("--book-gradient") { Description = $"Train on the gradient the book's autograd computes instead of the true gradient ({ExampleRegistry.ChaptersTaking(ExampleKnobs.BookGradient)})." };
        var trueAggregate = new Option<bool>("--true-aggregate") { Description = $"Decrypt the sum of the encrypted models instead of Sue's model alone, as the book's code does ({ExampleRegistry.ChaptersTaking(ExampleKnobs.TrueAggregate)})." };
        var optimizer = new Option<string?>("--optimizer") { Description = $"The training step's update rule ({ExampleRegistry.ChaptersTaking(ExampleKnobs.Optimizer)}): sgd (the book's), momentum, nesterov, adam or adamw; the learning rate is --alpha or the rule's default, decayed x0.99 per iteration as the book's." };
        optimizer.AcceptOnlyFromAmong("sgd", "momentum", "nesterov", "adam", "adamw");
        var save = new Option<string?>("--save") { Description = $"Write the trained network (and its optimizer state) to this safetensors file ({ExampleRegistry.ChaptersTaking(ExampleKnobs.Save)})." };
        var load = new Option<string?>("--load") { Description = $"Start training from this safetensors checkpoint instead of the initial weights ({ExampleRegistry.ChaptersTaking(ExampleKnobs.Load)})." };
        var hashSeed = new Option<uint>("--hash-seed") { Description = $"Number the characters as CPython 3.11 lists set(raw) in a process run with PYTHONHASHSEED set to this (0 to 4294967295), the book's vocabulary order for that seed ({ExampleRegistry.ChaptersTaking(ExampleKnobs.HashSeed)}); by default in order of first occurrence." };
        var dataParallel = new Option<bool>("--data-parallel") { Description = $"Train across the ranks of an MPI job (mpirun -np N ...; {ExampleRegistry.ChaptersTaking(ExampleKnobs.DataParallel)}): shards of every batch, or Bob, Alice and Sue as three ranks in chapter 15." };
        var full = new Option<bool>("--full") { Description = "With 'all': run every example at the book's settings, the long ones too." };
        var threads = new Option<int>("--threads")
        {
            Description = $"How many threads the runtime's kernels use, 1 to {Parallelism.MaxThreads} (default: {Parallelism.EnvironmentVariable}, else every core); every count prints the same numbers.",
        };

        var root = new RootCommand($"Runs the networks of Grokking Deep Learning, chapters {ExampleRegistry.ChapterNumbers()}, compiled by Graph, and prints the book's numbers.")
        {
            target,
            exampleName,
            seed,
            alpha,
            iterations,
            hidden,
            precision,
            batch,
            trainSize,
            plot,
            bookDelta,
            bookGradient,
            trueAggregate,
            optimizer,
            save,
            load,
            hashSeed,
            dataParallel,
            full,
            threads,
        };

        root.SetAction(result =>
        {
            var options = new ExampleOptions
            {
                Seed = Given(result, seed),
                Alpha = Given(result, alpha),
                Iterations = Given(result, iterations),
                Hidden = Given(result, hidden),
                Batch = Given(result, batch),
                TrainSize = Given(result, trainSize),
                Plot = result.GetValue(plot),
                BookDelta = result.GetValue(bookDelta),
                BookGradient = result.GetValue(bookGradient),
                TrueAggregate = result.GetValue(trueAggregate),
                DataParallel = result.GetValue(dataParallel),
                Optimizer = result.GetValue(optimizer) is string rule ? Enum.Parse<OptimizerChoice>(rule, ignoreCase: true) : null,
                Save = result.GetValue(save),
                Load = result.GetValue(load),
                HashSeed = Given(result, hashSeed),
                Precision = result.GetValue(precision) switch
                {
                    "float" => Precision.Float,
                    "double" => Precision.Double,
                    _ => null,
                },
            };
            string chosen = result.GetValue(target)!;
            string? chosenExample = result.GetValue(exampleName);
            bool fullRun = result.GetValue(full);
            int? threadCount = Given(result, threads);
            if (threadCount is < 1 or > Parallelism.MaxThreads)
            {
                return Usage(error, $"--threads must be from 1 to {Parallelism.MaxThreads}, but {threadCount} was given.");
            }

            if (threadCount is null && ThreadsVariableProblem() is string problem)
            {
                return Usage(error, problem);
            }

            // The examples run their kernels on this thread, so a scope of it sets their thread count (and leaves the
            // process-wide setting of a caller in the same process alone).
            using var threadScope = threadCount is int count ? Parallelism.Use(count) : default(Parallelism.ThreadsScope?);
            return options.DataParallel
                ? DataParallelJob.Run(output, error, (rankOutput, rankError) => Execute(chosen, chosenExample, options, fullRun, rankOutput, rankError))
                : Execute(chosen, chosenExample, options, fullRun, output, error);
        });

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // One line, however many problems the parser found or lines its messages take.
            return Usage(error, string.Join(' ', parsed.Errors.SelectMany(e => e.Message.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))));
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>
    /// What is wrong with the environment's <c>GRAPH_THREADS</c>, which sets the kernels' thread count when
    /// <c>--threads</c> does not, or null when it is unset or a thread count.
    /// </summary>
    private static string? ThreadsVariableProblem()
    {
        try
        {
            _ = Parallelism.Threads;
            return null;
        }
        catch (InvalidOperationException bad)
        {
            return $"{bad.Message} Fix or unset it, or give --threads.";
        }
    }

    /// <summary>The option's value when the command line gives it, else null (the example's own default).</summary>
    private static TValue? Given<TValue>(ParseResult result, Option<TValue> option)
        where TValue : struct => result.GetResult(option) is null ? null : result.GetValue(option);

    private static int Execute(string target, string? exampleName, ExampleOptions options, bool full, TextWriter output, TextWriter error)
    {
        bool tour = string.Equals(target, "all", StringComparison.OrdinalIgnoreCase);
        if (full && !tour)
        {
            return Usage(error, $"--full belongs to 'all'; '{target}' runs at the book's settings unless options say otherwise.");
        }

        if (string.Equals(target, "list", StringComparison.OrdinalIgnoreCase))
        {
            if (exampleName is not null)
            {
                return Usage(error, $"'list' takes no example, but '{exampleName}' was given.");
            }

            if (options.Given != ExampleKnobs.None)
            {
                return Usage(error, $"'list' takes no options, but {ExampleOptions.Names(options.Given)} was given.");
            }

            ExampleRegistry.WriteList(output);
            return 0;
        }

        IReadOnlyList<IExample> examples;
        string selection;
        if (tour)
        {
            if (exampleName is not null)
            {
                return Usage(error, $"'all' runs every chapter and takes no example, but '{exampleName}' was given.");
            }

            examples = ExampleRegistry.All.ToList();
            selection = "any example";
        }
        else
        {
            var chapter = ExampleRegistry.FindChapter(target);
            if (chapter is null)
            {
                return Usage(error, $"Unknown target '{target}'; a target is a chapter ({string.Join(", ", ExampleRegistry.Chapters.Select(c => c.Name))}), 'list' or 'all'.");
            }

            if (exampleName is null)
            {
                examples = chapter.Examples;
                selection = $"any example of {chapter.Name}";
            }
            else if (exampleName.StartsWith('-'))
            {
                return Usage(error, $"Unknown option '{exampleName}'.");
            }
            else
            {
                var example = ExampleRegistry.FindExample(chapter, exampleName);
                if (example is null)
                {
                    return Usage(error, $"{chapter.Name} has no example '{exampleName}'; it has {string.Join(", ", chapter.Examples.Select(e => e.Name))}.");
                }

                examples = [example];
                selection = $"{chapter.Name} {example.Name}";
            }
        }

        // One example must take every option given; a chapter or 'all' applies each option to the examples that
        // take it, and at least one must.
        var runs = new List<(IExample Example, ExampleOptions Options)>();
        if (examples.Count == 1)
        {
            runs.Add((examples[0], options));
        }
        else
        {
            var unused = options.Given & ~examples.Aggregate(ExampleKnobs.None, (knobs, e) => knobs | e.Knobs);
            if (unused != ExampleKnobs.None)
            {
                return Usage(error, $"The option {ExampleOptions.Names(unused)} does not apply to {selection}.");
            }

            runs.AddRange(examples.Select(e => (e, options.RestrictTo(e.Knobs))));
        }

        foreach (var (example, exampleOptions) in runs)
        {
            string? problem = example.Check(exampleOptions);
            if (problem is not null)
            {
                return Usage(error, problem);
            }
        }

        if (tour)
        {
            return Tour.Run(runs, full, output, error);
        }

        for (int i = 0; i < runs.Count; i++)
        {
            var (example, exampleOptions) = runs[i];
            if (i > 0)
            {
                output.WriteLine();
            }

            output.WriteLine($"== {example.Chapter} {example.Name}: {example.Title(exampleOptions)} ==");
            try
            {
                example.Run(exampleOptions, output);
            }
            catch (Exception failure)
            {
                output.Flush();
                return ReportFailure(failure, $"{example.Chapter} {example.Name}", error);
            }
        }

        return Success;
    }

    /// <summary>Writes what stopped an example, by kind of failure, and returns the exit code of that kind.</summary>
    /// <param name="failure">What the example threw.</param>
    /// <param name="example">The example, as <c>ch08 overfitting</c>.</param>
    /// <param name="error">Where the message goes.</param>
    public static int ReportFailure(Exception failure, string example, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(error);
        switch (failure)
        {
            case TrainingDivergedException diverged:
                error.WriteLine($"error: {example} diverged: {diverged.Message}");
                return Diverged;
            case DatasetNotFoundException missing:
                error.WriteLine($"error: {example} needs data that is missing. {missing.Message}");
                return DataMissing;
            case DatasetFormatException unreadable:
                error.WriteLine($"error: {example} cannot read its data: {unreadable.Message}");
                return DataUnreadable;
            case ConflictingOptionException conflict:
                return Usage(error, $"{example}: {conflict.Message}");
            case CheckpointException checkpoint:
                error.WriteLine($"error: {example} cannot use its checkpoint: {checkpoint.Message}");
                return DataUnreadable;
            default:
                error.WriteLine($"error: {example} failed unexpectedly, which is a bug: {failure}");
                return Failed;
        }
    }

    /// <summary>Writes the problem in one line and where to look for help; returns <see cref="UsageError"/>.</summary>
    private static int Usage(TextWriter error, string problem)
    {
        error.WriteLine("error: " + problem);
        error.WriteLine("See --help for the targets and options, and 'list' for every example.");
        return UsageError;
    }
}
