using System.Diagnostics;
using Graph.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Graph.Tests.Generator.Fuzzing;

/// <summary>
/// Runs the generator over mutated sample models and judges each case. A case passes when the generator neither
/// throws (CS8785) nor reports an internal error (GRAPH099), no error lies in a generated file, and the generated
/// code adds no error to the user's file where the mutated code has none of its own. It then either compiled
/// (no error at all), or stopped at GRAPH diagnostics, or the mutated code has errors of its own.
/// </summary>
public sealed class GeneratorFuzzer
{
    /// <summary>How long one case may take before it counts as a hang (the machine may be loaded).</summary>
    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(60);

    private readonly List<Seed> seeds;

    public GeneratorFuzzer(IEnumerable<string> modelFiles)
    {
        seeds = modelFiles.Select(file =>
        {
            string source = File.ReadAllText(file);
            var compilation = GeneratorHarness.Compile(source);
            return new Seed(Path.GetFileNameWithoutExtension(file), source, compilation, compilation.SyntaxTrees.Single());
        }).ToList();
    }

    /// <summary>The model files the fuzzer mutates: every sample model and every snapshot test model.</summary>
    public static IEnumerable<string> SampleModelFiles(bool includeLarge) =>
        Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "samples"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "tests", "Graph.Tests", "Snapshots", "Models"), "*.cs"))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && File.ReadAllText(f).Contains("[Model", StringComparison.Ordinal)

                // The LSTM unrolls 25 steps into a 1.9 MB file: a case takes seconds, too long for the test suite.
                && (includeLarge || Path.GetFileName(f) != "ShakespeareLstm.cs"))
            .OrderBy(f => f, StringComparer.Ordinal);

    /// <summary>Runs case <paramref name="index"/> of the run seeded <paramref name="seed"/>: one seed model, one to three mutations.</summary>
    public FuzzCase Run(int seed, int index)
    {
        var random = new Random(unchecked((seed * 1_000_003) + index));
        var model = seeds[random.Next(seeds.Count)];
        var mutator = new ModelMutator(random);
        string source = mutator.Mutate(model.Source, 1 + random.Next(3));
        var stopwatch = Stopwatch.StartNew();
        var (outcome, ids, failure) = Judge(model, source);
        return new FuzzCase(index, model.Name, mutator.Applied, source, outcome, ids, failure, stopwatch.Elapsed);
    }

    private static (FuzzOutcome Outcome, IReadOnlyList<string> GraphIds, string? Failure) Judge(Seed model, string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: model.Tree.FilePath);
        var compilation = model.Compilation.ReplaceSyntaxTree(model.Tree, tree);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new GraphGenerator().AsSourceGenerator() }, parseOptions: GeneratorHarness.ParseOptions);
        Compilation output;
        System.Collections.Immutable.ImmutableArray<Diagnostic> diagnostics;
        using (var limit = new CancellationTokenSource(CaseLimit))
        {
            try
            {
                driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out output, out diagnostics, limit.Token);
            }
            catch (OperationCanceledException)
            {
                return (FuzzOutcome.Failed, Array.Empty<string>(), $"the generator ran past {CaseLimit.TotalSeconds} s");
            }
        }

        var ids = diagnostics.Where(d => d.Id.StartsWith("GRAPH", StringComparison.Ordinal)).Select(d => d.Id).ToList();
        var exception = driver.GetRunResult().Results.Select(r => r.Exception).FirstOrDefault(e => e is not null);
        if (exception is not null)
        {
            return (FuzzOutcome.Failed, ids, "the generator threw: " + exception);
        }

        var problem = diagnostics.FirstOrDefault(d => d.Id is "CS8785" or "GRAPH099");
        if (problem is not null)
        {
            return (FuzzOutcome.Failed, ids, problem.ToString());
        }

        var userTree = output.SyntaxTrees.First(t => t.FilePath == model.Tree.FilePath);
        foreach (var generated in output.SyntaxTrees.Where(t => t != userTree))
        {
            var error = output.GetSemanticModel(generated).GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
            if (error is not null)
            {
                return (FuzzOutcome.Failed, ids, "error in generated code: " + error);
            }
        }

        var userErrors = Errors(output, userTree);
        if (userErrors.Count == 0)
        {
            return (ids.Count == 0 ? FuzzOutcome.Compiled : FuzzOutcome.Diagnosed, ids, ids.Count == 0 ? null : null);
        }

        // The generated code may remove errors (a partial property gets its implementation), never add one where the
        // user's code has none. Where it has one, the generated members may change which (a name that did not exist,
        // CS0103, becomes a generated method used as a value, CS0119): the code was broken there before.
        var own = new HashSet<(int, int)>(Errors(compilation, tree).Select(d => (d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)));
        var added = userErrors.FirstOrDefault(d => !own.Contains((d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)));
        if (added is not null)
        {
            return (FuzzOutcome.Failed, ids, "the generated code adds an error to the user's file: " + added);
        }

        return (ids.Count == 0 ? FuzzOutcome.UserErrors : FuzzOutcome.Diagnosed, ids, null);
    }

    private static List<Diagnostic> Errors(Compilation compilation, SyntaxTree tree) =>
        compilation.GetSemanticModel(tree).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("GRAPH", StringComparison.Ordinal)).ToList();

    private sealed record Seed(string Name, string Source, CSharpCompilation Compilation, SyntaxTree Tree);
}

/// <summary>How a case ended.</summary>
public enum FuzzOutcome
{
    /// <summary>No error anywhere: the generated code compiles with the mutated model.</summary>
    Compiled,

    /// <summary>The generator stopped at GRAPH diagnostics; nothing else failed.</summary>
    Diagnosed,

    /// <summary>No GRAPH diagnostic, but the mutated code has errors of its own (a renamed member still used); none in generated code.</summary>
    UserErrors,

    /// <summary>A crash: an exception, CS8785, GRAPH099, an error in generated code, or one the generated code added.</summary>
    Failed,
}

/// <summary>One case: which model, the mutations, the mutated source, and how it ended.</summary>
public sealed record FuzzCase(int Index, string Model, IReadOnlyList<string> Mutations, string Source, FuzzOutcome Outcome, IReadOnlyList<string> GraphIds, string? Failure, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"case {Index} ({Model}): {Failure}\n  mutations: {string.Join("; ", Mutations)}\n--- source ---\n{Source}\n--------------";
}
