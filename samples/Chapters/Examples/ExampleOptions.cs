namespace Graph.Samples.Examples;

/// <summary>The element type a network runs in.</summary>
public enum Precision
{
    /// <summary>float64, as the book's numpy: prints the book's digits.</summary>
    Double,

    /// <summary>float32.</summary>
    Float,
}

/// <summary>The command-line knobs an example may have.</summary>
[Flags]
public enum ExampleKnobs
{
    None = 0,

    /// <summary><c>--seed</c>: the random seed.</summary>
    Seed = 1,

    /// <summary><c>--alpha</c>: the learning rate.</summary>
    Alpha = 2,

    /// <summary><c>--iterations</c>: how many iterations (passes) to run.</summary>
    Iterations = 4,

    /// <summary><c>--hidden</c>: the hidden layer's size.</summary>
    Hidden = 8,

    /// <summary><c>--precision</c>: double or float.</summary>
    Precision = 16,

    /// <summary><c>--batch</c>: how many samples each training step takes.</summary>
    Batch = 32,

    /// <summary><c>--train-size</c>: how many training samples to use.</summary>
    TrainSize = 64,

    /// <summary><c>--plot</c>: a PNG file to draw the accuracy curves into.</summary>
    Plot = 128,

    /// <summary><c>--book-delta</c>: train with the book's hand-written deltas instead of the true gradient.</summary>
    BookDelta = 256,

    /// <summary><c>--true-aggregate</c>: decrypt the encrypted sum of the models rather than the book's one model (chapter 15).</summary>
    TrueAggregate = 512,

    /// <summary><c>--data-parallel</c>: train across the ranks of the MPI job the process belongs to.</summary>
    DataParallel = 1024,

    /// <summary><c>--book-gradient</c>: train on the gradient the book's autograd computes instead of the true gradient (chapter 14).</summary>
    BookGradient = 2048,

    /// <summary><c>--optimizer</c>: the update rule of the training step (chapter 14's LSTM).</summary>
    Optimizer = 4096,

    /// <summary><c>--save</c>: a safetensors checkpoint to write after training.</summary>
    Save = 8192,

    /// <summary><c>--load</c>: a safetensors checkpoint to start training from.</summary>
    Load = 16384,

    /// <summary><c>--hash-seed</c>: number the characters as CPython's <c>list(set(raw))</c> under <c>PYTHONHASHSEED</c> (chapter 14).</summary>
    HashSeed = 32768,
}

/// <summary>The update rules <c>--optimizer</c> names.</summary>
public enum OptimizerChoice
{
    /// <summary>Plain SGD, the book's.</summary>
    Sgd,

    /// <summary>SGD with momentum 0.9.</summary>
    Momentum,

    /// <summary>SGD with Nesterov momentum 0.9.</summary>
    Nesterov,

    /// <summary>Adam.</summary>
    Adam,

    /// <summary>AdamW, weight decay 0.01.</summary>
    AdamW,
}

/// <summary>
/// The options an example runs with; an unset knob means the book's value. <see cref="Default"/> reproduces the
/// book.
/// </summary>
public sealed record ExampleOptions
{
    /// <summary>Every knob at the book's value, in double precision.</summary>
    public static ExampleOptions Default { get; } = new();

    public int? Seed { get; init; }

    public double? Alpha { get; init; }

    public int? Iterations { get; init; }

    public int? Hidden { get; init; }

    /// <summary>The precision; null means double.</summary>
    public Precision? Precision { get; init; }

    public int? Batch { get; init; }

    public int? TrainSize { get; init; }

    /// <summary>Where to write the accuracy plot, or null for none.</summary>
    public string? Plot { get; init; }

    /// <summary>True to reproduce the book's hand-written deltas; false (the default) trains with the true gradient.</summary>
    public bool BookDelta { get; init; }

    /// <summary>True to decrypt the aggregate of the encrypted models; false (the default) decrypts Sue's model as the book does.</summary>
    public bool TrueAggregate { get; init; }

    /// <summary>
    /// True to train across the ranks of the MPI job this process belongs to (<c>mpirun -np N</c>): data-parallel
    /// for the MNIST and sentiment networks, one party per rank for chapter 15's federated learning.
    /// </summary>
    public bool DataParallel { get; init; }

    /// <summary>True to train on the gradient the book's autograd computes; false (the default) trains on the true gradient.</summary>
    public bool BookGradient { get; init; }

    /// <summary>The update rule; null means the book's plain SGD.</summary>
    public OptimizerChoice? Optimizer { get; init; }

    /// <summary>Where to write a checkpoint of the trained network, or null for none.</summary>
    public string? Save { get; init; }

    /// <summary>A checkpoint to load into the network before training, or null to start from the book's initial weights.</summary>
    public string? Load { get; init; }

    /// <summary>
    /// The <c>PYTHONHASHSEED</c> whose <c>list(set(raw))</c> order numbers the characters, as the book's vocabulary in
    /// a Python process run with it; null numbers them in order of first occurrence.
    /// </summary>
    public uint? HashSeed { get; init; }

    /// <summary>The knobs that are set.</summary>
    public ExampleKnobs Given =>
        (Seed is null ? ExampleKnobs.None : ExampleKnobs.Seed)
        | (Alpha is null ? ExampleKnobs.None : ExampleKnobs.Alpha)
        | (Iterations is null ? ExampleKnobs.None : ExampleKnobs.Iterations)
        | (Hidden is null ? ExampleKnobs.None : ExampleKnobs.Hidden)
        | (Precision is null ? ExampleKnobs.None : ExampleKnobs.Precision)
        | (Batch is null ? ExampleKnobs.None : ExampleKnobs.Batch)
        | (TrainSize is null ? ExampleKnobs.None : ExampleKnobs.TrainSize)
        | (Plot is null ? ExampleKnobs.None : ExampleKnobs.Plot)
        | (BookDelta ? ExampleKnobs.BookDelta : ExampleKnobs.None)
        | (TrueAggregate ? ExampleKnobs.TrueAggregate : ExampleKnobs.None)
        | (DataParallel ? ExampleKnobs.DataParallel : ExampleKnobs.None)
        | (BookGradient ? ExampleKnobs.BookGradient : ExampleKnobs.None)
        | (Optimizer is null ? ExampleKnobs.None : ExampleKnobs.Optimizer)
        | (Save is null ? ExampleKnobs.None : ExampleKnobs.Save)
        | (Load is null ? ExampleKnobs.None : ExampleKnobs.Load)
        | (HashSeed is null ? ExampleKnobs.None : ExampleKnobs.HashSeed);

    /// <summary>These options with every knob outside <paramref name="knobs"/> reset to the book's value.</summary>
    public ExampleOptions RestrictTo(ExampleKnobs knobs) => new()
    {
        Seed = knobs.HasFlag(ExampleKnobs.Seed) ? Seed : null,
        Alpha = knobs.HasFlag(ExampleKnobs.Alpha) ? Alpha : null,
        Iterations = knobs.HasFlag(ExampleKnobs.Iterations) ? Iterations : null,
        Hidden = knobs.HasFlag(ExampleKnobs.Hidden) ? Hidden : null,
        Precision = knobs.HasFlag(ExampleKnobs.Precision) ? Precision : null,
        Batch = knobs.HasFlag(ExampleKnobs.Batch) ? Batch : null,
        TrainSize = knobs.HasFlag(ExampleKnobs.TrainSize) ? TrainSize : null,
        Plot = knobs.HasFlag(ExampleKnobs.Plot) ? Plot : null,
        BookDelta = knobs.HasFlag(ExampleKnobs.BookDelta) && BookDelta,
        TrueAggregate = knobs.HasFlag(ExampleKnobs.TrueAggregate) && TrueAggregate,
        DataParallel = knobs.HasFlag(ExampleKnobs.DataParallel) && DataParallel,
        BookGradient = knobs.HasFlag(ExampleKnobs.BookGradient) && BookGradient,
        Optimizer = knobs.HasFlag(ExampleKnobs.Optimizer) ? Optimizer : null,
        Save = knobs.HasFlag(ExampleKnobs.Save) ? Save : null,
        Load = knobs.HasFlag(ExampleKnobs.Load) ? Load : null,
        HashSeed = knobs.HasFlag(ExampleKnobs.HashSeed) ? HashSeed : null,
    };

    /// <summary>The command-line names of the given knobs, e.g. <c>--alpha, --seed</c>.</summary>
    public static string Names(ExampleKnobs knobs) => string.Join(", ", Enum.GetValues<ExampleKnobs>()
        .Where(k => k != ExampleKnobs.None && knobs.HasFlag(k))
        .Select(Name));

    /// <summary>The command-line name of one knob.</summary>
    public static string Name(ExampleKnobs knob) => knob switch
    {
        ExampleKnobs.TrainSize => "--train-size",
        ExampleKnobs.BookDelta => "--book-delta",
        ExampleKnobs.TrueAggregate => "--true-aggregate",
        ExampleKnobs.DataParallel => "--data-parallel",
        ExampleKnobs.BookGradient => "--book-gradient",
        ExampleKnobs.HashSeed => "--hash-seed",
        _ => "--" + knob.ToString().ToLowerInvariant(),
    };
}
