using System.Diagnostics;
using System.Globalization;
using System.Text;
using Graph.Bench.Report;

namespace Graph.Bench.Numpy;

/// <summary>
/// One network's step in the book's numpy code, in a python process of its own (<c>book_steps.py</c>), warmed up when
/// it starts and then timed in the rounds the bench asks for: "round STEPS" on its input, "round &lt;wall µs&gt;
/// &lt;CPU µs&gt;" per step back.
/// </summary>
public sealed class NumpySteps : TimedConfig, IDisposable
{
    /// <summary>How long the script may take to load its records and warm up, or to answer a round.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly Process process;
    private readonly StringBuilder errors;
    private readonly double stepSeconds;

    private NumpySteps(string name, Process process, StringBuilder errors, double stepSeconds)
        : base(name)
    {
        this.process = process;
        this.errors = errors;
        this.stepSeconds = stepSeconds;
    }

    /// <summary>
    /// Starts the script as <paramref name="start"/> says (its network, dtype and records) and waits until it has warmed
    /// up; null, with <paramref name="error"/> saying why, when it fails.
    /// </summary>
    internal static NumpySteps? Start(ProcessStartInfo start, string name, out string error)
    {
        start.RedirectStandardInput = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, line) =>
        {
            lock (errors)
            {
                errors.AppendLine(line.Data);
            }
        };
        process.BeginErrorReadLine();
        string[]? ready = Answer(process, errors, "ready", 2, out error);
        if (ready is null)
        {
            process.Dispose();
            return null;
        }

        return new NumpySteps(name, process, errors, double.Parse(ready[1], CultureInfo.InvariantCulture) / 1e6);
    }

    /// <summary>The script's time per step during its warm-up.</summary>
    public override double WarmUp() => stepSeconds;

    /// <inheritdoc/>
    public override Timing Round(int steps)
    {
        process.StandardInput.WriteLine($"round {steps.ToString(CultureInfo.InvariantCulture)}");
        process.StandardInput.Flush();
        string[] fields = Answer(process, errors, "round", 3, out string error) ?? throw new InvalidOperationException($"numpy's {Name}: {error}");
        return new Timing(double.Parse(fields[1], CultureInfo.InvariantCulture), double.Parse(fields[2], CultureInfo.InvariantCulture));
    }

    /// <summary>Ends the script's input, so that it exits, and waits for it.</summary>
    public void Dispose()
    {
        process.StandardInput.Close();
        if (!process.WaitForExit(Patience))
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }

    /// <summary>
    /// The fields of the script's next line of output when it is <paramref name="fields"/> fields from
    /// <paramref name="word"/> on; otherwise null, with <paramref name="error"/> saying what came instead (nothing in
    /// time, the end of its output with its exit code and last error line, or another line). A script that failed is
    /// stopped.
    /// </summary>
    private static string[]? Answer(Process process, StringBuilder errors, string word, int fields, out string error)
    {
        Task<string?> read = process.StandardOutput.ReadLineAsync();
        string? line = read.Wait(Patience) ? read.Result : null;
        if (line?.Split(' ') is { } parts && parts.Length == fields && parts[0] == word)
        {
            error = "";
            return parts;
        }

        if (!read.IsCompleted)
        {
            error = $"no answer within {Patience.TotalMinutes:0} minutes";
        }
        else if (line is null && process.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            process.WaitForExit();
            lock (errors)
            {
                error = $"exit {process.ExitCode}: {errors.ToString().Trim().Split('\n').LastOrDefault()}";
            }
        }
        else
        {
            error = $"unexpected output: {line}";
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        return null;
    }
}
