using System.Globalization;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Graph.Bench;
using Graph.Bench.Benchmarks;
using Graph.Bench.Checks;
using Graph.Bench.Data;
using Graph.Bench.Report;
using Graph.Runtime;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

const string Usage = """
    usage: dotnet run -c Release --project bench/Graph.Bench -- [command] [options]

    commands:
      table      the six networks' steps (N1-N6) against numpy and TorchSharp, Graph at each thread count, the
                 products' share of the FMA peak and the targets: the table of docs/performance.md
      lstm       the character LSTM's step (chapter 14, batch 32 and 16) against TorchSharp's nn.LSTM and the book's
                 numpy framework, with its share of the FMA peak and the targets, after a check that Graph and
                 TorchSharp compute the same step
      kernels    stopwatch timings of every GEMM kernel on the networks' products, the dropout masks, im2col, tanh
      skinny     the direct GEMM kernel's two register-tile plans (6×2 and 8×3) on the skinny products of the LSTM
                 and the MNIST networks, with B cycled through 8 matrices as a step does and with one B
      tails      the direct GEMM kernel's ways of computing the last n mod W columns (one vector per row, and the
                 one the shape gets: the transposed product, or dot products along the depth) on the products that
                 have them, as skinny times them
      prefetch   the direct GEMM kernel with and without its prefetch of B (the first tile of each strip asks for
                 the strip's rows 16 steps ahead) on the skinny products, as skinny times them
      all        (default) machine facts, sanity check, every benchmark, the step breakdown, the results table
      networks   the sanity check and the four training-step benchmarks (N1-N4)
      gemm       the GEMM benchmark at n = 128..1024 and the FMA-peak probe
      check      only the sanity check (Graph, TorchSharp and the naive loops compute the same step)
      breakdown  only the stopwatch breakdown of Graph's N1-N4 steps
      machine    only the machine facts
      embeddings stopwatch timings of chapter 11's sentiment and fill-in-the-blank steps on the IMDB reviews
      cnn        stopwatch timings of chapter 10's CNN step (batch 128) and of the runtime calls it makes
      convolutions  a convolution computed from the images against im2col and the GEMMs, on single- and
                 multi-channel shapes: the evidence for the compiler's choice between the two
      compile    how long the generator takes per sample model
      tanh       how far TensorPrimitives.Tanh and the runtime's Kernels.Tanh lie from Math.Tanh, by input magnitude,
                 and how long tanh over 1.28M values takes at each vector width
      modpow     a Paillier encryption's rⁿ mod n² by BigInteger.ModPow and by Graph.Crypto's ModularPower
      threads    what a second thread costs and gains: the cores' round trip, an empty pool call, N3's two
                 products alone and in turn, the CNN's numpy dropout mask, at one and two threads
      drift      how the machine's speed drifts within one process: one network's Graph step (--nets N2 by
                 default, N1-N4) for --seconds (default 60), the median step of each quarter second in order
      profile    each network's Graph step (N1-N6, or --nets) with a StepProfile set, at each --threads count
                 (default 1,2): every step's µs where it runs in the training step, and the step's time with and
                 without the profile (--seconds for each per network and thread count, default 3)
    options:
      --threads 1,2   Graph's thread counts: the table's columns (default 1,2); the other commands use the first
                      (default 1; lstm's TorchSharp and numpy columns stay on one thread)
      --seconds S     the table's (and lstm's and profile's) timing per configuration and network, in seconds (default 3)
      --nets N3,N4    the table's (and profile's) networks (default all six, N1-N6)
      --random-data   random MNIST-like records even where the real MNIST files are found
      --verbose       BenchmarkDotNet's full log (every iteration)
    environment: GRAPH_BENCH_NO_TORCH=1 skips TorchSharp.
    """;

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
string[] optionValues = [.. new[] { "--threads", "--seconds", "--nets" }.Select(Option).OfType<string>()];
string command = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !optionValues.Contains(a)) ?? "all";
bool verbose = args.Contains("--verbose");
BenchData.UseRealMnist = !args.Contains("--random-data");
if (command is "help" or "-h" || args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(Usage);
    return 0;
}

string[] commands = ["table", "lstm", "kernels", "skinny", "tails", "prefetch", "all", "networks", "gemm", "check", "breakdown", "machine", "embeddings", "cnn", "convolutions", "compile", "threads", "tanh", "modpow", "drift", "profile"];
if (!commands.Contains(command))
{
    Console.Error.WriteLine($"unknown command '{command}'");
    Console.Error.WriteLine(Usage);
    return 2;
}

int[] threadCounts = [1, 2];
double seconds = 3;
try
{
    if (Option("--threads") is { } threadList)
    {
        threadCounts = [.. threadList.Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture))];
    }

    if (Option("--seconds") is { } secondsText)
    {
        seconds = double.Parse(secondsText, CultureInfo.InvariantCulture);
    }

    Parallelism.Threads = Option("--threads") is null ? 1 : threadCounts[0];
}
catch (Exception e) when (e is FormatException or OverflowException or ArgumentOutOfRangeException)
{
    Console.Error.WriteLine($"--threads takes thread counts from 1 to {Parallelism.MaxThreads} separated by commas, --seconds a number: {e.Message}");
    return 2;
}

var output = Console.Out;
output.WriteLine($"Graph.Bench {command} — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
output.WriteLine();
var startReading = MachineInfo.CpuReading.Now();
var facts = MachineInfo.Facts();
output.WriteLine("Machine");
foreach (var (name, value) in facts)
{
    output.WriteLine($"- {name}: {value}");
}

output.WriteLine();
output.WriteLine($"Data: N1 {BenchData.Streetlights().Source}; N2-N4 {BenchData.Mnist(100, 1).Source}");
output.WriteLine();
if (command == "machine")
{
    return 0;
}

if (command == "embeddings")
{
    EmbeddingSteps.Run(output);
    return 0;
}

if (command == "threads")
{
    ThreadCosts.Run(output);
    return 0;
}

if (command == "drift")
{
    SpeedDrift.Run(output, Option("--nets") ?? "N2", Option("--seconds") is null ? 60 : seconds);
    return 0;
}

if (command == "cnn")
{
    ConvolutionSteps.Run(output);
    return 0;
}

if (command == "convolutions")
{
    ConvolutionTable.Run(output);
    return 0;
}

if (command == "compile")
{
    GeneratorTimes.Run(output);
    output.WriteLine();
    output.WriteLine($"- load average (1, 5, 15 min) at the end: {MachineInfo.LoadAverage()}");
    return 0;
}

if (command == "modpow")
{
    ModularPowerTable.Run(output);
    return 0;
}

if (command == "tanh")
{
    TanhPrecision.Run(output);
    output.WriteLine();
    TanhSpeed.Run(output);
    return 0;
}

if (command == "kernels")
{
    KernelTable.Run(output);
    return 0;
}

if (command == "skinny")
{
    SkinnyTable.Run(output);
    return 0;
}

if (command == "tails")
{
    SkinnyTable.RunTails(output);
    return 0;
}

if (command == "prefetch")
{
    SkinnyTable.RunPrefetch(output);
    return 0;
}

if (command == "table")
{
    HashSet<string>? nets = Option("--nets") is { } netList ? [.. netList.Split(',')] : null;
    StepTable.Run(output, threadCounts, seconds, nets);
    output.WriteLine();
    output.WriteLine($"- core-to-core round trip of a cache line at the end: {CoreRoundTrip.Measure()}");
    output.WriteLine($"- load average (1, 5, 15 min) at the end: {MachineInfo.LoadAverage()}");
    double tableLoad = MachineInfo.OtherLoad(startReading, MachineInfo.CpuReading.Now());
    output.WriteLine($"- CPU used by other processes during the run: {(double.IsNaN(tableLoad) ? "n/a" : $"{tableLoad:0.00} cores on average")} of {Environment.ProcessorCount}");
    return 0;
}

if (command == "profile")
{
    HashSet<string>? nets = Option("--nets") is { } netList ? [.. netList.Split(',')] : null;
    StepProfiles.Run(output, threadCounts, seconds, nets);
    return 0;
}

if (command == "lstm")
{
    bool same = LstmSteps.Run(output, seconds, threadCounts[0]);
    output.WriteLine();
    output.WriteLine($"- load average (1, 5, 15 min) at the end: {MachineInfo.LoadAverage()}");
    double lstmLoad = MachineInfo.OtherLoad(startReading, MachineInfo.CpuReading.Now());
    output.WriteLine($"- CPU used by other processes during the run: {(double.IsNaN(lstmLoad) ? "n/a" : $"{lstmLoad:0.00} cores on average")} of {Environment.ProcessorCount}");
    return same ? 0 : 1;
}

bool checkPassed = true;
if (command is "all" or "networks" or "check")
{
    checkPassed = EquivalenceCheck.Run(output);
    if (command == "check")
    {
        return checkPassed ? 0 : 1;
    }
}

Summary? summary = null;
if (command is "all" or "networks" or "gemm")
{
    var types = new List<Type>();
    if (command is "all" or "gemm")
    {
        types.Add(typeof(FmaPeakBenchmark));
        types.Add(typeof(GemmBenchmark));
    }

    if (command is "all" or "networks")
    {
        types.AddRange([typeof(N1Streetlights), typeof(N2MnistRelu), typeof(N3MnistDropout), typeof(N4MnistTanhSoftmax)]);
    }

    summary = BenchmarkRunner.Run([.. types], BenchConfig.Create(verbose)).Single();
    output.WriteLine();
}

var breakdowns = new List<(NetworkSpec Spec, IReadOnlyList<BreakdownPart> Parts)>();
if (command is "all" or "breakdown")
{
    foreach (NetworkBenchmark benchmark in NetworkBenchmark.All())
    {
        breakdowns.Add((benchmark.Spec, StepBreakdown.Measure(benchmark)));
    }
}

// The report: printed last, and saved beside BenchmarkDotNet's artifacts.
var report = new StringWriter();
report.WriteLine("# Graph.Bench results");
report.WriteLine();
report.WriteLine($"Command: `dotnet run -c Release --project bench/Graph.Bench -- {string.Join(' ', args.DefaultIfEmpty("all"))}`, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
report.WriteLine();
foreach (var (name, value) in facts)
{
    report.WriteLine($"- {name}: {value}");
}

report.WriteLine($"- load average (1, 5, 15 min) at the end: {MachineInfo.LoadAverage()}");
double otherLoad = MachineInfo.OtherLoad(startReading, MachineInfo.CpuReading.Now());
report.WriteLine($"- CPU used by other processes during the run: {(double.IsNaN(otherLoad) ? "n/a" : $"{otherLoad:0.00} cores on average")}" +
    (otherLoad > 0.25 ? $" of {Environment.ProcessorCount}: the timings are inflated by contention; rerun on an idle machine" : ""));
report.WriteLine($"- data: N1 {BenchData.Streetlights().Source}; N2-N4 {BenchData.Mnist(100, 1).Source}");
report.WriteLine($"- sanity check (same loss and update in one step): {(command is "all" or "networks" ? (checkPassed ? "passed" : "FAILED") : "not run")}");
report.WriteLine();
if (summary is not null)
{
    ResultTable.Print(summary, report);
}

foreach (var (spec, parts) in breakdowns)
{
    StepBreakdown.Print(spec, parts, report);
}

string text = report.ToString();
output.WriteLine(text);
Directory.CreateDirectory(BenchConfig.ArtifactsPath);
string saved = Path.Combine(BenchConfig.ArtifactsPath, "graph-bench-results.md");
File.WriteAllText(saved, text);
output.WriteLine($"(saved to {saved})");
return checkPassed ? 0 : 1;
