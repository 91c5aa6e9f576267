using Spectre.Console;

namespace Graph.Samples.Formatting;

/// <summary>
/// A progress bar on standard error (Spectre.Console) for a long step that prints nothing of its own, shown only when
/// standard error is a terminal: what the examples print, and logs, stay as they are.
/// </summary>
public static class TerminalProgress
{
    /// <summary>
    /// Runs <paramref name="work"/>, which calls the action it is given once per item done (from any thread), under a
    /// bar that counts to <paramref name="items"/>.
    /// </summary>
    public static void Run(string description, int items, Action<Action> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Console.IsErrorRedirected)
        {
            work(() => { });
            return;
        }

        // Declared interactive: Spectre.Console's own detection looks at standard output, which may be redirected.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Interactive = InteractionSupport.Yes,
        });
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(description), maxValue: Math.Max(items, 1));
                work(() => task.Increment(1));
            });
    }
}
