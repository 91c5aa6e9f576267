using System.Text;

namespace Graph.Datasets;

/// <summary>Reads a text dataset file (plain or gzip) as lines.</summary>
internal static class TextLines
{
    /// <summary>Decodes UTF-8 and throws on invalid bytes instead of replacing them.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes UTF-8 and drops invalid bytes, as Python's <c>errors='ignore'</c> does.</summary>
    private static readonly Encoding IgnoringUtf8 = Encoding.GetEncoding(
        "utf-8", EncoderFallback.ExceptionFallback, new DecoderReplacementFallback(string.Empty));

    /// <summary>
    /// The lines of <paramref name="path"/>, split on <c>'\n'</c> (a <c>"\r\n"</c> line end counts as <c>'\n'</c>, as
    /// Python's text mode reads it), each without its line end; a final line without a line end is kept unless
    /// <paramref name="requireFinalLineEnd"/> says the format ends every line. An empty file is refused.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="dropInvalidUtf8">Drop bytes that are not UTF-8 (Python's <c>errors='ignore'</c>) instead of refusing the file.</param>
    /// <param name="requireFinalLineEnd">Refuse a file whose last line has no line end: in a format that ends every line, it was cut short.</param>
    /// <exception cref="DatasetFormatException">The file is empty or cut short, the gzip data is corrupt or ends early, or the text is not UTF-8 (and invalid bytes are not dropped).</exception>
    public static List<string> Read(string path, bool dropInvalidUtf8 = false, bool requireFinalLineEnd = false)
    {
        string text = ReadText(path, dropInvalidUtf8);
        if (text.Length == 0)
        {
            throw new DatasetFormatException(path, "is empty; a dataset file holds at least one line");
        }

        var lines = new List<string>();
        int start = 0;
        int newline;
        while ((newline = text.IndexOf('\n', start)) >= 0)
        {
            lines.Add(text[start..newline]);
            start = newline + 1;
        }

        if (start < text.Length && !requireFinalLineEnd)
        {
            lines.Add(text[start..]);
        }
        else if (start < text.Length)
        {
            throw new DatasetFormatException(path,
                $"line {lines.Count + 1} (from character {start}) has no line end: the file ends inside it, so it is cut short");
        }

        return lines;
    }

    /// <summary>The whole text of <paramref name="path"/> (plain or gzip), decoded as strict UTF-8, with <c>"\r\n"</c> read as <c>'\n'</c>.</summary>
    /// <exception cref="DatasetFormatException">The gzip data is corrupt or ends early, or the text is not UTF-8.</exception>
    public static string ReadText(string path, bool dropInvalidUtf8 = false)
    {
        string text;
        try
        {
            text = (dropInvalidUtf8 ? IgnoringUtf8 : StrictUtf8).GetString(DataFile.ReadAllContent(path));
        }
        catch (DecoderFallbackException e)
        {
            throw new DatasetFormatException(path, $"is not valid UTF-8 text ({e.Message})", e);
        }

        return text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal) : text;
    }
}
