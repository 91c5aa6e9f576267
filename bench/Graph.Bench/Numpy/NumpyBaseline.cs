using System.Diagnostics;
using System.Globalization;
using System.Runtime.Intrinsics.X86;
using System.Text.RegularExpressions;
using Graph.Samples.Mnist;

namespace Graph.Bench.Numpy;

/// <summary>
/// The numpy column: the book's code for each network (<c>book_steps.py</c>, beside the bench's binaries) run by
/// Debian's python3 as a child process on the same records, one network and dtype per process, timing its own steps
/// in the rounds the bench asks for (<see cref="NumpySteps"/>).
/// </summary>
/// <remarks>
/// Debian's numpy calls the system BLAS through <c>libblas.so.3</c>; with <c>libopenblas0-pthread</c> installed that is
/// OpenBLAS (<see cref="Blas"/> says which library the process really maps). OpenBLAS's threads are set by
/// <c>OPENBLAS_NUM_THREADS</c>, which the bench sets to the thread count of each column.
/// <para>OpenBLAS picks its kernels by the processor's model, and on a model newer than its release (Debian 12's
/// 0.3.21 on an Intel Xeon of family 6 model 207) it falls back to its Prescott kernels, SSE3 only: a
/// [100×784]·[784×100] float product took 594 µs so, against 146 µs with its SkylakeX kernels. The bench reads the core
/// OpenBLAS chose (<c>OPENBLAS_VERBOSE=2</c>) and, where it fell back, names the core this processor's instructions
/// allow (<c>OPENBLAS_CORETYPE</c>: SkylakeX with AVX-512, Haswell with AVX2 and FMA), so that the column is numpy at
/// its best on the machine. An <c>OPENBLAS_CORETYPE</c> set by the user is kept.</para>
/// </remarks>
public sealed class NumpyBaseline : IDisposable
{
    /// <summary>OpenBLAS's choice for a processor it does not know.</summary>
    private const string FallbackCore = "Prescott";

    /// <summary>Debian's python3 (the one on PATH may be another, without numpy).</summary>
    public const string Python = "/usr/bin/python3";

    private readonly string script = Path.Combine(AppContext.BaseDirectory, "Numpy", "book_steps.py");
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), $"graph-bench-{Environment.ProcessId}");

    /// <summary>The OpenBLAS core the bench names for every numpy process, or null to leave OpenBLAS its own choice.</summary>
    private readonly string? coreType;

    private NumpyBaseline(string blas, string? coreType)
    {
        Blas = blas;
        this.coreType = coreType;
    }

    /// <summary>numpy's version, the BLAS libraries its process maps and the OpenBLAS kernels it runs.</summary>
    public string Blas { get; }

    /// <summary>
    /// The baseline when python3 with numpy runs here; otherwise null, with <paramref name="why"/> saying what is
    /// missing and how to install it.
    /// </summary>
    public static NumpyBaseline? Start(out string why)
    {
        if (!File.Exists(Python))
        {
            why = $"{Python} not found (apt-get install -y python3-numpy libopenblas0-pthread)";
            return null;
        }

        var (exit, output, error) = new NumpyBaseline("", null).RunScript(["blas"], threads: 1, TimeSpan.FromMinutes(1));
        if (exit != 0)
        {
            why = $"numpy does not run under {Python}: {error.Trim().Split('\n').LastOrDefault()} (apt-get install -y python3-numpy libopenblas0-pthread)";
            return null;
        }

        why = "";
        string? chosen = Regex.Match(error, @"Core: (\w+)") is { Success: true } match ? match.Groups[1].Value : null;
        string? user = Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE");
        string? named = string.IsNullOrEmpty(user) && chosen == FallbackCore ? CoreForThisProcessor() : null;
        string kernels = chosen is null ? "OpenBLAS core: not reported (not OpenBLAS?)"
            : !string.IsNullOrEmpty(user) ? $"OpenBLAS core: {chosen} (OPENBLAS_CORETYPE={user}, set by the user)"
            : named is not null ? $"OpenBLAS core: {named} (OPENBLAS_CORETYPE, set by the bench: OpenBLAS does not know this processor and would run its {FallbackCore} kernels)"
            : $"OpenBLAS core: {chosen} (its own choice)";
        return new NumpyBaseline($"{output.Trim()}; {kernels}", named);
    }

    /// <summary>The OpenBLAS core whose kernels this processor's instructions run: SkylakeX with AVX-512 (F, BW, DQ,
    /// VL), Haswell with AVX2 and FMA, none below.</summary>
    private static string? CoreForThisProcessor() =>
        Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512F.VL.IsSupported ? "SkylakeX"
        : Avx2.IsSupported && Fma.IsSupported ? "Haswell"
        : null;

    /// <summary>Writes the records every network's script reads: MNIST images and labels, and the IMDB reviews.</summary>
    public void WriteData(MnistSet<float> mnist, int[][] reviews, IReadOnlyList<int> labels, int vocabulary)
    {
        Directory.CreateDirectory(dataDirectory);
        WriteFloats("mnist_images.f32", mnist.TrainImages);
        WriteFloats("mnist_labels.f32", mnist.TrainLabels);
        var offsets = new int[reviews.Length + 1];
        for (int r = 0; r < reviews.Length; r++)
        {
            offsets[r + 1] = offsets[r] + reviews[r].Length;
        }

        WriteInts("imdb_offsets.i32", offsets);
        WriteInts("imdb_words.i32", reviews.SelectMany(r => r).ToArray());
        WriteInts("imdb_labels.i32", labels.Take(reviews.Length).ToArray());
        WriteInts("imdb_vocabulary.i32", [vocabulary]);
    }

    /// <summary>
    /// Network <paramref name="net"/>'s step in <paramref name="dtype"/> (float32 or float64) in a process of its own,
    /// warmed up and ready to be timed in rounds; null, with <paramref name="error"/> saying why, when the script fails.
    /// </summary>
    public NumpySteps? Open(string net, string dtype, int threads, out string error) =>
        NumpySteps.Start(StartInfo([net, dtype, dataDirectory], threads), $"numpy {net} {dtype}", out error);

    /// <summary>Deletes the records.</summary>
    public void Dispose()
    {
        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    /// <summary>The script run to its end, OpenBLAS saying on stderr which core's kernels it chose.</summary>
    private (int Exit, string Output, string Error) RunScript(IEnumerable<string> arguments, int threads, TimeSpan timeout)
    {
        ProcessStartInfo start = StartInfo(arguments, threads);
        start.Environment["OPENBLAS_VERBOSE"] = "2";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Python} did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, output.Result, $"timed out after {timeout.TotalSeconds:0} s");
        }

        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The script with <paramref name="arguments"/>, its output read by the bench, numpy's BLAS on
    /// <paramref name="threads"/> threads.</summary>
    private ProcessStartInfo StartInfo(IEnumerable<string> arguments, int threads)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        string count = threads.ToString(CultureInfo.InvariantCulture);
        start.Environment["OPENBLAS_NUM_THREADS"] = count;
        start.Environment["OMP_NUM_THREADS"] = count;
        if (coreType is not null)
        {
            start.Environment["OPENBLAS_CORETYPE"] = coreType;
        }

        return start;
    }

    private void WriteFloats(string name, float[] values)
    {
        using var file = File.Create(Path.Combine(dataDirectory, name));
        file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }

    private void WriteInts(string name, int[] values)
    {
        using var file = File.Create(Path.Combine(dataDirectory, name));
        file.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
    }
}
