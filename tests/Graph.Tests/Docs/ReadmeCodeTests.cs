using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Graph.Generator;
using Graph.Tests.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Graph.Tests.Docs;

/// <summary>
/// The README's code as a reader copies it: every <c>```csharp</c> block is a whole program that compiles, with the
/// generator, in a console project referencing the Graph package, and runs to its end.
/// </summary>
public sealed partial class ReadmeCodeTests
{
    /// <summary>The global usings the .NET SDK adds to a console project with ImplicitUsings enabled.</summary>
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    private static string Readme { get; } = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "README.md"));

    public static TheoryData<int> CSharpBlocks()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < CSharpBlock().Matches(Readme).Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void TheReadmeHasTheExamplesThisTestCompiles() =>
        Assert.True(CSharpBlock().Matches(Readme).Count >= 2, "README.md has fewer C# blocks than its model example and its gradient check.");

    /// <summary>Compiles block <paramref name="index"/> (counted from 0 in the README's order) and runs its entry point.</summary>
    [Theory]
    [MemberData(nameof(CSharpBlocks))]
    public void ACSharpBlockCompilesAndRuns(int index)
    {
        string code = CSharpBlock().Matches(Readme)[index].Groups[1].Value;
        int line = Readme[..CSharpBlock().Matches(Readme)[index].Index].Count(c => c == '\n') + 2;
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "ReadmeBlock" + index,
            [CSharpSyntaxTree.ParseText(code, parse, path: "README.md"), CSharpSyntaxTree.ParseText(ImplicitUsings, parse, path: "GlobalUsings.g.cs")],
            GeneratorHarness.References,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create([new GraphGenerator().AsSourceGenerator()], parseOptions: parse)
            .RunGeneratorsAndUpdateCompilation(compilation, out var generated, out var generatorDiagnostics);
        var problems = generatorDiagnostics.Concat(generated.GetDiagnostics())
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => d.ToString())
            .ToList();
        Assert.True(problems.Count == 0, $"The C# block at README.md line {line} does not compile cleanly:\n{string.Join('\n', problems)}");

        using var image = new MemoryStream();
        var emitted = generated.Emit(image);
        Assert.True(emitted.Success, string.Join('\n', emitted.Diagnostics));
        image.Position = 0;
        var context = new AssemblyLoadContext("ReadmeBlock" + index, isCollectible: true);
        try
        {
            var entry = context.LoadFromStream(image).EntryPoint!;
            try
            {
                entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
            }
            catch (TargetInvocationException thrown)
            {
                Assert.Fail($"The C# block at README.md line {line} compiles but throws when run: {thrown.InnerException}");
            }
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>The package reference the README shows names the version this build packs.</summary>
    [Fact]
    public void ThePackageReferenceNamesThisVersion()
    {
        string version = typeof(Graph.Runtime.Guard).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        Assert.Contains($"<PackageReference Include=\"Graph\" Version=\"{version}\" />", Readme, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^```csharp\n(.*?)^```$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
