using System.Collections.Immutable;
using System.Diagnostics;
using Graph.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Graph.Bench.Report;

/// <summary>
/// How long the generator takes per model: every sample model's file compiled on its own, and the generator run over
/// it as a build runs it (discovery, the compiler's stages and the printers), with a fresh driver each time so that
/// nothing is cached.
/// </summary>
/// <remarks>
/// The first run pays for compiling the generator's own code (JIT), as the first build in a compiler server does; it
/// is printed apart. Each model then runs <c>rounds</c> times: the median wall-clock time and the median CPU time of
/// the calling thread (the driver runs the generator on it), which leaves out the time spent waiting for a core on
/// a shared machine.
/// </remarks>
public static class GeneratorTimes
{
    /// <summary>The budget the generator keeps per model.</summary>
    private const double BudgetMilliseconds = 100;

    /// <summary>Runs and prints the table, slowest model first.</summary>
    public static void Run(TextWriter output, int rounds = 15)
    {
        string root = RepositoryRoot();
        var references = References();
        var files = Directory.GetFiles(Path.Combine(root, "samples"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && File.ReadAllText(f).Contains("[Model", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

        var rows = new List<(string Model, int Lines, double Wall, double Cpu)>();
        double firstRun = double.NaN;
        foreach (string file in files)
        {
            var compilation = CSharpCompilation.Create(
                "Models",
                [CSharpSyntaxTree.ParseText(File.ReadAllText(file), new CSharpParseOptions(LanguageVersion.Latest), path: file)],
                references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
            var walls = new List<double>();
            var cpus = new List<double>();
            GeneratorDriverRunResult? result = null;
            for (int round = 0; round <= rounds; round++)
            {
                // A compilation that has not bound anything yet, as a build gives the generator.
                var fresh = compilation.Clone();
                GeneratorDriver driver = CSharpGeneratorDriver.Create(new GraphGenerator());
                double cpu0 = ThreadCpuTime.Seconds();
                long start = Stopwatch.GetTimestamp();
                driver = driver.RunGenerators(fresh);
                double wall = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                double cpu = (ThreadCpuTime.Seconds() - cpu0) * 1e3;
                result = driver.GetRunResult();
                if (round == 0)
                {
                    firstRun = double.IsNaN(firstRun) ? wall : firstRun;
                    continue;
                }

                walls.Add(wall);
                cpus.Add(cpu);
            }

            if (result!.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) || result.GeneratedTrees.Length != 1)
            {
                throw new InvalidOperationException($"{file}: the generator did not produce one file without errors.");
            }

            var tree = result.GeneratedTrees[0];
            rows.Add((Path.GetFileName(tree.FilePath).Replace(".g.cs", string.Empty, StringComparison.Ordinal), tree.GetText().Lines.Count, Statistics.Median(walls), Statistics.Median(cpus)));
        }

        output.WriteLine($"Generator time per model ({files.Count} sample models, each compiled alone, median of {rounds} runs with a fresh driver; budget {BudgetMilliseconds:0} ms)");
        output.WriteLine($"- first run of all (compiles the generator's code, JIT): {firstRun:0.0} ms");
        output.WriteLine();
        output.WriteLine("| model | generated lines | wall ms | thread CPU ms |");
        output.WriteLine("|---|---:|---:|---:|");
        foreach (var row in rows.OrderByDescending(r => r.Cpu))
        {
            output.WriteLine($"| {row.Model} | {row.Lines:N0} | {row.Wall:0.0} | {row.Cpu:0.0} |");
        }

        output.WriteLine();
        var slowest = rows.MaxBy(r => double.IsNaN(r.Cpu) ? r.Wall : r.Cpu);
        output.WriteLine($"- slowest: {slowest.Model}, {slowest.Cpu:0.0} ms of thread CPU ({slowest.Wall:0.0} ms wall): "
            + (Math.Max(slowest.Cpu, 0) <= BudgetMilliseconds ? "within" : "OVER") + $" the {BudgetMilliseconds:0} ms budget");
    }

    /// <summary>The framework, Graph.Dsl and Graph.Runtime, as a user's model compiles against.</summary>
    private static ImmutableArray<MetadataReference> References()
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return [.. trusted.Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(Graph.Tensor).Assembly.Location)
            .Append(typeof(Graph.Runtime.Guard).Assembly.Location)
            .Distinct()
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    /// <summary>The folder holding Graph.sln, above the bench's binaries.</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Graph.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Graph.sln above {AppContext.BaseDirectory}: run the bench from its repository.");
    }
}
