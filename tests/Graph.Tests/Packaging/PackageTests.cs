using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Text.RegularExpressions;
using Graph.Tests.Datasets;
using Xunit;

namespace Graph.Tests.Packaging;

/// <summary>
/// The packages as a user gets them: the core package Graph and the template package, packed from this build into a
/// folder feed and used by a project that knows nothing of this repository.
/// </summary>
public sealed partial class PackageTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    /// <summary>The version every package of this build has (Directory.Build.props).</summary>
    private static string Version { get; } = typeof(Graph.Runtime.Guard).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    /// <summary>
    /// Packs Graph and Graph.Templates, instantiates the <c>graph-model</c> template in a temporary folder, builds it
    /// against the packed Graph alone (the folder feed; its dependencies from the machine's NuGet packages) and runs
    /// it: the generator in the package compiles the template's model and its training brings the loss down.
    /// </summary>
    [Fact]
    public void ATemplateProjectBuildsAgainstThePackageAndTrains()
    {
        using var temporary = new TemporaryDirectory();
        string feed = temporary.CreateDirectory("feed");
        string root = TestData.RepositoryRoot;
        foreach (string project in new[] { "src/Runtime/Graph.Runtime.csproj", "templates/Graph.Templates/Graph.Templates.csproj" })
        {
            DotnetCommand.Run(root, Limit, "pack", Path.Combine(root, project), "-c", DotnetCommand.Configuration, "--no-build", "-o", feed);
        }

        string package = Path.Combine(feed, $"Graph.{Version}.nupkg");
        using (var archive = ZipFile.OpenRead(package))
        {
            Assert.Equal(
                ["analyzers/dotnet/cs/Graph.Generator.dll", "lib/net10.0/Graph.Dsl.dll", "lib/net10.0/Graph.Runtime.dll"],
                archive.Entries.Select(e => e.FullName).Where(n => n.EndsWith(".dll", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        }

        // The template engine keeps its own settings in the given folder, so the user's installed templates are untouched.
        string hive = temporary.CreateDirectory("template-hive");
        DotnetCommand.Run(temporary.Path, Limit, "new", "install", Path.Combine(feed, $"Graph.Templates.{Version}.nupkg"), "--debug:custom-hive", hive);
        string app = Path.Combine(temporary.Path, "CircleDemo");
        DotnetCommand.Run(temporary.Path, Limit, "new", "graph-model", "-n", "CircleDemo", "-o", app, "--debug:custom-hive", hive);
        Assert.Contains($"<PackageReference Include=\"Graph\" Version=\"{Version}\" />", File.ReadAllText(Path.Combine(app, "CircleDemo.csproj")), StringComparison.Ordinal);

        // The feed is added to the machine's sources; packages restore into a folder of the test's own, so a Graph of
        // the same version restored earlier elsewhere cannot stand in for the one just packed.
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="graph-packed" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        string packages = Path.Combine(temporary.Path, "packages");
        DotnetCommand.Run(app, Limit, "build", "-c", "Release", "-nodeReuse:false",
            $"-p:RestorePackagesPath={packages}", $"-p:RestoreFallbackFolders={GlobalPackagesFolder()}");
        Assert.True(Directory.Exists(Path.Combine(packages, "graph", Version)),
            $"Graph {Version} was not restored from the packed feed but from {GlobalPackagesFolder()}; remove its graph/{Version} folder.");

        string output = DotnetCommand.Run(app, Limit, Path.Combine("bin", "Release", "net10.0", "CircleDemo.dll"));
        var losses = LossLine().Matches(output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(losses.Length == 20, $"expected 20 epochs, got:\n{output}");
        Assert.True(losses[^1] < losses[0] / 2, $"the loss did not fall to half its first value:\n{output}");
        var accuracy = AccuracyLine().Match(output);
        Assert.True(accuracy.Success, output);
        Assert.True(int.Parse(accuracy.Groups[1].Value, CultureInfo.InvariantCulture) > 0.9 * int.Parse(accuracy.Groups[2].Value, CultureInfo.InvariantCulture), output);
    }

    /// <summary>Where NuGet keeps the packages it has restored on this machine.</summary>
    private static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    [GeneratedRegex(@"^epoch \d+: loss (\S+)$", RegexOptions.Multiline)]
    private static partial Regex LossLine();

    [GeneratedRegex(@"^accuracy: (\d+) of (\d+)$", RegexOptions.Multiline)]
    private static partial Regex AccuracyLine();
}
