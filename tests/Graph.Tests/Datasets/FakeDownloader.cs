using Graph.Datasets;

namespace Graph.Tests.Datasets;

/// <summary>Serves fixed bytes in place of the network, or fails the way a network can.</summary>
/// <param name="content">The bytes every download returns.</param>
/// <param name="failAfter">If set, the download throws an <see cref="IOException"/> after writing this many bytes.</param>
public sealed class FakeDownloader(byte[] content, int? failAfter = null) : IDownloader
{
    private const int ChunkSize = 1000;

    /// <summary>The URLs requested so far.</summary>
    public List<Uri> Requests { get; } = [];

    /// <inheritdoc />
    public void Download(Uri source, Stream destination, IProgress<DownloadProgress> progress)
    {
        Requests.Add(source);
        int length = failAfter ?? content.Length;
        for (int offset = 0; offset < length; offset += ChunkSize)
        {
            int chunk = Math.Min(ChunkSize, length - offset);
            destination.Write(content, offset, chunk);
            progress.Report(new DownloadProgress(offset + chunk, content.Length));
        }

        if (failAfter is not null)
        {
            destination.Flush();
            throw new IOException("The connection was reset.");
        }
    }
}
