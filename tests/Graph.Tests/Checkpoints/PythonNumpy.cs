using Xunit;

namespace Graph.Tests.Checkpoints;

/// <summary>The python3 with numpy that runs <c>safetensors_numpy.py</c>, the independent safetensors reader and writer.</summary>
internal static class PythonNumpy
{
    private static readonly Lazy<string?> Found = new(() =>
        new[] { "/usr/bin/python3", "python3" }.FirstOrDefault(python => Run(python, ["-c", "import numpy"], null).ExitCode == 0));

    /// <summary>A python3 that imports numpy (Debian's /usr/bin/python3 first), or null.</summary>
    public static string? Python => Found.Value;

    /// <summary>Under CI=true the tests that need it fail instead of being skipped (.ci/run installs python3-numpy).</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs the script with <paramref name="arguments"/>, <paramref name="input"/> on its standard input; its standard output.</summary>
    public static string Script(string[] arguments, string? input = null)
    {
        string python = Python ?? throw new InvalidOperationException("No python3 with numpy: apt-get install -y python3-numpy.");
        string script = Path.Combine(AppContext.BaseDirectory, "Checkpoints", "safetensors_numpy.py");
        var (exitCode, output, error) = Run(python, [script, .. arguments], input);
        Assert.True(exitCode == 0, $"safetensors_numpy.py {string.Join(' ', arguments)} failed ({exitCode}): {error}");
        return output;
    }

    private static (int ExitCode, string Output, string Error) Run(string file, string[] arguments, string? input)
    {
        try
        {
            var result = ChildProcess.Run(ChildProcess.Start(file, arguments), TimeSpan.FromMinutes(2), $"{file} {string.Join(' ', arguments)}", input);
            return (result.ExitCode, result.Output, result.Error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, string.Empty, e.Message);
        }
    }
}
