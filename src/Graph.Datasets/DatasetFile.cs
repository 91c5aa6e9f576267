using System.Collections.Immutable;

namespace Graph.Datasets;

/// <summary>
/// One file of a dataset: the names it may have, what it holds, and where to download it. A name is a bare file name
/// or a relative path below the dataset's folder with <c>/</c> between its parts (<c>tasksv11/en/qa1_train.txt</c>), for a
/// dataset whose files keep the layout of their archive.
/// </summary>
public sealed class DatasetFile
{
    /// <summary>Describes a dataset file.</summary>
    /// <param name="description">What the file holds, for messages: "the 10,000 test images".</param>
    /// <param name="fileNames">The names the file may have, preferred first, each a bare file name or a relative path with
    /// <c>/</c> between its parts. A download is saved under the first.</param>
    /// <param name="download">Where to download the file, or null when it cannot be downloaded.</param>
    /// <param name="otherKnownContent">
    /// Checksums of other content the file may hold besides the download's (a file that has several versions, such as
    /// the full and the shortened MNIST training images).
    /// </param>
    public DatasetFile(string description, ImmutableArray<string> fileNames, DatasetDownload? download = null, ImmutableArray<ContentChecksum> otherKnownContent = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        if (fileNames.IsDefaultOrEmpty || !fileNames.All(IsRelativeName))
        {
            throw new ArgumentException(
                "A dataset file needs at least one name, and each is a bare file name or a relative path of bare names joined by '/'.",
                nameof(fileNames));
        }

        Description = description;
        FileNames = fileNames;
        Download = download;
        var known = ImmutableArray.CreateBuilder<ContentChecksum>();
        if (download is not null)
        {
            known.Add(download.Checksum);
        }

        if (!otherKnownContent.IsDefault)
        {
            known.AddRange(otherKnownContent);
        }

        KnownContent = known.ToImmutable();
    }

    /// <summary>What the file holds, for messages.</summary>
    public string Description { get; }

    /// <summary>The names the file may have, preferred first (relative to the dataset's folder); a download is saved under the first.</summary>
    public ImmutableArray<string> FileNames { get; }

    /// <summary>Where to download the file, or null when it cannot be downloaded.</summary>
    public DatasetDownload? Download { get; }

    /// <summary>
    /// The checksums of every content the file is known to hold, the download's first; a local copy must match one of
    /// them. Empty for a file that has no canonical content (its readers check its format instead).
    /// </summary>
    public ImmutableArray<ContentChecksum> KnownContent { get; }

    /// <summary>A bare file name, or bare names joined by '/': no empty part, no '.' or '..', nothing rooted.</summary>
    private static bool IsRelativeName(string name) =>
        !string.IsNullOrWhiteSpace(name)
        && name.Split('/').All(part => part.Length > 0 && part is not ("." or "..") && Path.GetFileName(part) == part);
}
