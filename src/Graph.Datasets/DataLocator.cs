using System.Text;

namespace Graph.Datasets;

/// <summary>
/// Finds the files of a dataset on disk, downloading them into the per-user cache when they are nowhere to be found.
/// </summary>
/// <remarks>
/// <para>
/// The folders searched for a dataset called <c>name</c>, in order: <c>$GRAPH_DATA/name/</c>; then
/// <c>shared/data/name/</c> in the current directory or any ancestor of it, then in the application's directory or
/// any ancestor of it (the repository sits beside <c>shared/</c>); then the per-user cache
/// (<c>~/.cache/graph/datasets/name/</c>, see <see cref="DataLocatorOptions.FromEnvironment()"/>).
/// </para>
/// <para>
/// A file may have several accepted names (<see cref="DatasetFile.FileNames"/>). Each name is looked for in every folder
/// before the next name is tried, so a preferred name wins wherever it is; for the same name the earlier folder wins.
/// </para>
/// <para>
/// When no folder has the file and it has a download source, it is downloaded into the cache: to a temporary file
/// beside the target, which is checked against the file's checksum and only then renamed into place, so the cache
/// never holds a partial or corrupt file. When that is impossible or fails, <see cref="DatasetNotFoundException"/>
/// says where the locator looked and what to put where.
/// </para>
/// <para>
/// A file found on disk whose content is known (<see cref="DatasetFile.KnownContent"/>) is checked against its
/// checksums once, and the result remembered by size and time stamp (<see cref="DataLocatorOptions.VerifyLocalFiles"/>):
/// a file that matches none raises a <see cref="DatasetFormatException"/>, except in the cache, where it is replaced
/// by a fresh download. A directory with a file's name is an error too, never taken for a missing file.
/// </para>
/// </remarks>
public sealed class DataLocator
{
    /// <summary>The environment variable that names a folder holding one sub-folder per dataset.</summary>
    public const string EnvironmentVariable = "GRAPH_DATA";

    private readonly DataLocatorOptions options;

    /// <summary>Creates a locator with the usual settings, <see cref="DataLocatorOptions.FromEnvironment()"/>.</summary>
    public DataLocator()
        : this(DataLocatorOptions.FromEnvironment())
    {
    }

    /// <summary>Creates a locator with the given search folders and downloader.</summary>
    public DataLocator(DataLocatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
    }

    /// <summary>The folders searched for a dataset, in search order, each once.</summary>
    /// <param name="datasetName">The dataset's folder name, for example <c>mnist</c>.</param>
    public IReadOnlyList<DatasetLocation> SearchLocations(string datasetName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(datasetName);
        var locations = new List<DatasetLocation>();
        var seen = new HashSet<string>();

        void Add(string directory, DatasetLocationKind kind)
        {
            string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
            if (seen.Add(full))
            {
                locations.Add(new DatasetLocation(full, kind));
            }
        }

        if (options.EnvironmentDirectory is string environmentDirectory)
        {
            Add(Path.Combine(environmentDirectory, datasetName), DatasetLocationKind.EnvironmentVariable);
        }

        foreach (string start in options.SharedSearchStarts)
        {
            for (DirectoryInfo? directory = new(Path.GetFullPath(start)); directory is not null; directory = directory.Parent)
            {
                Add(Path.Combine(directory.FullName, "shared", "data", datasetName), DatasetLocationKind.SharedFolder);
            }
        }

        if (options.CacheDirectory is string cacheDirectory)
        {
            Add(Path.Combine(cacheDirectory, datasetName), DatasetLocationKind.UserCache);
        }

        return locations;
    }

    /// <summary>Finds <paramref name="file"/> of <paramref name="dataset"/>, downloading it into the cache if need be.</summary>
    /// <returns>The full path of the file.</returns>
    /// <exception cref="DatasetNotFoundException">The file is in no folder searched and could not be downloaded.</exception>
    public string Locate(DatasetDescription dataset, DatasetFile file)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(file);
        if (!dataset.Files.Contains(file))
        {
            throw new ArgumentException($"The file '{file.FileNames[0]}' is not one of dataset '{dataset.Name}'.", nameof(file));
        }

        IReadOnlyList<DatasetLocation> locations = SearchLocations(dataset.Name);
        if (Find(file, locations) is not string found)
        {
            return Download(dataset, file, locations);
        }

        if (!options.VerifyLocalFiles || IsKnownContent(found, file, out string? problem))
        {
            return found;
        }

        // A damaged file in the cache is the locator's own download: it is replaced. Anywhere else it is the user's.
        string? cacheDirectory = locations.FirstOrDefault(location => location.Kind == DatasetLocationKind.UserCache)?.Directory;
        if (cacheDirectory is not null && file.Download is not null
            && string.Equals(found, Path.Combine(cacheDirectory, file.FileNames[0]), StringComparison.Ordinal))
        {
            File.Delete(found);
            return Download(dataset, file, locations);
        }

        throw new DatasetFormatException(found, problem!);
    }

    /// <summary>
    /// Whether <paramref name="path"/> holds one of the file's known contents (trivially so when none is known); the
    /// answer is remembered by size and time stamp, so a file is hashed once.
    /// </summary>
    private bool IsKnownContent(string path, DatasetFile file, out string? problem)
    {
        problem = null;
        var verified = new VerifiedFiles(options.CacheDirectory);
        if (file.KnownContent.IsEmpty || file.KnownContent.Any(checksum => verified.Contains(path, checksum)))
        {
            return true;
        }

        var actual = new List<string>();
        foreach (ContentChecksum checksum in file.KnownContent)
        {
            if (checksum.Matches(path, out string actualHex))
            {
                verified.Add(path, checksum);
                return true;
            }

            actual.Add($"{checksum.Algorithm.Name} {actualHex}");
        }

        problem = $"its content ({string.Join(", ", actual.Distinct())}) is none of the known versions of {file.Description} " +
            $"({string.Join("; ", file.KnownContent)}): it is cut short, corrupt or another file. " +
            (file.Download is { } download
                ? $"Replace it with the file from {download.Source}, or delete it to have it downloaded."
                : "Replace it with the file described.");
        return false;
    }

    /// <summary>The first accepted name found in the search order; a directory in a file's place is an error.</summary>
    private static string? Find(DatasetFile file, IReadOnlyList<DatasetLocation> locations)
    {
        foreach (string name in file.FileNames)
        {
            foreach (DatasetLocation location in locations)
            {
                string path = Path.Combine(location.Directory, name);
                if (File.Exists(path))
                {
                    return path;
                }

                if (Directory.Exists(path))
                {
                    throw new DatasetFormatException(path, $"is a directory, where {file.Description} was expected as a file; remove it or put the file there");
                }
            }
        }

        return null;
    }

    private string Download(DatasetDescription dataset, DatasetFile file, IReadOnlyList<DatasetLocation> locations)
    {
        string? cacheDirectory = locations.FirstOrDefault(location => location.Kind == DatasetLocationKind.UserCache)?.Directory;
        string outcome;
        Exception? failure = null;
        if (file.Download is not DatasetDownload download)
        {
            outcome = "It has no download source, so it was not downloaded.";
        }
        else if (options.Downloader is not IDownloader downloader)
        {
            outcome = $"Downloads are disabled, so it was not downloaded from {download.Source}.";
        }
        else if (cacheDirectory is null)
        {
            outcome = $"There is no per-user cache folder to download it into, so it was not downloaded from {download.Source}.";
        }
        else
        {
            try
            {
                return DownloadInto(cacheDirectory, file.FileNames[0], download, downloader);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or UnauthorizedAccessException
                                          or OperationCanceledException or TimeoutException or InvalidDataException)
            {
                outcome = $"Downloading it from {download.Source} failed: {e.Message}";
                failure = e;
            }
        }

        string message = DescribeMissing(dataset, file, locations, outcome, cacheDirectory);
        throw new DatasetNotFoundException(message, dataset.Name, file.FileNames[0], locations, failure);
    }

    /// <summary>
    /// Downloads to a temporary file in <paramref name="directory"/>, verifies its checksum, then renames it to
    /// <paramref name="fileName"/>. The temporary file is deleted whatever happens.
    /// </summary>
    private string DownloadInto(string directory, string fileName, DatasetDownload download, IDownloader downloader)
    {
        string target = Path.Combine(directory, fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string partial = $"{target}.{Path.GetRandomFileName()}.partial";
        try
        {
            using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                options.ProgressDisplay.Show(fileName, progress => downloader.Download(download.Source, stream, progress));
            }

            if (!download.Checksum.Matches(partial, out string actualHex))
            {
                throw new InvalidDataException(
                    $"the {download.Checksum.Algorithm.Name} of its uncompressed content is {actualHex}, not the expected " +
                    $"{download.Checksum.ExpectedHex}; the download was discarded");
            }

            File.Move(partial, target, overwrite: true);
            new VerifiedFiles(options.CacheDirectory).Add(target, download.Checksum);
            return target;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static string DescribeMissing(
        DatasetDescription dataset,
        DatasetFile missing,
        IReadOnlyList<DatasetLocation> locations,
        string downloadOutcome,
        string? cacheDirectory)
    {
        var message = new StringBuilder();
        message.AppendLine($"Dataset '{dataset.Name}' is missing {missing.Description}.");
        message.AppendLine($"Looked for {string.Join(" or ", missing.FileNames)} in these folders, in this order:");
        if (locations.All(location => location.Kind != DatasetLocationKind.EnvironmentVariable))
        {
            message.AppendLine($"  ({EnvironmentVariable} is not set)");
        }

        foreach (DatasetLocation location in locations)
        {
            message.AppendLine($"  {location}");
        }

        message.AppendLine(downloadOutcome);
        string? environmentFolder = locations
            .FirstOrDefault(location => location.Kind == DatasetLocationKind.EnvironmentVariable)?.Directory;
        string setVariable =
            $"set the environment variable {EnvironmentVariable} to a folder and put them in its sub-folder '{dataset.Name}'";
        message.AppendLine(environmentFolder is not null
            ? $"To fix this, put the files below in {environmentFolder} (the folder for '{dataset.Name}' under {EnvironmentVariable}):"
            : cacheDirectory is not null
                ? $"To fix this, put the files below in {cacheDirectory}, or {setVariable}:"
                : $"To fix this, {setVariable}:");
        foreach (DatasetFile file in dataset.Files)
        {
            message.Append($"  {file.FileNames[0]}: ");
            if (Find(file, locations) is string found)
            {
                message.AppendLine($"found at {found}");
                continue;
            }

            message.Append($"missing; {file.Description}");
            if (file.Download is not null)
            {
                message.Append($", from {file.Download.Source}");
            }

            if (file.FileNames.Length > 1)
            {
                message.Append($" (also accepted: {string.Join(", ", file.FileNames.Skip(1))})");
            }

            message.AppendLine();
        }

        return message.ToString().TrimEnd();
    }
}
