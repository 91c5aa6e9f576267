using System.Globalization;
using System.Numerics;
using Graph.Samples.Cli;
using Graph.Samples.Examples;
using Graph.Samples.Formatting;

namespace Graph.Samples.Mnist;

/// <summary>The book's settings for one MNIST run; every one can be changed on the command line.</summary>
public sealed record MnistSettings(int Seed, double Alpha, int Iterations, int Hidden, int Batch, int TrainSize);

/// <summary>
/// An MNIST example: loads the data, trains a compiled network with its generated <c>TrainStep</c>, scores it on
/// the test images and prints the book's log lines; optionally draws the accuracy curves.
/// </summary>
public abstract class MnistExample : NetworkExample
{
    /// <param name="extra">Knobs beyond the common ones.</param>
    /// <param name="without">Common knobs the example does not take (<c>--hidden</c> for a network without that size).</param>
    protected MnistExample(string chapter, string name, string bookId, string description, MnistSettings book, ExampleKnobs extra = ExampleKnobs.None, ExampleKnobs without = ExampleKnobs.None)
        : base(chapter, name, bookId, description, (ExampleKnobs.Seed | ExampleKnobs.Alpha | ExampleKnobs.Iterations | ExampleKnobs.Hidden | ExampleKnobs.Batch | ExampleKnobs.TrainSize | ExampleKnobs.Plot | ExampleKnobs.Save | ExampleKnobs.Load | extra) & ~without) =>
        Book = book;

    /// <summary>The book's settings.</summary>
    protected MnistSettings Book { get; }

    protected MnistSettings Settings(ExampleOptions options) => new(
        options.Seed ?? Book.Seed,
        options.Alpha ?? Book.Alpha,
        options.Iterations ?? Book.Iterations,
        options.Hidden ?? Book.Hidden,
        options.Batch ?? Book.Batch,
        options.TrainSize ?? Book.TrainSize);

    public override string Title(ExampleOptions options)
    {
        var s = Settings(options);
        return $"{Architecture(s)} {Network}, alpha {Number(s.Alpha)}, {Number(s.Iterations)} iterations, batch {Number(s.Batch)}, " +
            $"{Number(s.TrainSize)} training images, seed {Number(s.Seed)}{(options.BookDelta ? ", the book's deltas" : string.Empty)}" + PrecisionSuffix(options);
    }

    /// <summary>Describes the network for the title.</summary>
    protected abstract string Network { get; }

    /// <summary>The layer sizes for the title: <c>784-40-10</c>.</summary>
    protected virtual string Architecture(MnistSettings settings) => $"784-{Number(settings.Hidden)}-10";

    /// <summary>The data as the network takes it; the full 28 × 28 images unless an example crops them.</summary>
    protected virtual MnistSet<T> Prepare<T>(MnistSet<T> data)
        where T : unmanaged, IFloatingPointIeee754<T> => data;

    protected override string? CheckValues(ExampleOptions options)
    {
        var s = Settings(options);
        return s.Hidden < 1 ? $"--hidden must be at least 1, not {s.Hidden}."
            : s.Batch < 1 ? $"--batch must be at least 1, not {s.Batch}."
            : s.TrainSize < 1 ? $"--train-size must be at least 1, not {s.TrainSize}."
            : s.TrainSize % s.Batch != 0 ? $"--train-size ({s.TrainSize}) must be a multiple of --batch ({s.Batch}), as in the book's loop."
            : CheckBatchSize(s);
    }

    /// <summary>
    /// A batch of the widest layer (the hidden layer, or the 784 input pixels) must fit in one array: the compiled
    /// network keeps each layer's batch in one.
    /// </summary>
    private static string? CheckBatchSize(MnistSettings s)
    {
        long values = (long)s.Batch * Math.Max(s.Hidden, Graph.Datasets.Mnist.ImageSize);
        string widest = s.Hidden > Graph.Datasets.Mnist.ImageSize ? $"--hidden {s.Hidden}" : $"{Graph.Datasets.Mnist.ImageSize} pixels";
        return values > Array.MaxLength
            ? $"--batch {s.Batch} × {widest} = {values} values in one layer's batch, more than one array holds ({Array.MaxLength}); lower --batch or --hidden."
            : null;
    }

    protected sealed override void Execute<T>(ExampleOptions options, TextWriter output)
    {
        var settings = Settings(options);
        var data = Prepare(options.DataParallel ? MnistSet<T>.Share(DataParallelJob.World, settings.TrainSize) : MnistSet<T>.Load(settings.TrainSize));
        var log = new List<(int Iteration, double Train, double Test)>();
        var network = Train(data, settings, options, output, (iteration, train, test) => log.Add((iteration, train, test)));
        if (options.Save is { } checkpoint && (!options.DataParallel || DataParallelJob.World.IsRoot))
        {
            network.Save(checkpoint);
            output.WriteLine($"Checkpoint: {checkpoint}");
        }

        if (options.Plot is { } path && (!options.DataParallel || DataParallelJob.World.IsRoot))
        {
            string title = $"{Chapter} {Name}: {Architecture(settings)} {Network}{(options.BookDelta ? ", the book's deltas" : string.Empty)}";
            AccuracyPlot.Write(path, title, log.Select(l => l.Iteration).ToList(), log.Select(l => l.Train).ToList(), log.Select(l => l.Test).ToList());
            output.WriteLine($"Accuracy plot: {path}");
        }
    }

    /// <summary>Trains and prints; reports each logged iteration's train and test accuracy for the plot; returns the trained network.</summary>
    protected abstract IMnistNetwork<T> Train<T>(MnistSet<T> data, MnistSettings settings, ExampleOptions options, TextWriter output, Action<int, double, double> logged)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// The trainer the example's loop calls, after loading <c>--load</c>'s checkpoint into the network: the network's own <c>TrainStep</c> in this process, or with
    /// <c>--data-parallel</c> shards of every batch over the ranks of the MPI job (<see cref="DataParallelMnistTrainer{T}"/>).
    /// </summary>
    /// <param name="dropoutUnits">The units of the network's dropout mask per image (0 without dropout).</param>
    protected IMnistTrainer<T> Trainer<T>(IMnistNetwork<T> network, MnistSet<T> data, ExampleOptions options, int dropoutUnits = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(network);
        if (options.Load is { } checkpoint)
        {
            // Every rank loads the same file, so data-parallel replicas start equal.
            network.Load(checkpoint);
        }

        if (!options.DataParallel)
        {
            return new LocalMnistTrainer<T>(network, data);
        }

        var trainer = new DataParallelMnistTrainer<T>(DataParallelJob.World, network, data, dropoutUnits, $"{Chapter} {Name}: {Title(options)}");
        DataParallelJob.Report(trainer.Statistics);
        return trainer;
    }

    /// <summary>The book's <c>str(x)[0:5]</c>: Python's repr cut to five characters.</summary>
    protected static string Cut(double value)
    {
        string text = PythonFormat.Repr(value);
        return text.Length > 5 ? text[..5] : text;
    }

    /// <summary>An accuracy as the book prints it, <c>str(correct / float(n))</c>.</summary>
    protected static string Acc(double value) => PythonFormat.Repr(value);

    /// <summary>An integer as text.</summary>
    protected static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
