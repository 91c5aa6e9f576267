using System.Text;

namespace Graph.Samples.Formatting;

/// <summary>
/// What a terminal shows of one line that a program rewrites with <c>sys.stdout.write("\r" + text)</c>: each write
/// starts again at the first column and covers as many characters as it has, so a shorter write leaves the end of a
/// longer one before it visible (the book's <c>Loss:129.36583391134325tttt...</c>).
/// </summary>
public sealed class OverwrittenLine
{
    private readonly StringBuilder shown = new();

    /// <summary>Writes <paramref name="text"/> from the first column, as <c>"\r" + text</c> does.</summary>
    public void Write(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Contains('\r', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("The text of one write must not start another line.", nameof(text));
        }

        int covered = Math.Min(text.Length, shown.Length);
        shown.Remove(0, covered).Insert(0, text);
    }

    /// <summary>The characters on the line now.</summary>
    public override string ToString() => shown.ToString();
}
