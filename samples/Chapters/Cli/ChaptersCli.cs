using System.CommandLine;
using Graph.Runtime;
using Graph.Runtime.Datasets;
using Graph.Samples.Examples;

namespace Graph.Samples.Cli;

/// <summary>
/// The command line of the chapter samples: <c>list</c>, <c>all</c>, a chapter (<c>ch06</c>) or one example of it
/// (<c>ch06 backprop</c>), with the knobs <c>--seed --alpha --iterations --hidden --precision</c>.
/// </summary>
/// <remarks>
/// The exit code says how a run ended: <see cref="Success"/>, <see cref="Diverged"/>, <see cref="UsageError"/>,
/// <see cref="DataMissing"/>, <see cref="DataUnreadable"/> or <see cref="Failed"/>. The expected failures print one
/// <c>error:</c> line (a missing data set prints where it was looked for and what to put where) and no stack trace;
/// an unexpected exception prints its type, message and stack trace, for a bug report.
/// </remarks>
public static class ChaptersCli
{
    /// <summary>Every example that ran finished.</summary>
    public const int Success = 0;

    /// <summary>Training diverged: a training step's loss was NaN or infinite (<see cref="TrainingDivergedException"/>).</summary>
    public const int Diverged = 1;

    /// <summary>The exit code of a command line that names something unknown or gives an option that does not apply.</summary>
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
            Description = "A chapter (ch03 to ch11), 'list' to list every example, or 'all' to run every chapter.",
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
        var batch = new Option<int>("--batch") { Description = "Samples per training step (the MNIST chapters)." };
        var trainSize = new Option<int>("--train-size") { Description = "How many training images (the MNIST chapters) or reviews (chapter 11) to use." };
        var plot = new Option<string?>("--plot") { Description = "Write the train/test accuracy curves to this PNG file (the MNIST chapters)." };
        var bookDelta = new Option<bool>("--book-delta") { Description = "Train with the book's hand-written deltas instead of the true gradient (chapters 8 and 11)." };
        var bookGradient = new Option<bool>("--book-gradient") { Description = "Train on the gradient the book's autograd computes instead of the true gradient (chapter 14 lstm)." };
        var trueAggregate = new Option<bool>("--true-aggregate") { Description = "Decrypt the sum of the encrypted models instead of Sue's model alone, as the book's code does (chapter 15 secure-aggregation)." };
        var optimizer = new Option<string?>("--optimizer") { Description = "The training step's update rule (chapter 14 lstm): sgd (the book's), momentum, nesterov, adam or adamw; the learning rate is --alpha or the rule's default, decayed x0.99 per iteration as the book's." };
        optimizer.AcceptOnlyFromAmong("sgd", "momentum", "nesterov", "adam", "adamw");
        var save = new Option<string?>("--save") { Description = "Write the trained network (and its optimizer state) to this safetensors file (chapter 14 lstm and generate)." };
        var load = new Option<string?>("--load") { Description = "Start training from this safetensors checkpoint instead of the book's initial weights (chapter 14 lstm and generate)." };
        var dataParallel = new Option<bool>("--data-parallel") { Description = "Train across the ranks of an MPI job (mpirun -np N ...): shards of every batch (ch08 batch, ch09, ch10, ch11 sentiment), or Bob, Alice and Sue as three ranks (ch15 federated, secure-aggregation)." };

        var root = new RootCommand("Runs the networks of Grokking Deep Learning, chapters 3 to 15, compiled by Graph, and prints the book's numbers.")
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
            dataParallel,
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
                Precision = result.GetValue(precision) switch
                {
                    "float" => Precision.Float,
                    "double" => Precision.Double,
                    _ => null,
                },
            };
            string chosen = result.GetValue(target)!;
            string? chosenExample = result.GetValue(exampleName);
            return options.DataParallel
                ? DataParallelJob.Run(output, error, (rankOutput, rankError) => Execute(chosen, chosenExample, options, rankOutput, rankError))
                : Execute(chosen, chosenExample, options, output, error);
        });

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            return Usage(error, parsed.Errors.Select(e => e.Message).ToArray());
        }

        return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>The option's value when the command line gives it, else null (the example's own default).</summary>
    private static TValue? Given<TValue>(ParseResult result, Option<TValue> option)
        where TValue : struct => result.GetResult(option) is null ? null : result.GetValue(option);

    private static int Execute(string target, string? exampleName, ExampleOptions options, TextWriter output, TextWriter error)
    {
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
        if (string.Equals(target, "all", StringComparison.OrdinalIgnoreCase))
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
                return Usage(error, $"Unknown chapter '{target}'; the chapters are {string.Join(", ", ExampleRegistry.Chapters.Select(c => c.Name))}.");
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
            case CheckpointException checkpoint:
                error.WriteLine($"error: {example} cannot use its checkpoint: {checkpoint.Message}");
                return DataUnreadable;
            default:
                error.WriteLine($"error: {example} failed unexpectedly, which is a bug: {failure}");
                return Failed;
        }
    }

    /// <summary>Writes the problems and the list of examples to <paramref name="error"/>; returns <see cref="UsageError"/>.</summary>
    private static int Usage(TextWriter error, params string[] problems)
    {
        foreach (string problem in problems)
        {
            error.WriteLine("error: " + problem);
        }

        error.WriteLine();
        error.WriteLine("Usage: Graph.Samples.Chapters <chapter> [<example>] [--seed N] [--alpha X] [--iterations N] [--hidden N] [--precision double|float] [--batch N] [--train-size N] [--plot FILE.png] [--book-delta] [--book-gradient] [--true-aggregate] [--optimizer RULE] [--save FILE] [--load FILE] [--data-parallel]");
        error.WriteLine("       Graph.Samples.Chapters list | all");
        error.WriteLine();
        ExampleRegistry.WriteList(error);
        return UsageError;
    }
}
