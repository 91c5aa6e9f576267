using System.Buffers.Binary;
using System.Collections.Immutable;

namespace Graph.Datasets;

/// <summary>
/// Reads IDX files of unsigned bytes, the format of MNIST and Fashion-MNIST: a big-endian header (the magic number
/// <c>0x000008nn</c>, where nn is the number of dimensions, then one 32-bit size per dimension) followed by the data.
/// Files may be gzip-compressed or plain; the gzip magic bytes tell which, whatever the file is called.
/// </summary>
/// <remarks>
/// Every read of data checks the whole file: the magic number, the dimensions, and that the data is exactly as long as
/// the header promises, against the file's length (or the uncompressed size its gzip trailer records) before any
/// buffer is allocated, and again as the data is read. A file that is truncated, has trailing bytes or is corrupt
/// raises a <see cref="DatasetFormatException"/> naming the file, the offset and what was expected; no read returns
/// a silently short dataset.
/// </remarks>
public static class IdxReader
{
    /// <summary>The largest number of dimensions this reader accepts (MNIST uses 1 and 3).</summary>
    private const int MaxDimensions = 4;

    /// <summary>Reads only the header of an IDX file of unsigned bytes.</summary>
    /// <param name="path">The file, plain or gzip.</param>
    /// <param name="expectedMagic">
    /// The magic number the file must have (<see cref="IdxHeader.ImagesMagic"/> or <see cref="IdxHeader.LabelsMagic"/>),
    /// or null to accept any IDX file of unsigned bytes.
    /// </param>
    /// <exception cref="DatasetFormatException">The file is not the expected kind of IDX file, or its header is cut short.</exception>
    public static IdxHeader ReadHeader(string path, int? expectedMagic = null)
    {
        using Stream content = DataFile.OpenContent(path);
        try
        {
            return ReadHeader(path, content, expectedMagic);
        }
        catch (InvalidDataException e)
        {
            throw DataFile.CorruptGzip(path, e);
        }
    }

    /// <summary>Reads the first <paramref name="count"/> images of an IDX3 image file (magic 0x00000803).</summary>
    /// <param name="path">The file, plain or gzip.</param>
    /// <param name="count">How many images to return from the start of the file; null for all of them.</param>
    /// <returns>The images; the rest of the file is still read to check its length.</returns>
    /// <exception cref="DatasetFormatException">The file is corrupt, truncated, has trailing bytes, or is not an image file.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or more than the file holds.</exception>
    public static IdxImages ReadImages(string path, int? count = null)
    {
        (IdxHeader header, byte[] pixels) = Read(path, IdxHeader.ImagesMagic, count, itemName: "images", dataName: "pixels");
        return new IdxImages(header.Dimensions[1], header.Dimensions[2], pixels);
    }

    /// <summary>Reads the first <paramref name="count"/> labels of an IDX1 label file (magic 0x00000801).</summary>
    /// <param name="path">The file, plain or gzip.</param>
    /// <param name="count">How many labels to return from the start of the file; null for all of them.</param>
    /// <returns>The labels; the rest of the file is still read to check its length.</returns>
    /// <exception cref="DatasetFormatException">The file is corrupt, truncated, has trailing bytes, or is not a label file.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative or more than the file holds.</exception>
    public static byte[] ReadLabels(string path, int? count = null) =>
        Read(path, IdxHeader.LabelsMagic, count, itemName: "labels", dataName: "labels").Data;

    private static (IdxHeader Header, byte[] Data) Read(string path, int expectedMagic, int? count, string itemName, string dataName)
    {
        using Stream content = DataFile.OpenContent(path, out long contentLength);
        try
        {
            IdxHeader header = ReadHeader(path, content, expectedMagic);

            // The header's promise is checked against the file's length (or its gzip trailer) before any buffer is allocated.
            long held = contentLength - header.Length;
            if (held != header.DataLength)
            {
                throw new DatasetFormatException(path, DescribeLengthMismatch(header, itemName, dataName, held));
            }

            int taken = count ?? header.Count;
            ArgumentOutOfRangeException.ThrowIfNegative(taken, nameof(count));
            if (taken > header.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(count), count,
                    $"{path} holds {header.Count} {itemName}, fewer than the {taken} requested.");
            }

            long takenLength = taken * header.ItemLength;
            if (takenLength > Array.MaxLength)
            {
                throw new DatasetFormatException(path, $"{taken} {itemName} of {header.ItemLength} bytes each do not fit in one array");
            }

            var data = new byte[takenLength];
            int read = content.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
            long actual = read < data.Length ? read : read + CountRemainingBytes(content);
            if (actual != header.DataLength)
            {
                throw new DatasetFormatException(path, DescribeLengthMismatch(header, itemName, dataName, actual));
            }

            return (header, data);
        }
        catch (InvalidDataException e)
        {
            throw DataFile.CorruptGzip(path, e);
        }
    }

    private static IdxHeader ReadHeader(string path, Stream content, int? expectedMagic)
    {
        Span<byte> header = stackalloc byte[sizeof(int) * (1 + MaxDimensions)];
        Span<byte> magicBytes = header[..sizeof(int)];
        int read = content.ReadAtLeast(magicBytes, magicBytes.Length, throwOnEndOfStream: false);
        if (read < magicBytes.Length)
        {
            throw new DatasetFormatException(path, $"the file holds only {read} bytes, too few for an IDX header (a 4-byte magic number at offset 0, then 4 bytes per dimension)");
        }

        int magic = BinaryPrimitives.ReadInt32BigEndian(magicBytes);
        int dimensionCount = magic & 0xFF;
        if ((magic & ~0xFF) != 0x0800 || dimensionCount is 0 or > MaxDimensions)
        {
            throw new DatasetFormatException(path,
                $"magic number 0x{magic:X8} is not that of an IDX file of unsigned bytes ({DescribeMagic(expectedMagic)})");
        }

        if (expectedMagic is int expected && magic != expected)
        {
            throw new DatasetFormatException(path,
                $"magic number 0x{magic:X8} is that of an IDX file with {dimensionCount} dimension(s) ({DescribeMagic(expected)})");
        }

        Span<byte> sizes = header.Slice(sizeof(int), sizeof(int) * dimensionCount);
        read = content.ReadAtLeast(sizes, sizes.Length, throwOnEndOfStream: false);
        if (read < sizes.Length)
        {
            throw new DatasetFormatException(path, $"the file ends inside its {sizeof(int) * (1 + dimensionCount)}-byte IDX header");
        }

        var dimensions = ImmutableArray.CreateBuilder<int>(dimensionCount);
        for (int i = 0; i < dimensionCount; i++)
        {
            int size = BinaryPrimitives.ReadInt32BigEndian(sizes[(sizeof(int) * i)..]);
            if (size < 0 || (size == 0 && i > 0))
            {
                throw new DatasetFormatException(path,
                    $"the header gives dimension {i} (at offset {sizeof(int) * (1 + i)}) the size {size} (the item count may be 0, item dimensions must be positive)");
            }

            dimensions.Add(size);
        }

        ImmutableArray<int> claimed = dimensions.MoveToImmutable();
        try
        {
            return new IdxHeader(claimed);
        }
        catch (OverflowException)
        {
            throw new DatasetFormatException(path,
                $"the header's dimensions {string.Join('x', claimed)} (at offset 4) describe more bytes than a file can hold");
        }
    }

    /// <summary>Reads <paramref name="content"/> to its end and returns how many bytes that was.</summary>
    private static long CountRemainingBytes(Stream content)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long total = 0;
        int read;
        while ((read = content.Read(scratch)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static string DescribeMagic(int? magic) => magic switch
    {
        IdxHeader.ImagesMagic => "expected 0x00000803, an IDX3 image file",
        IdxHeader.LabelsMagic => "expected 0x00000801, an IDX1 label file",
        _ => "expected 0x000008nn, where nn is the number of dimensions",
    };

    private static string DescribeLengthMismatch(IdxHeader header, string itemName, string dataName, long held)
    {
        string shape = header.Dimensions.Length > 1 ? $" of {string.Join('x', header.Dimensions.Skip(1))}" : "";
        string extra = held > header.DataLength ? $" ({held - header.DataLength} extra bytes after the data)" : "";
        return $"header promises {header.Count} {itemName}{shape} ({header.DataLength} bytes from offset {header.Length}) " +
               $"but the file holds {Math.Max(held, 0)} bytes of {dataName}{extra}";
    }
}
