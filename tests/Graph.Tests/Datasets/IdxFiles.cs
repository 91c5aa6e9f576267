using System.Buffers.Binary;
using System.IO.Compression;
using Graph.Datasets;

namespace Graph.Tests.Datasets;

/// <summary>Builds small IDX files (and gzip copies) for the reader tests.</summary>
public static class IdxFiles
{
    /// <summary>An IDX header: the magic number and the dimensions, big-endian.</summary>
    public static byte[] Header(int magic, params int[] dimensions)
    {
        var header = new byte[sizeof(int) * (1 + dimensions.Length)];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(sizeof(int) * (i + 1)), dimensions[i]);
        }

        return header;
    }

    /// <summary>The pixels of <paramref name="count"/> images: pixel i of the whole set is <c>(7 i + 3) mod 256</c>.</summary>
    public static byte[] Pixels(int count, int rows, int columns) =>
        Enumerable.Range(0, count * rows * columns).Select(i => (byte)((7 * i) + 3)).ToArray();

    /// <summary>A complete IDX3 image file holding <paramref name="pixels"/>.</summary>
    public static byte[] Images(int count, int rows, int columns, byte[] pixels) =>
        [.. Header(IdxHeader.ImagesMagic, count, rows, columns), .. pixels];

    /// <summary>A complete IDX1 label file holding <paramref name="labels"/>.</summary>
    public static byte[] Labels(params byte[] labels) => [.. Header(IdxHeader.LabelsMagic, labels.Length), .. labels];

    /// <summary><paramref name="content"/> compressed as a single-member gzip file.</summary>
    public static byte[] Gzip(byte[] content)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        return compressed.ToArray();
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, gzip-compressed when <paramref name="gzip"/> is set.</summary>
    public static string Write(string path, byte[] content, bool gzip)
    {
        File.WriteAllBytes(path, gzip ? Gzip(content) : content);
        return path;
    }
}
