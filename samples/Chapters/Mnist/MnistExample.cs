using System.Globalization;
using System.Numerics;
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
    protected MnistExample(string chapter, string name, string bookId, string description, MnistSettings book, ExampleKnobs extra = ExampleKnobs.None)
        : base(chapter, name, bookId, description, ExampleKnobs.Seed | ExampleKnobs.Alpha | ExampleKnobs.Iterations | ExampleKnobs.Hidden | ExampleKnobs.Batch | ExampleKnobs.TrainSize | ExampleKnobs.Plot | extra) =>
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
        return $"784-{Number(s.Hidden)}-10 {Network}, alpha {Number(s.Alpha)}, {Number(s.Iterations)} iterations, batch {Number(s.Batch)}, " +
            $"{Number(s.TrainSize)} training images, seed {Number(s.Seed)}{(options.BookDelta ? ", the book's deltas" : string.Empty)}" + PrecisionSuffix(options);
    }

    /// <summary>Describes the network for the title.</summary>
    protected abstract string Network { get; }

    protected override string? CheckValues(ExampleOptions options)
    {
        var s = Settings(options);
        return s.Hidden < 1 ? $"--hidden must be at least 1, not {s.Hidden}."
            : s.Batch < 1 ? $"--batch must be at least 1, not {s.Batch}."
            : s.TrainSize < 1 ? $"--train-size must be at least 1, not {s.TrainSize}."
            : s.TrainSize % s.Batch != 0 ? $"--train-size ({s.TrainSize}) must be a multiple of --batch ({s.Batch}), as in the book's loop."
            : null;
    }

    protected sealed override void Execute<T>(ExampleOptions options, TextWriter output)
    {
        var settings = Settings(options);
        var data = MnistSet<T>.Load(settings.TrainSize);
        var log = new List<(int Iteration, double Train, double Test)>();
        Train(data, settings, options, output, (iteration, train, test) => log.Add((iteration, train, test)));
        if (options.Plot is { } path)
        {
            string title = $"{Chapter} {Name}: 784-{Number(settings.Hidden)}-10 {Network}{(options.BookDelta ? ", the book's deltas" : string.Empty)}";
            AccuracyPlot.Write(path, title, log.Select(l => l.Iteration).ToList(), log.Select(l => l.Train).ToList(), log.Select(l => l.Test).ToList());
            output.WriteLine($"Accuracy plot: {path}");
        }
    }

    /// <summary>Trains and prints; reports each logged iteration's train and test accuracy for the plot.</summary>
    protected abstract void Train<T>(MnistSet<T> data, MnistSettings settings, ExampleOptions options, TextWriter output, Action<int, double, double> logged)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>
    /// One pass over the training images in batches: each batch is scored on a forward pass (without dropout) and
    /// then trained with the network's generated step.
    /// </summary>
    protected static MnistScore<T> TrainEpoch<T>(IMnistNetwork<T> network, MnistSet<T> data, int batch, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var outputs = new T[batch * 10];
        var score = new MnistScore<T>();
        for (int i = 0; i < data.TrainCount; i += batch)
        {
            network.Predict(data.TrainImage(i, batch), outputs, batch);
            score.Add(outputs, data.TrainLabel(i, batch), data.TrainClasses.AsSpan(i, batch));
            network.TrainStep(data.TrainImage(i, batch), data.TrainLabel(i, batch), learningRate, batch);
        }

        return score;
    }

    /// <summary>The network's score on the 10,000 test images.</summary>
    protected static MnistScore<T> Test<T>(IMnistNetwork<T> network, MnistSet<T> data)
        where T : unmanaged, IFloatingPointIeee754<T> => MnistScore<T>.Of(network, data.TestImages, data.TestLabels, data.TestClasses);

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
