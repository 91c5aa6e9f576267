namespace Graph.Datasets;

/// <summary>
/// Shows download progress as plain lines, one at the start and one for every further 10 % (every MiB when the size is
/// unknown), for logs and other writers that are not terminals.
/// </summary>
/// <param name="writer">Where the lines go, usually <see cref="Console.Error"/>.</param>
public sealed class LineProgressDisplay(TextWriter writer) : IDownloadProgressDisplay
{
    private const long BytesPerMebibyte = 1 << 20;

    /// <inheritdoc />
    public void Show(string description, Action<IProgress<DownloadProgress>> download)
    {
        ArgumentNullException.ThrowIfNull(download);
        writer.WriteLine($"Downloading {description}");
        download(new LineReporter(writer, description));
    }

    /// <summary>Writes a line whenever the download crosses the next 10 % (or MiB) step.</summary>
    private sealed class LineReporter(TextWriter writer, string description) : IProgress<DownloadProgress>
    {
        /// <summary>The number of steps already reported: tenths of the total, or MiB when the total is unknown.</summary>
        private long reportedSteps;

        public void Report(DownloadProgress value)
        {
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
