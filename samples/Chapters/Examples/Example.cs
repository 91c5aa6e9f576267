using System.Globalization;
using System.Numerics;
using Graph.Samples.Formatting;

namespace Graph.Samples.Examples;

/// <summary>The common part of an example: its identity, its knobs and the check of the options it is given.</summary>
public abstract class Example : IExample
{
    protected Example(string chapter, string name, string bookId, string description, ExampleKnobs knobs)
    {
        Chapter = chapter;
        Name = name;
        BookId = bookId;
        Description = description;
        Knobs = knobs;
    }

    public string Chapter { get; }

    public string Name { get; }

    public virtual IReadOnlyList<string> Aliases => [];

    public string BookId { get; }

    public string Description { get; }

    public ExampleKnobs Knobs { get; }

    public abstract string Title(ExampleOptions options);

    public string? Check(ExampleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var extra = options.Given & ~Knobs;
        if (extra != ExampleKnobs.None)
        {
            return $"{Chapter} {Name} has no option {ExampleOptions.Names(extra)}" +
                (Knobs == ExampleKnobs.None ? "; it takes none." : $"; it takes {ExampleOptions.Names(Knobs)}.");
        }

        if (options.Iterations is < 0)
        {
            return $"--iterations must not be negative, not {options.Iterations}.";
        }

        if (options.Alpha is { } alpha && !double.IsFinite(alpha))
        {
            return $"--alpha must be a finite number, not {alpha}.";
        }

        if (options.Seed is < 0)
        {
            return $"--seed must not be negative (numpy and Python seeds are 0 or more), not {options.Seed}.";
        }

        return CheckValues(options);
    }

    public void Run(ExampleOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        string? problem = Check(options);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        Execute(options, output);
    }

    /// <summary>Checks the values of the example's own knobs; null when they are fine.</summary>
    protected virtual string? CheckValues(ExampleOptions options) => null;

    /// <summary>Runs the example with options already checked against its knobs.</summary>
    protected abstract void Execute(ExampleOptions options, TextWriter output);

    /// <summary>A number for a title, as Python prints it.</summary>
    protected static string Number(double value) => PythonFormat.Repr(value);

    /// <summary>An integer for a title.</summary>
    protected static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>" in float32" when the options ask for float, for titles.</summary>
    protected static string PrecisionSuffix(ExampleOptions options) =>
        options.Precision == Precision.Float ? ", float32" : string.Empty;
}

/// <summary>An example whose network runs in double or float (<c>--precision</c>).</summary>
public abstract class NetworkExample : Example
{
    protected NetworkExample(string chapter, string name, string bookId, string description, ExampleKnobs knobs)
        : base(chapter, name, bookId, description, knobs | ExampleKnobs.Precision)
    {
    }

    protected sealed override void Execute(ExampleOptions options, TextWriter output)
    {
        switch (options.Precision ?? Precision.Double)
        {
            case Precision.Double:
                Execute<double>(options, output);
                break;
            case Precision.Float:
                Execute<float>(options, output);
                break;
            default:
                throw new ArgumentException($"Unknown precision {options.Precision}.", nameof(options));
        }
    }

    /// <summary>Runs the example in the element type <typeparamref name="T"/>.</summary>
    protected abstract void Execute<T>(ExampleOptions options, TextWriter output)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>The book's numbers in the element type.</summary>
    protected static T[] Values<T>(params double[] values)
        where T : unmanaged, IFloatingPointIeee754<T> => values.Select(T.CreateChecked).ToArray();

    /// <summary>One number in the element type.</summary>
    protected static T Value<T>(double value)
        where T : unmanaged, IFloatingPointIeee754<T> => T.CreateChecked(value);

    /// <summary><c>str(x)</c> of a number.</summary>
    protected static string Str<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T> => PythonFormat.Repr(value);

    /// <summary><c>str(list)</c> of numbers.</summary>
    protected static string StrList<T>(ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T> => PythonFormat.List(values);
}
