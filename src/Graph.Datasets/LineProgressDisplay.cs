namespace Graph.Datasets;

/// <summary>
/// Shows download progress as plain lines, one when the server starts sending and one for every further 10 % (every MiB
/// when the size is unknown), for logs and other writers that are not terminals. A download that fails before the
/// server answers (no network, an unknown host) prints nothing: the failure is reported by whoever asked for the file.
/// </summary>
/// <param name="writer">Where the lines go, usually <see cref="Console.Error"/>.</param>
public sealed class LineProgressDisplay(TextWriter writer) : IDownloadProgressDisplay
{
    private const long BytesPerMebibyte = 1 << 20;

    /// <inheritdoc />
    public void Show(string description, Action<IProgress<DownloadProgress>> download)
    {
        ArgumentNullException.ThrowIfNull(download);
        download(new LineReporter(writer, description));
    }

    /// <summary>Writes a line whenever the download crosses the next 10 % (or MiB) step.</summary>
    private sealed class LineReporter(TextWriter writer, string description) : IProgress<DownloadProgress>
    {
        /// <summary>The number of steps already reported: tenths of the total, or MiB when the total is unknown.</summary>
        private long reportedSteps;

        private bool started;

        public void Report(DownloadProgress value)
        {
            if (!started)
            {
                started = true;
                writer.WriteLine($"Downloading {description}");
            }

            long steps = value.TotalBytes is > 0 and long total
                ? Math.Min(10, 10 * value.BytesReceived / total)
                : value.BytesReceived / BytesPerMebibyte;
            if (steps <= reportedSteps)
            {
                return;
            }

            reportedSteps = steps;
            writer.WriteLine(value.TotalBytes is > 0 and long size
                ? $"Downloading {description}: {10 * steps}% ({FormatMebibytes(value.BytesReceived)} of {FormatMebibytes(size)})"
                : $"Downloading {description}: {FormatMebibytes(value.BytesReceived)}");
        }

        private static string FormatMebibytes(long bytes) => $"{(double)bytes / BytesPerMebibyte:F1} MiB";
    }
}
