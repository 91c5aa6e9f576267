using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace Graph.Bench.Torch;

/// <summary>
/// Loads TorchSharp's native library once, pins libtorch to one thread, and says why when it cannot load, so that
/// the bench skips the TorchSharp column instead of crashing. Nothing touches a TorchSharp type unless
/// <see cref="IsAvailable"/> is true (a failed native load poisons <c>torch</c>'s type initializer for the process).
/// </summary>
public static class TorchRuntime
{
    private static readonly Lazy<(bool Available, string Status)> State = new(Initialize);

    /// <summary>Whether TorchSharp loaded and runs.</summary>
    public static bool IsAvailable => State.Value.Available;

    /// <summary>The version and threads when available, otherwise why not.</summary>
    public static string Status => State.Value.Status;

    private static (bool, string) Initialize()
    {
        if (Environment.GetEnvironmentVariable("GRAPH_BENCH_NO_TORCH") is "1" or "true")
        {
            return (false, "disabled by GRAPH_BENCH_NO_TORCH");
        }

        // On Linux, load the native library ourselves first: dlopen's message says exactly what is wrong (typically
        // "version `GLIBCXX_3.4.32' not found" when weaken_glibcxx.py did not run), and TorchSharp's own fallback
        // would otherwise copy all of libtorch (~600 MB) into bin/ before failing the same way.
        if (OperatingSystem.IsLinux())
        {
            string native = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
            if (!File.Exists(native))
            {
                return (false, $"{native} is missing (is this linux-x64, and was the project built with TorchSharp-cpu?)");
            }

            try
            {
                NativeLibrary.Load(native);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                return (false, $"libLibTorchSharp.so does not load: {LoaderError(e.Message)} " +
                    "(run shared/tools/weaken_glibcxx.py on that file; the build does so when it finds the script)");
            }
        }

        try
        {
            return (true, Start());
        }
        catch (Exception e)
        {
            Exception inner = e is TypeInitializationException { InnerException: { } i } ? i : e;
            return (false, $"TorchSharp does not start: {inner.GetType().Name}: {FirstLine(inner.Message)}");
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string Start()
    {
        torch.set_num_interop_threads(1);
        torch.set_num_threads(1);
        using var probe = torch.ones(3).sum();
        if (probe.item<float>() != 3)
        {
            throw new InvalidOperationException("torch.ones(3).sum() is not 3");
        }

        string version = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "?";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        return $"TorchSharp {(plus > 0 ? version[..plus] : version)}, libtorch CPU, torch.get_num_threads() = {torch.get_num_threads()}, " +
            $"interop threads = {torch.get_num_interop_threads()}";
    }

    /// <summary>dlerror's text: the last line of .NET's message (the lines before it only suggest strace and LD_DEBUG).</summary>
    private static string LoaderError(string text)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length > 1 ? FirstLine(lines[^1]) : FirstLine(text);
    }

    private static string FirstLine(string text)
    {
        string line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? text;
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
