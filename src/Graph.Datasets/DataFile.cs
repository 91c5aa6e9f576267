using System.Buffers.Binary;
using System.IO.Compression;

namespace Graph.Datasets;

/// <summary>
/// Opens dataset files that may or may not be gzip-compressed, telling the two apart by the gzip magic bytes, and
/// bounds what they may decompress to before anything is read.
/// </summary>
/// <remarks>
/// A gzip file's trailer records its uncompressed size (modulo 2^32). That size is checked against
/// <see cref="MaxContentLength"/> and against what deflate can produce from the compressed bytes (at most 1,032
/// bytes out per byte in) before decompression starts, and the decompressed stream is cut off with a
/// <see cref="DatasetFormatException"/> as soon as it passes the recorded size, so neither a gzip bomb nor a lying
/// trailer can make a reader allocate or decompress more than the recorded size. A stream that ends before the
/// recorded size is a cut-short file.
/// </remarks>
internal static class DataFile
{
    /// <summary>
    /// The largest uncompressed dataset file read: 1 GiB. The largest file the samples read is IMDB's reviews.txt
    /// (33.7 MB); the full MNIST training images are 47 MB.
    /// </summary>
    public const long MaxContentLength = 1L << 30;

    /// <summary>The smallest gzip file: a 10-byte header, an empty deflate block and the 8-byte trailer.</summary>
    private const int MinGzipLength = 18;

    /// <summary>Deflate's largest expansion: 258 bytes from a 2-bit code, about 1,032 bytes out per byte in.</summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>The first two bytes of every gzip file.</summary>
    private static ReadOnlySpan<byte> GzipMagic => [0x1F, 0x8B];

    /// <summary>
    /// Opens <paramref name="path"/> for reading its content: through a bounded gzip decompressor when the file starts
    /// with the gzip magic bytes, as it is otherwise. The file name's extension plays no part.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="length">The content's length: the file's, or the uncompressed size its gzip trailer records.</param>
    /// <exception cref="DatasetFormatException">The path is a directory, the file is larger than <see cref="MaxContentLength"/>, or its gzip framing is impossible.</exception>
    public static Stream OpenContent(string path, out long length)
    {
        if (Directory.Exists(path))
        {
            throw new DatasetFormatException(path, "is a directory, where a data file was expected");
        }

        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            Span<byte> start = stackalloc byte[2];
            int read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
            file.Position = 0;
            if (read < start.Length || !start.SequenceEqual(GzipMagic))
            {
                length = file.Length;
                CheckLength(path, length, $"the file is {length} bytes long");
                return file;
            }

            length = ReadSizeTrailer(path, file);
            return new BoundedContent(new GZipStream(file, CompressionMode.Decompress), path, length);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Opens <paramref name="path"/> for reading its content (see <see cref="OpenContent(string, out long)"/>).</summary>
    public static Stream OpenContent(string path) => OpenContent(path, out _);

    /// <summary>
    /// The whole content of <paramref name="path"/>, decompressed when it is gzip, in one array of exactly the length
    /// the file or its gzip trailer gives; this reads single-member gzip files, as the gzip tool writes them.
    /// </summary>
    /// <exception cref="DatasetFormatException">The gzip data is corrupt, ends early or runs past its recorded size.</exception>
    public static byte[] ReadAllContent(string path)
    {
        try
        {
            using Stream stream = OpenContent(path, out long length);
            var content = new byte[length];
            int read = stream.ReadAtLeast(content, content.Length, throwOnEndOfStream: false);
            if (read < content.Length)
            {
                throw new DatasetFormatException(path, $"the file ends after {read} of its {length} bytes");
            }

            // Reading on checks the end: a bounded gzip stream throws on data past its recorded size, and a plain file
            // that grew while it was read is refused too.
            if (stream.ReadByte() >= 0)
            {
                throw new DatasetFormatException(path, $"the file holds more than the {length} bytes it had when it was opened");
            }

            return content;
        }
        catch (InvalidDataException e)
        {
            throw CorruptGzip(path, e);
        }
    }

    /// <summary>The exception for a gzip decompression failure in <paramref name="path"/>.</summary>
    public static DatasetFormatException CorruptGzip(string path, InvalidDataException cause) =>
        new(path, $"the gzip data is corrupt ({cause.Message})", cause);

    private static void CheckLength(string path, long length, string claim)
    {
        if (length > MaxContentLength)
        {
            throw new DatasetFormatException(path, $"{claim}, more than the {MaxContentLength} bytes (1 GiB) a dataset file may hold");
        }
    }

    /// <summary>The uncompressed size the trailer records, checked for being possible before anything is decompressed.</summary>
    private static long ReadSizeTrailer(string path, FileStream file)
    {
        long fileLength = file.Length;
        if (fileLength < MinGzipLength)
        {
            throw new DatasetFormatException(path,
                $"the file starts like gzip (1F 8B) but is {fileLength} bytes long; gzip data is at least {MinGzipLength} bytes (header and trailer)");
        }

        Span<byte> trailer = stackalloc byte[4];
        file.Seek(-trailer.Length, SeekOrigin.End);
        file.ReadExactly(trailer);
        file.Position = 0;
        long recorded = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        CheckLength(path, recorded, $"its gzip trailer (at offset {fileLength - 4}) records {recorded} uncompressed bytes");
        long possible = (fileLength - MinGzipLength) * MaxDeflateRatio + 1;
        if (recorded > possible)
        {
            throw new DatasetFormatException(path,
                $"its gzip trailer (at offset {fileLength - 4}) records {recorded} uncompressed bytes, more than deflate can produce from {fileLength} compressed bytes (at most {possible})");
        }

        return recorded;
    }

    /// <summary>A decompressed stream that must yield exactly the recorded number of bytes: no more, no fewer.</summary>
    private sealed class BoundedContent(Stream inner, string path, long length) : Stream
    {
        private long position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }

            // One byte more than is left is asked for, so that data past the recorded size shows up at once.
            long left = length - position;
            int wanted = (int)Math.Min(buffer.Length, left + 1);
            int read = inner.Read(buffer[..wanted]);
            if (read == 0 && left > 0)
            {
                throw new DatasetFormatException(path,
                    $"the gzip data ends after {position} uncompressed bytes, but its trailer records {length}: the file is cut short or corrupt");
            }

            if (read > left)
            {
                throw new DatasetFormatException(path,
                    $"the gzip data decompresses to more than the {length} bytes its trailer records (it is corrupt, or more than one gzip member)");
            }

            position += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
