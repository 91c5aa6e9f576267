namespace Graph.Datasets;

/// <summary>Where a dataset file can be downloaded from, and the checksum the download must have.</summary>
/// <param name="Source">The canonical URL of the file.</param>
/// <param name="Checksum">The checksum of the file's uncompressed content.</param>
public sealed record DatasetDownload(Uri Source, ContentChecksum Checksum);
