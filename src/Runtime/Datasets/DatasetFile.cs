using System.Collections.Immutable;

namespace Graph.Runtime.Datasets;

/// <summary>One file of a dataset: the names it may have, what it holds, and where to download it.</summary>
public sealed class DatasetFile
{
    /// <summary>Describes a dataset file.</summary>
    /// <param name="description">What the file holds, for messages: "the 10,000 test images".</param>
    /// <param name="fileNames">The names the file may have, preferred first. A download is saved under the first.</param>
    /// <param name="download">Where to download the file, or null when it cannot be downloaded.</param>
    public DatasetFile(string description, ImmutableArray<string> fileNames, DatasetDownload? download = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        if (fileNames.IsDefaultOrEmpty || fileNames.Any(name => string.IsNullOrWhiteSpace(name) || Path.GetFileName(name) != name))
        {
            throw new ArgumentException("A dataset file needs at least one name, and each is a bare file name.", nameof(fileNames));
        }

        Description = description;
        FileNames = fileNames;
        Download = download;
    }

    /// <summary>What the file holds, for messages.</summary>
    public string Description { get; }

    /// <summary>The names the file may have, preferred first; a download is saved under the first.</summary>
    public ImmutableArray<string> FileNames { get; }

    /// <summary>Where to download the file, or null when it cannot be downloaded.</summary>
    public DatasetDownload? Download { get; }
}
