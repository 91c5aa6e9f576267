using System.IO.Compression;

namespace Graph.Runtime.Datasets;

/// <summary>Opens dataset files that may or may not be gzip-compressed, telling the two apart by the gzip magic bytes.</summary>
internal static class DataFile
{
    /// <summary>The first two bytes of every gzip file.</summary>
    private static ReadOnlySpan<byte> GzipMagic => [0x1F, 0x8B];

    /// <summary>
    /// Opens <paramref name="path"/> for reading its content: through a gzip decompressor when the file starts with the
    /// gzip magic bytes, as it is otherwise. The file name's extension plays no part.
    /// </summary>
    public static Stream OpenContent(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            Span<byte> start = stackalloc byte[2];
            int read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            file.Position = 0;
            return read == start.Length && start.SequenceEqual(GzipMagic)
                ? new GZipStream(file, CompressionMode.Decompress)
                : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The exception for a gzip decompression failure in <paramref name="path"/>.</summary>
    public static DatasetFormatException CorruptGzip(string path, InvalidDataException cause) =>
        new(path, $"the gzip data is corrupt ({cause.Message})", cause);
}
