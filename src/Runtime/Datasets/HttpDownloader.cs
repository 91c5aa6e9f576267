namespace Graph.Runtime.Datasets;

/// <summary>Downloads files over HTTP(S) with a shared <see cref="HttpClient"/>.</summary>
public sealed class HttpDownloader : IDownloader
{
    /// <summary>How long to wait for a connection before concluding the network is unavailable.</summary>
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a whole download may take.</summary>
    private static readonly TimeSpan DownloadTimeout = TimeSpan.FromMinutes(10);

    private static readonly HttpClient Client = new(new SocketsHttpHandler { ConnectTimeout = ConnectTimeout })
    {
        Timeout = DownloadTimeout,
        DefaultRequestHeaders = { { "User-Agent", "Graph.Runtime" } },
    };

    /// <inheritdoc />
    public void Download(Uri source, Stream destination, IProgress<DownloadProgress> progress)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(progress);

        using var request = new HttpRequestMessage(HttpMethod.Get, source);
        using HttpResponseMessage response = Client.Send(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        long? total = response.Content.Headers.ContentLength;
        using Stream body = response.Content.ReadAsStream();

        var buffer = new byte[1 << 16];
        long received = 0;
        progress.Report(new DownloadProgress(received, total));
        int read;
        while ((read = body.Read(buffer)) > 0)
        {
            destination.Write(buffer, 0, read);
            received += read;
            progress.Report(new DownloadProgress(received, total));
        }
    }
}
