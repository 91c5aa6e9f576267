namespace Graph.Datasets;

/// <summary>How long <see cref="HttpDownloader"/> waits, how often it retries and how much it accepts.</summary>
public sealed record HttpDownloaderOptions
{
    /// <summary>The longest a whole download may take, retries and their waits included: 10 minutes by default.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The longest the server may stay silent: to accept the connection, to send the response headers, and between
    /// two reads of the body. 30 seconds by default.
    /// </summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times a download is tried in all when it fails in a way that may pass (4 by default).</summary>
    public int Attempts { get; init; } = 4;

    /// <summary>The wait before the first retry (1 second by default); each further retry waits twice as long as the last.</summary>
    public TimeSpan FirstRetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The most bytes a download may have (1 GiB by default); a server that announces or sends more is refused.</summary>
    public long MaxBytes { get; init; } = 1L << 30;

    /// <summary>The most redirects followed (5 by default).</summary>
    public int MaxRedirects { get; init; } = 5;
}
