using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using Graph.Generator.Common;
using Graph.Generator.Diagnostics;
using Graph.Generator.Spec;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Graph.Generator.Discovery;

/// <summary>
/// Reads the bodies of a model's [Forward] and [Loss] methods, and of the model methods they call, from their
/// IOperation trees into <see cref="FunctionSpec"/>s. Every construct it does not know becomes a GRAPH004 diagnostic.
/// </summary>
internal sealed partial class FunctionReader
{
    private static readonly Regex Whitespace = new(@"\s+", RegexOptions.Compiled);

    private readonly INamedTypeSymbol model;
    private readonly SemanticModel semanticModel;
    private readonly ShapeReader shapes;
    private readonly List<DiagnosticInfo> diagnostics;
    private readonly List<KeyedLocation> locations;
    private readonly CancellationToken cancellationToken;
    /// <summary>Each method read, by its symbol (overloads are different methods), in the order first read.</summary>
    private readonly Dictionary<IMethodSymbol, FunctionSpec?> functions = new(SymbolEqualityComparer.Default);
    private readonly List<IMethodSymbol> order = new();

    /// <summary>Each method's operations with the methods it calls inlined, as lowering will inline them.</summary>
    private readonly Dictionary<string, long> inlinedOperations = new(StringComparer.Ordinal);
    private readonly List<IMethodSymbol> reading = new();

    // The [MaxSteps] arguments read, each a run-time step count that may bound the method's loops.
    private readonly Dictionary<IParameterSymbol, InputSpec> stepCounts = new(SymbolEqualityComparer.Default);

    public FunctionReader(INamedTypeSymbol model, SemanticModel semanticModel, ShapeReader shapes, List<DiagnosticInfo> diagnostics, List<KeyedLocation> locations, CancellationToken cancellationToken)
    {
        this.model = model;
        this.semanticModel = semanticModel;
        this.shapes = shapes;
        this.diagnostics = diagnostics;
        this.locations = locations;
        this.cancellationToken = cancellationToken;
    }

    /// <summary>Reads every [Forward] and [Loss] method and the helpers they call, in declaration order.</summary>
    public List<FunctionSpec> ReadAll(ref bool valid)
    {
        var losses = new List<IMethodSymbol>();
        var entryNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var method in model.GetMembers().OfType<IMethodSymbol>())
        {
            bool forward = ModelDiscoverer.FindAttribute(method, KnownNames.ForwardAttribute) is not null;
            bool loss = ModelDiscoverer.FindAttribute(method, KnownNames.LossAttribute) is not null;
            if (!forward && !loss)
            {
                continue;
            }

            if (forward && loss)
            {
                Report(DiagnosticDescriptors.InvalidMethodSignature, method.Locations.FirstOrDefault(), "Model", method.Name, "it cannot be both [Forward] and [Loss]");
                valid = false;
                continue;
            }

            // Each entry method names the batched methods generated for it, and keys its diagnostics' locations.
            if (!entryNames.Add(method.Name))
            {
                Report(DiagnosticDescriptors.EntryMethodOverloaded, method.Locations.FirstOrDefault(), forward ? "[Forward]" : "[Loss]", method.Name);
                valid = false;
                continue;
            }

            if (loss)
            {
                losses.Add(method);
            }

            valid &= Read(method, loss ? FunctionRole.Loss : FunctionRole.Forward) is not null;
        }

        if (losses.Count > 1)
        {
            Report(DiagnosticDescriptors.MultipleLosses, losses[1].Locations.FirstOrDefault(), model.Name, string.Join(", ", losses.Select(l => l.Name)));
            valid = false;
        }

        valid &= functions.Values.All(f => f is not null);
        return order.Select(m => functions[m]).Where(f => f is not null).Select(f => f!).ToList();
    }

    /// <summary>
    /// The name a method's spec goes by: its own name, or for a helper overloaded by another method of the model its
    /// signature, <c>Layer(Tensor, Tensor)</c>, which is distinct and stable. Entry methods keep their own names, which
    /// are the names of their generated methods; GRAPH043 keeps them distinct.
    /// </summary>
    private string SpecName(IMethodSymbol method, FunctionRole role) =>
        role != FunctionRole.Helper || model.GetMembers(method.Name).Length == 1
            ? method.Name
            : method.Name + "(" + string.Join(", ", method.Parameters.Select(p => (p.RefKind == RefKind.None ? string.Empty : p.RefKind.ToString().ToLowerInvariant() + " ") + p.Type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat))) + ")";

    private FunctionSpec? Read(IMethodSymbol method, FunctionRole role)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (functions.TryGetValue(method, out var known))
        {
            return known;
        }

        order.Add(method);
        string name = SpecName(method, role);
        Record(LocationKeys.Function(name), method.Locations.FirstOrDefault());
        string kind = role switch { FunctionRole.Forward => "[Forward]", FunctionRole.Loss => "[Loss]", _ => "Model" };
        string? signatureError = SignatureError(method, role);
        if (signatureError is not null)
        {
            Report(DiagnosticDescriptors.InvalidMethodSignature, method.Locations.FirstOrDefault(), kind, method.Name, signatureError);
            functions[method] = null;
            return null;
        }

        var inputs = new List<InputSpec>();
        bool valid = true;
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            var parameter = method.Parameters[i];
            Record(LocationKeys.Input(name, i), parameter.Locations.FirstOrDefault());
            var shapeAttribute = ModelDiscoverer.FindAttribute(parameter, KnownNames.ShapeAttribute);
            var indicesAttribute = ModelDiscoverer.FindAttribute(parameter, KnownNames.IndicesAttribute);
            string[] shape = Array.Empty<string>();
            if (ModelDiscoverer.FindAttribute(parameter, KnownNames.MaxStepsAttribute) is { } maxSteps)
            {
                var count = ReadStepCount(method, parameter, maxSteps, shapeAttribute ?? indicesAttribute);
                valid &= count is not null;

                // An invalid count still bounds its loops as a count, so that they report nothing more.
                stepCounts[parameter] = count ?? new InputSpec(parameter.Name, EquatableArray<string>.Empty, MaxSteps: 1);

                inputs.Add(stepCounts[parameter]);
                continue;
            }

            if (indicesAttribute is not null)
            {
                var indices = ReadIndices(method, role, parameter, indicesAttribute, shapeAttribute);
                valid &= indices is not null;
                inputs.Add(indices ?? new InputSpec(parameter.Name, EquatableArray<string>.Empty, Indices: true));
                continue;
            }

            if (role != FunctionRole.Helper && shapeAttribute is null)
            {
                Report(DiagnosticDescriptors.InputWithoutShape, parameter.Locations.FirstOrDefault(), parameter.Name, method.Name);
                valid = false;
            }
            else if (shapeAttribute is not null)
            {
                var read = shapes.Read(shapeAttribute.ConstructorArguments, $"Argument '{parameter.Name}' of '{method.Name}'", parameter.Locations.FirstOrDefault());
                valid &= read is not null;
                shape = read ?? shape;
            }

            inputs.Add(new InputSpec(parameter.Name, shape.ToEquatableArray()));
        }

        var syntax = method.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(cancellationToken))
            .OfType<MethodDeclarationSyntax>()
            .FirstOrDefault(m => m.Body is not null || m.ExpressionBody is not null);
        if (syntax is null)
        {
            Report(DiagnosticDescriptors.InvalidMethodSignature, method.Locations.FirstOrDefault(), kind, method.Name, "it has no body to compile");
            functions[method] = null;
            return null;
        }

        reading.Add(method);
        var body = new BodyReader(this, method, name);
        int result = body.ReadMethod(syntax);
        reading.RemoveAt(reading.Count - 1);

        FunctionSpec? function = valid && result >= 0
            ? new FunctionSpec(name, role, inputs.ToEquatableArray(), body.Expressions.ToEquatableArray(), result, IsSumReduction(method), body.Loops.ToEquatableArray())
            : null;
        functions[method] = function;
        inlinedOperations[name] = body.Operations;
        return function;
    }

    /// <summary>Reads an [Indices] or [Indices(n)] argument, or returns null after reporting why it is not valid.</summary>
    private InputSpec? ReadIndices(IMethodSymbol method, FunctionRole role, IParameterSymbol parameter, AttributeData indices, AttributeData? shape)
    {
        var location = parameter.Locations.FirstOrDefault();
        int length = indices.ConstructorArguments.Length == 1 && indices.ConstructorArguments[0].Value is int value ? value : 0;
        string? problem = role == FunctionRole.Helper ? $"[Indices] belongs on an argument of a [Forward] or [Loss] method, not of the helper '{method.Name}'"
            : shape is not null ? "it has both [Shape] and [Indices]; an index input's shape is its count, given as [Indices(n)] (or [Indices] for any number)"
            : indices.ConstructorArguments.Length == 1 && length <= 0 ? $"[Indices({length})] must give a positive count (or no count, for any number per call)"
            : null;
        if (problem is not null)
        {
            Report(DiagnosticDescriptors.InvalidIndexInput, location, parameter.Name, problem);
            return null;
        }

        string[] count = length > 0 ? new[] { length.ToString(CultureInfo.InvariantCulture) } : Array.Empty<string>();
        bool padded = indices.NamedArguments.FirstOrDefault(a => a.Key == "Padded").Value.Value is true;
        return new InputSpec(parameter.Name, count.ToEquatableArray(), Indices: true, Padded: padded);
    }

    /// <summary>Whether the model is declared [Model(UnrollLoops = true)].</summary>
    private bool UnrollsLoops => model.GetAttributes()
        .Where(a => a.AttributeClass?.Name == "ModelAttribute")
        .SelectMany(a => a.NamedArguments)
        .Any(a => a.Key == "UnrollLoops" && a.Value.Value is true);

    /// <summary>The run-time step count that <paramref name="parameter"/> of <paramref name="method"/> is, or null.</summary>
    private InputSpec? StepCount(IMethodSymbol method, IParameterSymbol parameter) =>
        SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method) && stepCounts.TryGetValue(parameter, out var count) ? count : null;

    /// <summary>Reads a [MaxSteps(n)] argument, or returns null after reporting why it is not valid.</summary>
    private InputSpec? ReadStepCount(IMethodSymbol method, IParameterSymbol parameter, AttributeData maxSteps, AttributeData? other)
    {
        int max = maxSteps.ConstructorArguments.Length == 1 && maxSteps.ConstructorArguments[0].Value is int value ? value : 0;
        string? problem = parameter.Type.SpecialType != SpecialType.System_Int32 ? $"a step count is an int argument, not '{parameter.Type.ToDisplayString()}'"
            : other is not null ? "a step count is a number, so it takes neither [Shape] nor [Indices]"
            : max <= 0 ? $"[MaxSteps({max})] must give a positive number of steps"
            : null;
        if (problem is not null)
        {
            Report(DiagnosticDescriptors.InvalidStepCount, parameter.Locations.FirstOrDefault(), parameter.Name, method.Name, problem);
            return null;
        }

        return new InputSpec(parameter.Name, EquatableArray<string>.Empty, MaxSteps: max);
    }

    private static bool IsSumReduction(IMethodSymbol method)
    {
        var loss = ModelDiscoverer.FindAttribute(method, KnownNames.LossAttribute);
        var reduction = loss?.NamedArguments.FirstOrDefault(a => a.Key == "Reduction").Value;
        return reduction?.Value is int value && value == 1;
    }

    private static string? SignatureError(IMethodSymbol method, FunctionRole role)
    {
        if (method.ReturnType.ToDisplayString() != KnownNames.Tensor)
        {
            return $"it must return Tensor, not '{method.ReturnType.ToDisplayString()}'";
        }

        if (method.IsStatic)
        {
            return "it must be an instance method, not static";
        }

        if (method.IsGenericMethod)
        {
            return "it must not be generic";
        }

        if (role != FunctionRole.Helper && method.Parameters.Length == 0)
        {
            return "it must take at least one Tensor argument (the per-sample input)";
        }

        foreach (var parameter in method.Parameters)
        {
            bool stepCount = role != FunctionRole.Helper && parameter.Type.SpecialType == SpecialType.System_Int32
                && ModelDiscoverer.FindAttribute(parameter, KnownNames.MaxStepsAttribute) is not null;
            if (parameter.Type.ToDisplayString() != KnownNames.Tensor && !stepCount)
            {
                return $"argument '{parameter.Name}' must be a Tensor, not '{parameter.Type.ToDisplayString()}'";
            }

            if (parameter.RefKind != RefKind.None || parameter.IsParams || parameter.HasExplicitDefaultValue)
            {
                return $"argument '{parameter.Name}' must be a plain {(stepCount ? "int" : "Tensor")} argument (no ref, out, params or default value)";
            }

            if (role != FunctionRole.Helper && parameter.Name == "batch")
            {
                return "an argument may not be named 'batch': the compiled method takes the batch count under that name";
            }

            if (role != FunctionRole.Helper && parameter.Name == "nameof")
            {
                return "an argument may not be named 'nameof': the compiled method names its arguments with C#'s nameof(...) when it checks them";
            }
        }

        return null;
    }

    private void Record(string key, Location? location)
    {
        var info = LocationInfo.From(location);
        if (info is not null)
        {
            locations.Add(new KeyedLocation(key, info));
        }
    }

    private void Report(DiagnosticDescriptor descriptor, Location? location, params string[] arguments) =>
        diagnostics.Add(DiagnosticInfo.At(descriptor.Id, LocationInfo.From(location), arguments));
}
