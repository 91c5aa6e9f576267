using System.Diagnostics;
using System.Security.Cryptography;
using Graph.Datasets;
using Xunit;

namespace Graph.Tests.Datasets;

/// <summary>
/// <see cref="HttpDownloader"/> behind <see cref="DataLocator"/> against a real HTTP server on the loopback address
/// that stalls, breaks off, lies and redirects: every case ends in a clear error within its deadline and leaves nothing
/// in the cache, or ends in the right, verified file.
/// </summary>
[Collection(LoopbackServerCollection.Name)]
public sealed class HttpDownloaderTests : IDisposable
{
    private static readonly byte[] Content = Enumerable.Range(0, 20_000).Select(i => (byte)((i * 31) + 7)).ToArray();

    /// <summary>
    /// Options for the cases that are not about silence: a stall timeout long enough that a loaded machine never
    /// reaches it by accident.
    /// </summary>
    private static readonly HttpDownloaderOptions Patient = new()
    {
        Deadline = TimeSpan.FromSeconds(30),
        StallTimeout = TimeSpan.FromSeconds(10),
        Attempts = 3,
        FirstRetryDelay = TimeSpan.FromMilliseconds(20),
        MaxBytes = 100_000,
    };

    /// <summary>Options for the cases about silence: a short stall timeout, so that each case takes about a second.</summary>
    private static readonly HttpDownloaderOptions Short = Patient with { Deadline = TimeSpan.FromSeconds(10), StallTimeout = TimeSpan.FromMilliseconds(300) };

    private readonly TemporaryDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private string CacheFolder => Path.Combine(directory.Path, "files");

    [Fact]
    public void DownloadsAndVerifiesAFile()
    {
        using var server = new LoopbackHttpServer((_, connection, _) => LoopbackHttpServer.RespondAsync(connection, 200, "OK", Content));

        string path = Locate(server, "/file.bin");

        Assert.Equal(Content, File.ReadAllBytes(path));
        Assert.Single(server.Requests);
    }

    [Fact]
    public void AServerThatNeverAnswersTimesOutOnEveryAttempt()
    {
        using var server = new LoopbackHttpServer((_, _, stop) => Task.Delay(Timeout.Infinite, stop));

        var error = Fails<TimeoutException>(server, Short);

        Assert.Equal($"{server.Url("/file.bin")} sent no response headers within 300 ms.", error.Message);
        AssertAttempts(3, server);
    }

    [Fact]
    public void ABodyThatStallsTimesOutOnEveryAttempt()
    {
        using var server = new LoopbackHttpServer(async (_, connection, stop) =>
        {
            await LoopbackHttpServer.WriteHeadAsync(connection, 200, "OK", Content.Length);
            await connection.WriteAsync(Content.AsMemory(0, 1000), stop);
            await Task.Delay(Timeout.Infinite, stop);
        });

        // The stall timeout covers the wait for the headers too: in one run of the suite 300 ms was too short for them,
        // and the case ended with the headers' message instead of the body's.
        var error = Fails<TimeoutException>(server, Short with { StallTimeout = TimeSpan.FromSeconds(1.5) });

        Assert.Equal($"{server.Url("/file.bin")} sent nothing for 1.5 s after 1000 bytes of the body.", error.Message);
        AssertAttempts(3, server);
    }

    [Fact]
    public void AStalledTransferResumesWithARangeRequest()
    {
        using var server = new LoopbackHttpServer(async (request, connection, stop) =>
        {
            if (request.Number == 1)
            {
                await LoopbackHttpServer.WriteHeadAsync(connection, 200, "OK", Content.Length, "Accept-Ranges: bytes", "ETag: \"v1\"");
                await connection.WriteAsync(Content.AsMemory(0, 5000), stop);
                await Task.Delay(Timeout.Infinite, stop);
            }

            await LoopbackHttpServer.RespondAsync(connection, 206, "Partial Content", Content.AsMemory(5000), true,
                "Accept-Ranges: bytes", "ETag: \"v1\"", $"Content-Range: bytes 5000-{Content.Length - 1}/{Content.Length}");
        });

        // The stall timeout bounds the first answer's headers too, which must come back before it for the resumed
        // request to carry a range: 2 s, as the stalled-body case learned that 300 ms could be too short.
        string path = Locate(server, "/file.bin", Patient with { StallTimeout = TimeSpan.FromSeconds(2) });

        Assert.Equal(Content, File.ReadAllBytes(path));
        var second = server.Requests.ToArray()[1];
        Assert.Equal("bytes=5000-", second.Headers["Range"]);
        Assert.Equal("\"v1\"", second.Headers["If-Range"]);
    }

    [Fact]
    public void AConnectionClosedEarlyOnEveryAttemptIsAnError()
    {
        using var server = new LoopbackHttpServer(async (_, connection, stop) =>
        {
            await LoopbackHttpServer.WriteHeadAsync(connection, 200, "OK", Content.Length);
            await connection.WriteAsync(Content.AsMemory(0, 3000), stop);
        });

        var error = Fails<IOException>(server);

        Assert.Contains("ended", error.Message, StringComparison.Ordinal);
        AssertRequestCount(3, server);
    }

    [Fact]
    public void ATransferThatBrokeOffStartsAgainWhenTheServerOffersNoRanges()
    {
        using var server = new LoopbackHttpServer(async (request, connection, stop) =>
        {
            if (request.Number == 1)
            {
                await LoopbackHttpServer.WriteHeadAsync(connection, 200, "OK", Content.Length);
                await connection.WriteAsync(Content.AsMemory(0, 3000), stop);
                return;
            }

            await LoopbackHttpServer.RespondAsync(connection, 200, "OK", Content);
        });

        string path = Locate(server, "/file.bin");

        Assert.Equal(Content, File.ReadAllBytes(path));
        Assert.False(server.Requests.ToArray()[1].Headers.ContainsKey("Range"));
    }

    [Fact]
    public void TooManyBytesAreRefusedWithoutRetrying()
    {
        var endless = new byte[150_000];
        using var server = new LoopbackHttpServer((_, connection, _) => LoopbackHttpServer.RespondAsync(connection, 200, "OK", endless, contentLength: false));

        var error = Fails<IOException>(server);

        Assert.Equal($"{server.Url("/file.bin")} sent more than the 100000 bytes a download may have.", error.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void TooManyAnnouncedBytesAreRefusedBeforeTheBody()
    {
        using var server = new LoopbackHttpServer(async (_, connection, stop) =>
        {
            await LoopbackHttpServer.WriteHeadAsync(connection, 200, "OK", 500_000);
            await Task.Delay(Timeout.Infinite, stop);
        });

        var error = Fails<IOException>(server);

        Assert.Equal($"{server.Url("/file.bin")} announces 500000 bytes, more than the 100000 a download may have.", error.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public void WrongBytesAreDiscarded()
    {
        byte[] wrong = Content.Select(b => (byte)(b ^ 1)).ToArray();
        using var server = new LoopbackHttpServer((_, connection, _) => LoopbackHttpServer.RespondAsync(connection, 200, "OK", wrong));

        var error = Fails<InvalidDataException>(server);

        Assert.Equal($"the SHA256 of its uncompressed content is {Sha256(wrong)}, not the expected {Sha256(Content)}; the download was discarded", error.Message);
    }

    [Theory]
    [InlineData(404, "Not Found", 1)]
    [InlineData(403, "Forbidden", 1)]
    [InlineData(500, "Internal Server Error", 3)]
    [InlineData(503, "Service Unavailable", 3)]
    public void ErrorAnswersEndTheDownloadAndOnlyServerErrorsAreRetried(int status, string reason, int requests)
    {
        using var server = new LoopbackHttpServer((_, connection, _) => LoopbackHttpServer.RespondAsync(connection, status, reason, "no"u8.ToArray()));

        var error = Fails<HttpRequestException>(server);

        Assert.Equal($"{server.Url("/file.bin")} answered {status} {reason}.", error.Message);
        AssertRequestCount(requests, server);
    }

    [Fact]
    public void RedirectsAreFollowed()
    {
        using var server = new LoopbackHttpServer((request, connection, _) => request.Path == "/file.bin"
            ? LoopbackHttpServer.RespondAsync(connection, 302, "Found", Array.Empty<byte>(), true, "Location: /moved/file.bin")
            : LoopbackHttpServer.RespondAsync(connection, 200, "OK", Content));

        string path = Locate(server, "/file.bin");

        Assert.Equal(Content, File.ReadAllBytes(path));
        Assert.Equal(["/file.bin", "/moved/file.bin"], server.Requests.Select(r => r.Path));
    }

    [Fact]
    public void ARedirectLoopEndsInAnError()
    {
        using var server = new LoopbackHttpServer((_, connection, _) =>
            LoopbackHttpServer.RespondAsync(connection, 302, "Found", Array.Empty<byte>(), true, "Location: /file.bin"));

        var error = Fails<HttpRequestException>(server);

        Assert.Equal($"{server.Url("/file.bin")} answered 302 Found.", error.Message);
        AssertRequestCount(6, server);
    }

    [Fact]
    public void ATrickleThatNeverStallsStillEndsAtTheDeadline()
    {
        using var server = new LoopbackHttpServer(async (_, connection, stop) =>
        {
            await LoopbackHttpServer.WriteHeadAsync(connection, 200, "OK", Content.Length);
            for (int i = 0; i < Content.Length; i++)
            {
                await connection.WriteAsync(Content.AsMemory(i, 1), stop);
                await Task.Delay(50, stop);
            }
        });
        var options = Patient with { Deadline = TimeSpan.FromSeconds(1) };

        var error = Fails<TimeoutException>(server, options);

        Assert.StartsWith($"Downloading {server.Url("/file.bin")} did not finish within 1 s (", error.Message, StringComparison.Ordinal);
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private (DatasetFile File, DatasetDescription Dataset) Describe(LoopbackHttpServer server, string path)
    {
        var file = new DatasetFile("the file", ["file.bin"], new DatasetDownload(server.Url(path), ContentChecksum.Sha256(Sha256(Content))));
        return (file, new DatasetDescription("files", [file]));
    }

    private DataLocator Locator(HttpDownloaderOptions options) => new(new DataLocatorOptions
    {
        CacheDirectory = directory.Path,
        Downloader = new HttpDownloader(options),
        ProgressDisplay = new LineProgressDisplay(TextWriter.Null),
    });

    private string Locate(LoopbackHttpServer server, string path, HttpDownloaderOptions? options = null)
    {
        var (file, dataset) = Describe(server, path);
        return Locator(options ?? Patient).Locate(dataset, file);
    }

    /// <summary>
    /// The client's attempts, as the connections the server accepted: with a 300 ms stall timeout on a loaded machine
    /// the client may give up on an attempt before the server has read its request.
    /// </summary>
    private static void AssertAttempts(int expected, LoopbackHttpServer server)
    {
        var clock = Stopwatch.StartNew();
        while (server.Connections < expected && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(10);
        }

        Assert.Equal(expected, server.Connections);
    }

    /// <summary>The server's count of requests, once the last one has been read (the server reads on its own threads).</summary>
    private static void AssertRequestCount(int expected, LoopbackHttpServer server)
    {
        var clock = Stopwatch.StartNew();
        while (server.Requests.Count < expected && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            Thread.Sleep(10);
        }

        Assert.Equal(expected, server.Requests.Count);
    }

    /// <summary>
    /// Runs a download that must fail: a <see cref="DatasetNotFoundException"/> caused by <typeparamref name="TCause"/>,
    /// ended by its deadline (the bound guards against a download that runs on, it measures no speed), and no file left
/// in the cache.
    /// </summary>
    private TCause Fails<TCause>(LoopbackHttpServer server, HttpDownloaderOptions? options = null)
        where TCause : Exception
    {
        options ??= Patient;
        var (file, dataset) = Describe(server, "/file.bin");
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<DatasetNotFoundException>(() => Locator(options).Locate(dataset, file));

        // Ended by the deadline, not by the trickle's 1,000 s or a stall that never ends; the margin is wide because
        // a test host on a loaded machine can wait many seconds for a core (a download of about 1 s took 20 s there).
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, options.Deadline + TimeSpan.FromSeconds(60));
        Assert.Empty(Directory.Exists(CacheFolder) ? Directory.GetFileSystemEntries(CacheFolder, "*", SearchOption.AllDirectories) : []);
        Assert.Contains($"Downloading it from {server.Url("/file.bin")} failed: ", error.Message, StringComparison.Ordinal);
        return Assert.IsAssignableFrom<TCause>(error.InnerException);
    }
}
