using System.Globalization;
using System.Text.RegularExpressions;
using Graph.Samples.Examples;
using Xunit;

namespace Graph.Tests.Samples;

/// <summary>Runs chapter examples in process and compares what they print with the book's printed lines.</summary>
internal static partial class SampleRun
{
    /// <summary>Runs one example and returns the lines it printed.</summary>
    public static string[] Lines(string chapter, string example, ExampleOptions? options = null) =>
        SplitLines(Text(chapter, example, options));

    /// <summary>Runs one example and returns what it printed.</summary>
    public static string Text(string chapter, string example, ExampleOptions? options = null)
    {
        var entry = ExampleRegistry.FindChapter(chapter) ?? throw new ArgumentException($"No chapter {chapter}.", nameof(chapter));
        var found = ExampleRegistry.FindExample(entry, example) ?? throw new ArgumentException($"No example {chapter} {example}.", nameof(example));
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        found.Run(options ?? ExampleOptions.Default, output);
        return output.ToString();
    }

    /// <summary>The lines of a text; a final line break ends the last line rather than starting an empty one.</summary>
    public static string[] SplitLines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }

    /// <summary>Asserts that <paramref name="actual"/> is exactly the book's block <paramref name="book"/>, line for line.</summary>
    public static void AssertLines(string book, IReadOnlyList<string> actual)
    {
        // A raw string literal's last line break belongs to its closing quotes, so a trailing blank line in the
        // book's block shows up as a final line break here: split without dropping it.
        var expected = book.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (int i = 0; i < Math.Min(expected.Length, actual.Count); i++)
        {
            Assert.True(expected[i] == actual[i], $"line {i + 1}: expected\n  {expected[i]}\nbut got\n  {actual[i]}");
        }

        Assert.Equal(expected.Length, actual.Count);
    }

    /// <summary>
    /// Asserts that the printed lines are the book's block line for line, each by <see cref="AssertNumbersMatch"/>
    /// with the given relative tolerance.
    /// </summary>
    public static void AssertLinesMatchNumbers(string book, IReadOnlyList<string> actual, double relativeTolerance)
    {
        var expected = SplitLines(book);
        Assert.Equal(expected.Length, actual.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            AssertNumbersMatch(expected[i], actual[i], relativeTolerance);
        }
    }

    /// <summary>
    /// Asserts that a printed line has the same text as the book's line and that each number in it equals the book's
    /// within max(<paramref name="relativeTolerance"/> relative, half a unit of the book's last printed digit).
    /// </summary>
    public static void AssertNumbersMatch(string book, string actual, double relativeTolerance = 1e-12)
    {
        var expectedNumbers = NumberPattern().Matches(book);
        var actualNumbers = NumberPattern().Matches(actual);
        Assert.True(
            NumberPattern().Replace(book, "#") == NumberPattern().Replace(actual, "#"),
            $"the text around the numbers differs:\n  book:   {book}\n  actual: {actual}");
        Assert.Equal(expectedNumbers.Count, actualNumbers.Count);
        for (int i = 0; i < expectedNumbers.Count; i++)
        {
            string token = expectedNumbers[i].Value;
            double expected = double.Parse(token, CultureInfo.InvariantCulture);
            double value = double.Parse(actualNumbers[i].Value, CultureInfo.InvariantCulture);
            double tolerance = Math.Max(relativeTolerance * Math.Abs(expected), HalfUnitOfLastDigit(token));
            Assert.True(
                Math.Abs(value - expected) <= tolerance,
                $"number {i + 1}: book {token}, actual {actualNumbers[i].Value} (tolerance {tolerance:R})\n  book:   {book}\n  actual: {actual}");
        }
    }

    /// <summary>Half a unit in the last place a number was printed with: 0.5e-4 for <c>0.2135</c>, 0.5e-9 for <c>1.5e-08</c>.</summary>
    public static double HalfUnitOfLastDigit(string token)
    {
        string mantissa = token;
        int exponent = 0;
        int e = token.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            mantissa = token[..e];
            exponent = int.Parse(token[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }

        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        int decimals = dot < 0 ? 0 : mantissa.Length - dot - 1;
        return 0.5 * Math.Pow(10, exponent - decimals);
    }

    [GeneratedRegex(@"-?\d+(?:\.\d*)?(?:e[+-]?\d+)?")]
    private static partial Regex NumberPattern();
}
