using System.Collections.Immutable;
using Graph.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Graph.Tests.Generator;

/// <summary>Runs the generator over source text in memory, as the compiler would in a user's build.</summary>
public static class GeneratorHarness
{
    /// <summary>How every test parses C#: the latest language version.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private static readonly ImmutableArray<MetadataReference> References = LoadReferences();

    /// <summary>A compilation of the given sources against the framework, Graph.Dsl and Graph.Runtime.</summary>
    public static CSharpCompilation Compile(params string[] sources) => CSharpCompilation.Create(
        "UserModels",
        sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Model{i}.cs")),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));

    /// <summary>A driver that records each pipeline step, for caching tests.</summary>
    public static GeneratorDriver CreateDriver() => CSharpGeneratorDriver.Create(
        new[] { new GraphGenerator().AsSourceGenerator() },
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns its diagnostics, the generated sources and the diagnostics of the whole compiled output.</summary>
    public static GeneratorResult Run(params string[] sources)
    {
        var compilation = Compile(sources);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        var result = driver.GetRunResult();
        var generated = result.GeneratedTrees.ToDictionary(t => Path.GetFileName(t.FilePath), t => t.GetText().ToString());
        var compileErrors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        return new GeneratorResult(generatorDiagnostics, generated, compileErrors, result.Results.SelectMany(r => r.Exception is null ? [] : new[] { r.Exception }).ToList());
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var paths = trusted.Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(Graph.Tensor).Assembly.Location)
            .Append(typeof(Graph.Runtime.Guard).Assembly.Location)
            .Distinct();
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}

/// <summary>What one generator run produced.</summary>
public sealed record GeneratorResult(
    ImmutableArray<Diagnostic> Diagnostics,
    IReadOnlyDictionary<string, string> Sources,
    IReadOnlyList<Diagnostic> CompileErrors,
    IReadOnlyList<Exception> Exceptions);
