using System.Text;

namespace Graph.Runtime.Datasets;

/// <summary>Reads a text dataset file (plain or gzip) as lines.</summary>
internal static class TextLines
{
    /// <summary>Decodes UTF-8 and throws on invalid bytes instead of replacing them.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes UTF-8 and drops invalid bytes, as Python's <c>errors='ignore'</c> does.</summary>
    private static readonly Encoding IgnoringUtf8 = Encoding.GetEncoding(
        "utf-8", EncoderFallback.ExceptionFallback, new DecoderReplacementFallback(string.Empty));

    /// <summary>
    /// The lines of <paramref name="path"/>, split on <c>'\n'</c> only (as Python's <c>readlines()</c> splits), each
    /// without its <c>'\n'</c>; a final line without one is kept, and nothing follows a file's final <c>'\n'</c>.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="dropInvalidUtf8">Drop bytes that are not UTF-8 (Python's <c>errors='ignore'</c>) instead of refusing the file.</param>
    /// <exception cref="DatasetFormatException">The gzip data is corrupt or ends early, or the text is not UTF-8 (and invalid bytes are not dropped).</exception>
    public static List<string> Read(string path, bool dropInvalidUtf8 = false)
    {
        string text = ReadText(path, dropInvalidUtf8);
        var lines = new List<string>();
        int start = 0;
        int newline;
        while ((newline = text.IndexOf('\n', start)) >= 0)
        {
            lines.Add(text[start..newline]);
            start = newline + 1;
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }

    /// <summary>The whole text of <paramref name="path"/> (plain or gzip), decoded as strict UTF-8.</summary>
    /// <exception cref="DatasetFormatException">The gzip data is corrupt or ends early, or the text is not UTF-8.</exception>
    public static string ReadText(string path, bool dropInvalidUtf8 = false)
    {
        try
        {
            return (dropInvalidUtf8 ? IgnoringUtf8 : StrictUtf8).GetString(DataFile.ReadAllContent(path));
        }
        catch (DecoderFallbackException e)
        {
            throw new DatasetFormatException(path, $"is not valid UTF-8 text ({e.Message})", e);
        }
    }
}
