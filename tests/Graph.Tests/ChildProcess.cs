using System.Diagnostics;
using Xunit;

namespace Graph.Tests;

/// <summary>
/// Runs a program in a process of its own, as a user or a job launcher would: its input closed, its output and error
/// read to the end, and the whole process tree ended when it runs past a limit.
/// </summary>
internal static class ChildProcess
{
    /// <summary>What a process printed, how it ended and how long it ran.</summary>
    public sealed record Result(int ExitCode, string Output, string Error, TimeSpan Elapsed)
    {
        /// <summary>The output and then the error.</summary>
        public string Everything => Output + Error;
    }

    /// <summary>A start for <paramref name="program"/> with <paramref name="arguments"/>, each passed as one argument.</summary>
    public static ProcessStartInfo Start(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>
    /// Runs <paramref name="start"/> with <paramref name="input"/> (if any) on its standard input and waits for it;
    /// fails the test, naming <paramref name="description"/> and with everything printed so far, when it does not end
    /// within <paramref name="limit"/> (the process tree is ended first). The exit code is the caller's to judge.
    /// </summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The program could not be started (not found).</exception>
    public static Result Run(ProcessStartInfo start, TimeSpan limit, string description, string? input = null)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{description} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input ?? string.Empty);
        process.StandardInput.Close();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"{description} did not end within {limit.TotalSeconds} s; it printed:\n{output.Result}\n{error.Result}");
        }

        // The second wait returns once the output has been read to its end.
        process.WaitForExit();
        return new Result(process.ExitCode, output.Result, error.Result, clock.Elapsed);
    }
}
