using System.Collections.Concurrent;

namespace Graph.Datasets;

/// <summary>
/// Remembers which local dataset files matched a known checksum, by full path, size and last-write time, so that each
/// file is hashed once rather than on every run: in memory for this process, and in <see cref="RecordFileName"/> in
/// the per-user cache folder for later ones. A file whose size or time stamp changed is hashed again.
/// </summary>
internal sealed class VerifiedFiles
{
    /// <summary>The record's file name in the cache folder: one tab-separated line per file (checksum, size, time, path).</summary>
    public const string RecordFileName = "verified-files.tsv";

    private static readonly ConcurrentDictionary<string, byte> Remembered = new(StringComparer.Ordinal);

    private static readonly object RecordLock = new();

    private readonly string? recordPath;

    /// <summary>Uses the record in <paramref name="cacheDirectory"/>, or memory alone when it is null.</summary>
    public VerifiedFiles(string? cacheDirectory) =>
        recordPath = cacheDirectory is null ? null : Path.Combine(cacheDirectory, RecordFileName);

    /// <summary>Whether <paramref name="path"/>, as it is now, was found to match <paramref name="checksum"/>.</summary>
    public bool Contains(string path, ContentChecksum checksum)
    {
        string entry = Entry(path, checksum);
        if (Remembered.ContainsKey(entry))
        {
            return true;
        }

        if (recordPath is not null && ReadRecord().Contains(entry))
        {
            Remembered.TryAdd(entry, 0);
            return true;
        }

        return false;
    }

    /// <summary>Records that <paramref name="path"/>, as it is now, matches <paramref name="checksum"/>.</summary>
    public void Add(string path, ContentChecksum checksum)
    {
        string entry = Entry(path, checksum);
        Remembered.TryAdd(entry, 0);
        if (recordPath is null)
        {
            return;
        }

        // The record is a convenience: a folder that cannot be written only means hashing again next time.
        try
        {
            lock (RecordLock)
            {
                var entries = ReadRecord();
                if (entries.Add(entry))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(recordPath)!);
                    string temporary = $"{recordPath}.{Path.GetRandomFileName()}.partial";
                    File.WriteAllLines(temporary, entries.Order(StringComparer.Ordinal));
                    File.Move(temporary, recordPath, overwrite: true);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private HashSet<string> ReadRecord()
    {
        try
        {
            return File.Exists(recordPath) ? new HashSet<string>(File.ReadAllLines(recordPath), StringComparer.Ordinal) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string Entry(string path, ContentChecksum checksum)
    {
        var info = new FileInfo(path);
        return $"{checksum.Algorithm.Name}:{checksum.ExpectedHex}\t{info.Length}\t{info.LastWriteTimeUtc.Ticks}\t{info.FullName}";
    }
}
