using System.Buffers.Binary;
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

    /// <summary>
    /// The whole content of <paramref name="path"/>, decompressed when it is gzip. A gzip file must decompress to the
    /// length its trailer records (the last four bytes, the size modulo 2^32), which a file cut short almost never
    /// does; this reads single-member gzip files, as the gzip tool writes them.
    /// </summary>
    /// <exception cref="DatasetFormatException">The gzip data is corrupt or ends early.</exception>
    public static byte[] ReadAllContent(string path)
    {
        byte[] content;
        bool compressed;
        try
        {
            using Stream stream = OpenContent(path);
            compressed = stream is GZipStream;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            content = buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw CorruptGzip(path, e);
        }

        if (compressed)
        {
            uint recorded = ReadSizeTrailer(path);
            if (recorded != unchecked((uint)content.LongLength))
            {
                throw new DatasetFormatException(path,
                    $"the gzip data ends early or is corrupt: it decompressed to {content.LongLength} bytes but its trailer records {recorded} (modulo 2^32)");
            }
        }

        return content;
    }

    private static uint ReadSizeTrailer(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> trailer = stackalloc byte[4];
        file.Seek(-trailer.Length, SeekOrigin.End);
        file.ReadExactly(trailer);
        return BinaryPrimitives.ReadUInt32LittleEndian(trailer);
    }

    /// <summary>The exception for a gzip decompression failure in <paramref name="path"/>.</summary>
    public static DatasetFormatException CorruptGzip(string path, InvalidDataException cause) =>
        new(path, $"the gzip data is corrupt ({cause.Message})", cause);
}
