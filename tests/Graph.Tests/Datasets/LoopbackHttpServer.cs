using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Graph.Tests.Datasets;

/// <summary>
/// A real HTTP/1.1 server on the loopback address for download tests: every connection carries one request, which a
/// test's handler answers however it likes (in full, late, never, cut short, with too many or wrong bytes).
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Func<Request, Stream, CancellationToken, Task> handler;
    private readonly Task accepting;
    private int connections;
    private int count;

    /// <summary>Starts listening on a free loopback port.</summary>
    /// <param name="handler">Answers one request on its connection; the connection is closed when it returns.</param>
    public LoopbackHttpServer(Func<Request, Stream, CancellationToken, Task> handler)
    {
        this.handler = handler;
        listener.Start();
        accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The requests received so far, in order.</summary>
    public ConcurrentQueue<Request> Requests { get; } = new();

    /// <summary>
    /// The connections accepted: one per attempt of the client, counted even where the client gave up before the
    /// server (starved on a loaded machine) had read the request.
    /// </summary>
    public int Connections => Volatile.Read(ref connections);

    /// <summary>The URL of <paramref name="path"/> on this server.</summary>
    public Uri Url(string path) => new($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}{path}");

    /// <summary>Writes a whole response: the status line, the headers (with <c>Connection: close</c>) and the body.</summary>
    /// <param name="contentLength">Whether to send a Content-Length header (without one, the body ends when the connection closes).</param>
    public static async Task RespondAsync(Stream connection, int status, string reason, ReadOnlyMemory<byte> body, bool contentLength = true, params string[] headers)
    {
        await WriteHeadAsync(connection, status, reason, contentLength ? body.Length : null, headers);
        await connection.WriteAsync(body);
        await connection.FlushAsync();
    }

    /// <summary>Writes the status line and headers, with <c>Connection: close</c> and the Content-Length when given.</summary>
    public static async Task WriteHeadAsync(Stream connection, int status, string reason, long? contentLength, params string[] headers)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {reason}\r\nConnection: close\r\n");
        if (contentLength is long length)
        {
            head.Append($"Content-Length: {length}\r\n");
        }

        foreach (string header in headers)
        {
            head.Append(header).Append("\r\n");
        }

        await connection.WriteAsync(Encoding.ASCII.GetBytes(head.Append("\r\n").ToString()));
        await connection.FlushAsync();
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        try
        {
            accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref connections);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                NetworkStream connection = client.GetStream();
                var request = await ReadRequestAsync(connection);
                Requests.Enqueue(request);
                await handler(request, connection, stop.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or the server is stopping.
            }
        }
    }

    private async Task<Request> ReadRequestAsync(Stream connection)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await connection.ReadAsync(one, stop.Token) == 0)
            {
                throw new IOException("The client closed the connection inside the request head.");
            }

            head.Add(one[0]);
        }

        string[] lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        string[] requestLine = lines[0].Split(' ');
        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return new Request(Interlocked.Increment(ref count), requestLine[0], requestLine[1], headers);
    }

    /// <summary>One request: its number on this server (from 1), method, path and headers.</summary>
    public sealed record Request(int Number, string Method, string Path, IReadOnlyDictionary<string, string> Headers);
}
