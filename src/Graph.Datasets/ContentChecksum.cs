using System.Security.Cryptography;

namespace Graph.Datasets;

/// <summary>
/// The expected hash of a dataset file's content. A gzip file is hashed after decompression, so the checksum holds
/// whichever way the file was compressed (gzip headers carry timestamps, which makes hashes of .gz files fragile).
/// </summary>
public sealed record ContentChecksum
{
    private ContentChecksum(HashAlgorithmName algorithm, string expectedHex)
    {
        Algorithm = algorithm;
        ExpectedHex = expectedHex.ToLowerInvariant();
    }

    /// <summary>The hash algorithm: MD5 or SHA-256.</summary>
    public HashAlgorithmName Algorithm { get; }

    /// <summary>The expected hash in lower-case hexadecimal.</summary>
    public string ExpectedHex { get; }

    /// <summary>An MD5 checksum of the uncompressed content.</summary>
    /// <param name="expectedHex">32 hexadecimal digits.</param>
    public static ContentChecksum Md5(string expectedHex) =>
        new(HashAlgorithmName.MD5, Validate(expectedHex, MD5.HashSizeInBytes));

    /// <summary>A SHA-256 checksum of the uncompressed content.</summary>
    /// <param name="expectedHex">64 hexadecimal digits.</param>
    public static ContentChecksum Sha256(string expectedHex) =>
        new(HashAlgorithmName.SHA256, Validate(expectedHex, SHA256.HashSizeInBytes));

    /// <summary>Hashes the content of <paramref name="path"/>, decompressing it first when it is gzip.</summary>
    /// <returns>The hash in lower-case hexadecimal.</returns>
    /// <exception cref="DatasetFormatException">The file starts like gzip but its compressed data is corrupt.</exception>
    public string Compute(string path)
    {
        using Stream content = DataFile.OpenContent(path);
        try
        {
            return Convert.ToHexStringLower(CryptographicOperations.HashData(Algorithm, content));
        }
        catch (InvalidDataException e)
        {
            throw DataFile.CorruptGzip(path, e);
        }
    }

    /// <summary>Whether the content of <paramref name="path"/> has the expected hash.</summary>
    /// <param name="path">The file to hash.</param>
    /// <param name="actualHex">The hash that was computed, in lower-case hexadecimal.</param>
    public bool Matches(string path, out string actualHex)
    {
        actualHex = Compute(path);
        return actualHex == ExpectedHex;
    }

    /// <summary>The algorithm and expected hash, for example <c>MD5 2646ac647ad5339dbf082846283269ea</c>.</summary>
    public override string ToString() => $"{Algorithm.Name} {ExpectedHex}";

    private static string Validate(string hex, int hashBytes)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != 2 * hashBytes || !hex.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException($"'{hex}' is not {2 * hashBytes} hexadecimal digits.", nameof(hex));
        }

        return hex;
    }
}
