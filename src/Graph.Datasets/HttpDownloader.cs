using System.Net;
using System.Net.Http.Headers;

namespace Graph.Datasets;

/// <summary>
/// Downloads files over HTTP(S) so that a download can neither hang nor go on without end: a deadline on the whole
/// transfer and a stall timeout on every wait (connection, response headers, each read of the body), retries with
/// exponential backoff for failures that may pass, a cap on the bytes accepted, and resumption of a broken transfer.
/// </summary>
/// <remarks>
/// <para>
/// Failures that may pass are retried: a stalled or broken connection, a refused connection, and the answers 408,
/// 429 and 5xx. A 4xx answer, an unknown host, a body beyond <see cref="HttpDownloaderOptions.MaxBytes"/> and the
/// deadline end the download at once. Every failure is an <see cref="HttpRequestException"/>,
/// <see cref="IOException"/> or <see cref="TimeoutException"/> whose message names the URL and what happened.
/// </para>
/// <para>
/// A transfer that breaks off after some bytes resumes where it stopped when the server offered byte ranges and a
/// validator (an <c>ETag</c> or <c>Last-Modified</c>, sent back as <c>If-Range</c> so that a changed file is sent
/// whole); otherwise, or when the server answers the range request with the whole file, the destination is emptied
/// and the transfer starts again. Redirects are followed (at most <see cref="HttpDownloaderOptions.MaxRedirects"/>,
/// never from HTTPS to HTTP). Whatever arrives is only bytes: <see cref="DataLocator"/> checks the checksum before
/// the file is trusted.
/// </para>
/// </remarks>
public sealed class HttpDownloader : IDownloader
{
    private readonly HttpDownloaderOptions options;
    private readonly HttpClient client;

    /// <summary>A downloader with the default options.</summary>
    public HttpDownloader()
        : this(new HttpDownloaderOptions())
    {
    }

    /// <summary>A downloader with the given deadlines, retries and limits.</summary>
    public HttpDownloader(HttpDownloaderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Attempts, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBytes, nameof(options));
        this.options = options;
        client = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = options.StallTimeout,
            AllowAutoRedirect = options.MaxRedirects > 0,
            MaxAutomaticRedirections = Math.Max(1, options.MaxRedirects),
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestHeaders = { { "User-Agent", "Graph.Datasets" } },
        };
    }

    /// <inheritdoc />
    /// <exception cref="TimeoutException">The server stayed silent longer than the stall timeout on every attempt, or the deadline passed.</exception>
    /// <exception cref="HttpRequestException">The server could not be reached or answered with an error.</exception>
    /// <exception cref="IOException">The transfer broke off on every attempt, or the body was larger than allowed.</exception>
    public void Download(Uri source, Stream destination, IProgress<DownloadProgress> progress)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(progress);
        DownloadAsync(source, destination, progress).GetAwaiter().GetResult();
    }

    private async Task DownloadAsync(Uri source, Stream destination, IProgress<DownloadProgress> progress)
    {
        using var deadline = new CancellationTokenSource(options.Deadline);
        var transfer = new Transfer(destination);
        TimeSpan delay = options.FirstRetryDelay;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await TransferAsync(source, transfer, progress, deadline.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw DeadlinePassed(source, transfer);
            }
            catch (Exception e) when (attempt < options.Attempts && MayPass(e))
            {
                try
                {
                    await Task.Delay(delay, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    throw DeadlinePassed(source, transfer);
                }

                delay *= 2;
            }
        }
    }

    private async Task TransferAsync(Uri source, Transfer transfer, IProgress<DownloadProgress> progress, CancellationToken deadline)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, source);
        bool resuming = transfer.Received > 0 && transfer.Validator is not null && transfer.Destination.CanSeek;
        if (resuming)
        {
            request.Headers.Range = new RangeHeaderValue(transfer.Received, null);
            request.Headers.IfRange = transfer.Validator;
        }

        using var stall = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        stall.CancelAfter(options.StallTimeout);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"{source} sent no response headers within {Describe(options.StallTimeout)}.");
        }

        using (response)
        {
            CheckStatus(source, response);
            bool partial = resuming && response.StatusCode == HttpStatusCode.PartialContent
                && response.Content.Headers.ContentRange is { From: long from } && from == transfer.Received;
            if (!partial)
            {
                transfer.Restart();
            }

            transfer.Validator = response.Headers.AcceptRanges.Contains("bytes")
                ? (response.Headers.ETag is { } etag ? new RangeConditionHeaderValue(etag)
                    : response.Content.Headers.LastModified is { } modified ? new RangeConditionHeaderValue(modified) : null)
                : null;
            long? total = response.Content.Headers.ContentLength + transfer.Received;
            if (total > options.MaxBytes)
            {
                throw new FinalIOException($"{source} announces {total} bytes, more than the {options.MaxBytes} a download may have.");
            }

            progress.Report(new DownloadProgress(transfer.Received, total));
            using Stream body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
            var buffer = new byte[1 << 16];
            while (true)
            {
                stall.CancelAfter(options.StallTimeout);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
                {
                    throw new TimeoutException(
                        $"{source} sent nothing for {Describe(options.StallTimeout)} after {transfer.Received} bytes of the body.");
                }

                if (read == 0)
                {
                    break;
                }

                if (transfer.Received + read > options.MaxBytes)
                {
                    throw new FinalIOException($"{source} sent more than the {options.MaxBytes} bytes a download may have.");
                }

                await transfer.Destination.WriteAsync(buffer.AsMemory(0, read), deadline).ConfigureAwait(false);
                transfer.Received += read;
                progress.Report(new DownloadProgress(transfer.Received, total));
            }

            if (total is long expected && transfer.Received != expected)
            {
                throw new IOException($"{source} ended the body after {transfer.Received} of the {expected} bytes it announced.");
            }
        }
    }

    private static void CheckStatus(Uri source, HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = response.StatusCode;
        string where = response.RequestMessage?.RequestUri is { } final && final != source ? $" (redirected to {final})" : "";
        throw new HttpRequestException(
            $"{source}{where} answered {(int)status} {response.ReasonPhrase}.", inner: null, status);
    }

    /// <summary>Whether a failure may pass on a later attempt: silence, a broken or refused connection, 408, 429 or 5xx.</summary>
    private static bool MayPass(Exception e) => e switch
    {
        TimeoutException => true,
        HttpRequestException { StatusCode: { } status } => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500,
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => false,
        HttpRequestException => true,
        FinalIOException => false,
        IOException => true,
        _ => false,
    };

    private TimeoutException DeadlinePassed(Uri source, Transfer transfer) =>
        new($"Downloading {source} did not finish within {Describe(options.Deadline)} ({transfer.Received} bytes received).");

    private static string Describe(TimeSpan time) =>
        time.TotalSeconds >= 1 ? $"{time.TotalSeconds:0.###} s" : $"{time.TotalMilliseconds:0} ms";

    /// <summary>A failure of the transfer that another attempt cannot mend (too many bytes, a destination that cannot be emptied).</summary>
    private sealed class FinalIOException(string message) : IOException(message);

    /// <summary>What one download has written so far, and what lets it resume.</summary>
    private sealed class Transfer(Stream destination)
    {
        public Stream Destination { get; } = destination;

        public long Received { get; set; }

        public RangeConditionHeaderValue? Validator { get; set; }

        /// <summary>Empties the destination for a transfer from the first byte.</summary>
        public void Restart()
        {
            if (Received == 0)
            {
                return;
            }

            if (!Destination.CanSeek)
            {
                throw new FinalIOException("The transfer broke off and cannot start again: its destination cannot be emptied.");
            }

            Destination.SetLength(0);
            Destination.Position = 0;
            Received = 0;
        }
    }
}
