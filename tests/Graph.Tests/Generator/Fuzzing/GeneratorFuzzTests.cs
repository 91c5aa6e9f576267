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
/// (<c>GRAPH_FUZZ_SEED</c> picks another seed; <c>GRAPH_FUZZ_REPORT</c> names a file for the counts and every failure).
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
        var fuzzer = new GeneratorFuzzer(GeneratorFuzzer.SampleModelFiles(includeLarge: cases > DefaultCases));
        var counts = new Dictionary<FuzzOutcome, int>();
        var ids = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<FuzzCase>();
        var slowest = default(FuzzCase);
        var stopwatch = Stopwatch.StartNew();
        var processor = Process.GetCurrentProcess().TotalProcessorTime;
        for (int i = 0; i < cases; i++)
        {
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
        }

        var report = new StringBuilder();
        // Processor time as well as wall time: on a loaded machine the wall time says little.
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - processor).TotalSeconds;
        report.AppendLine(CultureInfo.InvariantCulture, $"seed {seed}: {cases} cases in {stopwatch.Elapsed.TotalSeconds:F1} s, {cpu:F1} s of processor time (slowest {slowest?.Elapsed.TotalSeconds:F2} s, case {slowest?.Index} of {slowest?.Model})");
        foreach (FuzzOutcome outcome in Enum.GetValues(typeof(FuzzOutcome)))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"{outcome}: {counts.GetValueOrDefault(outcome)}");
        }

        report.AppendLine("cases with each GRAPH diagnostic: " + string.Join(", ", ids.Select(p => $"{p.Key} {p.Value}")));
        foreach (var failure in failures)
        {
            report.AppendLine(failure.ToString());
        }

        output.WriteLine(report.ToString());
        if (Environment.GetEnvironmentVariable("GRAPH_FUZZ_REPORT") is { Length: > 0 } path)
        {
            File.WriteAllText(path, report.ToString());
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases failed; the first:\n{failures.FirstOrDefault()}");

        // The mutations must reach both ends: models that still compile and models the generator refuses.
        Assert.True(counts.GetValueOrDefault(FuzzOutcome.Compiled) > cases / 20, report.ToString());
        Assert.True(counts.GetValueOrDefault(FuzzOutcome.Diagnosed) > cases / 5, report.ToString());
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
