using System.Collections.Immutable;
using Graph.Generator.Diagnostics;
using Graph.Generator.Discovery;
using Graph.Generator.Pipeline;
using Graph.Generator.Spec;
using Microsoft.CodeAnalysis;

namespace Graph.Generator;

/// <summary>
/// The incremental generator: wires the pipeline and nothing else. Discovery reads each [Model] class into a
/// location-free spec; compilation runs on the spec alone, so edits that only move code leave the generated
/// source cached; diagnostics are reported from their own step, joining compile results with source locations.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GraphGenerator : IIncrementalGenerator
{
    /// <summary>Tracking names of the pipeline steps, for incremental-caching tests.</summary>
    public static class Steps
    {
        public const string Discover = nameof(Discover);
        public const string Spec = nameof(Spec);
        public const string Compile = nameof(Compile);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var discovered = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.ModelAttribute, static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.RecordDeclarationSyntax, ModelDiscoverer.Discover)
            .WithTrackingName(Steps.Discover);

        var compiled = discovered
            .Select(static (model, _) => model.Spec)
            .WithTrackingName(Steps.Spec)
            .Where(static spec => spec is not null)
            .Select(static (spec, cancellationToken) => ModelCompiler.Compile(spec!, cancellationToken))
            .WithTrackingName(Steps.Compile);

        context.RegisterSourceOutput(compiled, static (output, model) => AddSource(output, model));

        // Source positions are turned back into locations in the user's syntax trees only here, at reporting time.
        var trees = context.CompilationProvider.Select(static (compilation, _) => compilation.SyntaxTrees.ToImmutableArray());
        var diagnostics = discovered.Collect().Combine(compiled.Collect()).Combine(trees);
        context.RegisterSourceOutput(diagnostics, static (output, input) => Report(output, input.Left.Left, input.Left.Right, input.Right));
    }

    /// <summary>
    /// Adds a model's file; a hint name that C# refuses (ModelCompiler builds it from the model's name, keeping only
    /// characters a hint name may hold) would be GRAPH099, never an exception in the build.
    /// </summary>
    private static void AddSource(SourceProductionContext output, CompiledModel model)
    {
        try
        {
            output.AddSource(model.HintName, model.Source);
        }
        catch (ArgumentException exception)
        {
            output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, Location.None, model.FullName, "output", exception.Message));
        }
    }

    private static void Report(SourceProductionContext output, ImmutableArray<DiscoveredModel> models, ImmutableArray<CompiledModel> compiled, ImmutableArray<SyntaxTree> trees)
    {
        Diagnostic Create(DiagnosticInfo info, LocationInfo? location)
        {
            var tree = location is null ? null : trees.FirstOrDefault(t => t.FilePath == location.Path);
            var resolved = location is null ? Location.None
                : tree is not null && location.Start + location.Length <= tree.Length ? Location.Create(tree, new Microsoft.CodeAnalysis.Text.TextSpan(location.Start, location.Length))
                : location.ToLocation();
            return Diagnostic.Create(DiagnosticDescriptors.ById[info.Id], resolved, info.Arguments.Cast<object>().ToArray());
        }

        // One diagnostic per id and place: two findings of one problem (a member colliding with the generated
        // members twice over) read as one.
        var reported = new HashSet<(string, LocationInfo?)>();
        void ReportOnce(DiagnosticInfo diagnostic, LocationInfo? location)
        {
            if (reported.Add((diagnostic.Id, location)))
            {
                output.ReportDiagnostic(Create(diagnostic, location));
            }
        }

        foreach (var model in models)
        {
            foreach (var diagnostic in model.Diagnostics)
            {
                ReportOnce(diagnostic, diagnostic.Location);
            }

            foreach (var result in compiled.Where(c => c.FullName == model.FullName))
            {
                foreach (var diagnostic in result.Diagnostics)
                {
                    var location = model.Locations.FirstOrDefault(l => l.Key == diagnostic.LocationKey)?.Location
                        ?? model.Locations.FirstOrDefault(l => l.Key == LocationKeys.Class)?.Location;
                    ReportOnce(diagnostic, location);
                }
            }
        }
    }
}
