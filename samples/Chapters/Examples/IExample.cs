namespace Graph.Samples.Examples;

/// <summary>One runnable example: one network of the book with the lines it prints.</summary>
public interface IExample
{
    /// <summary>The chapter, e.g. <c>ch06</c>.</summary>
    string Chapter { get; }

    /// <summary>The example's name within its chapter, e.g. <c>backprop</c>.</summary>
    string Name { get; }

    /// <summary>Other names the example answers to on the command line, e.g. <c>streetlights</c>.</summary>
    IReadOnlyList<string> Aliases { get; }

    /// <summary>The entry in the reference results, e.g. <c>E6.5</c>.</summary>
    string BookId { get; }

    /// <summary>One line saying what the example does.</summary>
    string Description { get; }

    /// <summary>The knobs the example accepts.</summary>
    ExampleKnobs Knobs { get; }

    /// <summary>The header text for a run with <paramref name="options"/>: the network and the values in effect.</summary>
    string Title(ExampleOptions options);

    /// <summary>Why the example cannot run with <paramref name="options"/> (an option it does not have, or a value out
    /// of range), or null when it can.</summary>
    string? Check(ExampleOptions options);

    /// <summary>Runs the example, writing exactly what the book prints (with the book's values by default).</summary>
    /// <exception cref="ArgumentException">An option is set that the example does not accept, or is out of range.</exception>
    void Run(ExampleOptions options, TextWriter output);
}
