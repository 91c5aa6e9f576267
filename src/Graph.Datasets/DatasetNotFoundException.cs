namespace Graph.Datasets;

/// <summary>
/// A dataset file is in none of the folders <see cref="DataLocator"/> searched, and could not be downloaded. The
/// message names the dataset, every folder searched, why no download happened, and which files to put where.
/// </summary>
public sealed class DatasetNotFoundException : FileNotFoundException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The full explanation, as <see cref="DataLocator"/> writes it.</param>
    /// <param name="datasetName">The dataset's folder name, for example <c>mnist</c>.</param>
    /// <param name="fileName">The preferred name of the missing file.</param>
    /// <param name="searchedLocations">The folders searched, in order.</param>
    /// <param name="downloadFailure">Why the download failed, if one was tried.</param>
    public DatasetNotFoundException(
        string message,
        string datasetName,
        string fileName,
        IReadOnlyList<DatasetLocation> searchedLocations,
        Exception? downloadFailure = null)
        : base(message, fileName, downloadFailure)
    {
        DatasetName = datasetName;
        SearchedLocations = searchedLocations;
    }

    /// <summary>The dataset's folder name, for example <c>mnist</c>.</summary>
    public string DatasetName { get; }

    /// <summary>The folders searched, in order.</summary>
    public IReadOnlyList<DatasetLocation> SearchedLocations { get; }
}
