namespace Graph.Datasets;

/// <summary>Fetches a file from the network. <see cref="DataLocator"/> takes one, so tests can replace the network.</summary>
public interface IDownloader
{
    /// <summary>Downloads <paramref name="source"/> into <paramref name="destination"/>, reporting progress as it goes.</summary>
    /// <param name="source">The URL to download.</param>
    /// <param name="destination">The stream to write the downloaded bytes to.</param>
    /// <param name="progress">Receives the progress after each chunk.</param>
    /// <exception cref="HttpRequestException">The server could not be reached or answered with an error.</exception>
    /// <exception cref="IOException">The transfer broke off.</exception>
    /// <exception cref="OperationCanceledException">The transfer timed out.</exception>
    void Download(Uri source, Stream destination, IProgress<DownloadProgress> progress);
}
