namespace Graph.Datasets;

/// <summary>How far a download has come.</summary>
/// <param name="BytesReceived">The bytes received so far.</param>
/// <param name="TotalBytes">The size of the whole download, or null when the server did not say.</param>
public readonly record struct DownloadProgress(long BytesReceived, long? TotalBytes);
