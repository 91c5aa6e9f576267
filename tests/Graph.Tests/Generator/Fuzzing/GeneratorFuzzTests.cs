using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace Graph.Tests.Generator.Fuzzing;

/// <summary>
/// The generator never throws and never emits code that does not compile, on 2,000 seeded mutations of the sample
/// models. The same test runs any number of cases from the command line:
/// <c>GRAPH_FUZZ_CASES=100000 dotnet test tests/Graph.Tests -c Release --filter FullyQualifiedName~GeneratorFuzzTests</c>
/// (<c>GRAPH_FUZZ_SEED</c> picks another seed; <c>GRAPH_FUZZ_FIRST</c> the first case, so that
/// <c>GRAPH_FUZZ_FIRST=44594 GRAPH_FUZZ_CASES=1</c> reruns one case; <c>GRAPH_FUZZ_REPORT</c> names a file for the counts
/// and every failure, and while the run lasts REPORT.current names the case being run, so a case that takes the test
/// host down is known).
/// </summary>
public sealed class GeneratorFuzzTests
{
    private const int DefaultCases = 2000;
    private const int DefaultSeed = 20240611;

    private readonly ITestOutputHelper output;

    public GeneratorFuzzTests(ITestOutputHelper output) => this.output = output;

    [Fact]
    public void MutatedModelsGetCompilingCodeOrGraphDiagnosticsOnly()
    {
        int cases = Setting("GRAPH_FUZZ_CASES", DefaultCases);
        int seed = Setting("GRAPH_FUZZ_SEED", DefaultSeed);
        int first = Setting("GRAPH_FUZZ_FIRST", 0);
        string? reportPath = Environment.GetEnvironmentVariable("GRAPH_FUZZ_REPORT") is { Length: > 0 } named ? named : null;
        // A run from the command line (GRAPH_FUZZ_CASES set) mutates every model; the suite's leaves out the largest.
        var fuzzer = new GeneratorFuzzer(GeneratorFuzzer.SampleModelFiles(includeLarge: Environment.GetEnvironmentVariable("GRAPH_FUZZ_CASES") is { Length: > 0 }));
        var counts = new Dictionary<FuzzOutcome, int>();
        var ids = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<FuzzCase>();
        var slowest = default(FuzzCase);
        var stopwatch = Stopwatch.StartNew();
        var processor = Process.GetCurrentProcess().TotalProcessorTime;
        for (int i = first; i < first + cases; i++)
        {
            if (reportPath is not null)
            {
                File.WriteAllText(reportPath + ".current", $"seed {seed} case {i}\n");
            }

            var result = fuzzer.Run(seed, i);
            counts[result.Outcome] = counts.GetValueOrDefault(result.Outcome) + 1;
            foreach (string id in result.GraphIds.Distinct())
            {
                ids[id] = ids.GetValueOrDefault(id) + 1;
            }

            if (result.Outcome == FuzzOutcome.Failed)
            {
                failures.Add(result);
            }

            if (slowest is null || result.Elapsed > slowest.Elapsed)
            {
                slowest = result;
            }

            // A long run keeps its report current, so that a run stopped part way still has its counts.
            if (reportPath is not null && (i - first + 1) % 1000 == 0)
            {
                File.WriteAllText(reportPath, Report(i - first + 1));
            }
        }

        string report = Report(cases);
        output.WriteLine(report);
        if (reportPath is not null)
        {
            File.WriteAllText(reportPath, report);
            File.Delete(reportPath + ".current");
        }

        string Report(int run)
        {
            var report = new StringBuilder();

            // Processor time as well as wall time: on a loaded machine the wall time says little.
            double cpu = (Process.GetCurrentProcess().TotalProcessorTime - processor).TotalSeconds;
            report.AppendLine(CultureInfo.InvariantCulture, $"seed {seed}: {run} of {cases} cases from {first} in {stopwatch.Elapsed.TotalSeconds:F1} s, {cpu:F1} s of processor time (slowest {slowest?.Elapsed.TotalSeconds:F2} s, case {slowest?.Index} of {slowest?.Model})");
            foreach (FuzzOutcome outcome in Enum.GetValues(typeof(FuzzOutcome)))
            {
                report.AppendLine(CultureInfo.InvariantCulture, $"{outcome}: {counts.GetValueOrDefault(outcome)}");
            }

            report.AppendLine("cases with each GRAPH diagnostic: " + string.Join(", ", ids.Select(p => $"{p.Key} {p.Value}")));
            foreach (var failure in failures)
            {
                report.AppendLine(failure.ToString());
            }

            return report.ToString();
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed; the first:\n{failures.FirstOrDefault()}");

        // The mutations must reach both ends: models that still compile and models the generator refuses (a run of a
        // few cases, one rerun, is too small to say).
        if (cases < 100)
        {
            return;
        }

        Assert.True(counts.GetValueOrDefault(FuzzOutcome.Compiled) > cases / 20, report);
        Assert.True(counts.GetValueOrDefault(FuzzOutcome.Diagnosed) > cases / 5, report);
    }

    [Fact]
    public void TheSameSeedMakesTheSameCases()
    {
        var fuzzer = new GeneratorFuzzer(GeneratorFuzzer.SampleModelFiles(includeLarge: false).Take(3));
        for (int i = 0; i < 5; i++)
        {
            var first = fuzzer.Run(DefaultSeed, i);
            var second = fuzzer.Run(DefaultSeed, i);
            Assert.Equal(first.Source, second.Source);
            Assert.Equal(first.Outcome, second.Outcome);
            Assert.Equal(first.GraphIds, second.GraphIds);
        }
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;
}
