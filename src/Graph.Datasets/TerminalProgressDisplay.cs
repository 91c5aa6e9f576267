using Spectre.Console;

namespace Graph.Datasets;

/// <summary>
/// Shows download progress as a live progress bar on standard error with Spectre.Console (bar, percentage, bytes,
/// speed and time left). Use it only when standard error is a terminal; <see cref="LineProgressDisplay"/> suits logs.
/// </summary>
public sealed class TerminalProgressDisplay : IDownloadProgressDisplay
{
    /// <summary>
    /// A console on standard error. It is declared interactive because Spectre.Console's own detection looks at
    /// standard output, which may be redirected while standard error is still the terminal.
    /// </summary>
    private readonly IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Console.Error),
        Interactive = InteractionSupport.Yes,
    });

    /// <inheritdoc />
    public void Show(string description, Action<IProgress<DownloadProgress>> download)
    {
        ArgumentNullException.ThrowIfNull(download);
        console.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn())
            .Start(context => download(new TaskReporter(context.AddTask(Markup.Escape(description)))));
    }

    /// <summary>Moves a Spectre.Console progress task along as the download reports its progress.</summary>
    private sealed class TaskReporter(ProgressTask task) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value)
        {
            task.IsIndeterminate = value.TotalBytes is null;
            task.MaxValue = value.TotalBytes ?? Math.Max(value.BytesReceived, 1);
            task.Value = value.BytesReceived;
        }
    }
}
