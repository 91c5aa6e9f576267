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

    /// <summary>The knobs that are set.</summary>
    public ExampleKnobs Given =>
        (Seed is null ? ExampleKnobs.None : ExampleKnobs.Seed)
        | (Alpha is null ? ExampleKnobs.None : ExampleKnobs.Alpha)
        | (Iterations is null ? ExampleKnobs.None : ExampleKnobs.Iterations)
        | (Hidden is null ? ExampleKnobs.None : ExampleKnobs.Hidden)
        | (Precision is null ? ExampleKnobs.None : ExampleKnobs.Precision);

    /// <summary>These options with every knob outside <paramref name="knobs"/> reset to the book's value.</summary>
    public ExampleOptions RestrictTo(ExampleKnobs knobs) => new()
    {
        Seed = knobs.HasFlag(ExampleKnobs.Seed) ? Seed : null,
        Alpha = knobs.HasFlag(ExampleKnobs.Alpha) ? Alpha : null,
        Iterations = knobs.HasFlag(ExampleKnobs.Iterations) ? Iterations : null,
        Hidden = knobs.HasFlag(ExampleKnobs.Hidden) ? Hidden : null,
        Precision = knobs.HasFlag(ExampleKnobs.Precision) ? Precision : null,
    };

    /// <summary>The command-line names of the given knobs, e.g. <c>--alpha, --seed</c>.</summary>
    public static string Names(ExampleKnobs knobs) => string.Join(", ", Enum.GetValues<ExampleKnobs>()
        .Where(k => k != ExampleKnobs.None && knobs.HasFlag(k))
        .Select(Name));

    /// <summary>The command-line name of one knob.</summary>
    public static string Name(ExampleKnobs knob) => "--" + knob.ToString().ToLowerInvariant();
}
