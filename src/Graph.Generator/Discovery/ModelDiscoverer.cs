using System.Collections.Immutable;
using System.Threading;
using Graph.Generator.Common;
using Graph.Generator.Diagnostics;
using Graph.Generator.Spec;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Graph.Generator.Discovery;

/// <summary>
/// Stage 1: reads a [Model] class (its symbol and the IOperation trees of its methods) into a <see cref="ModelSpec"/>.
/// This is the only stage that sees Roslyn types.
/// </summary>
internal sealed class ModelDiscoverer
{
    private readonly INamedTypeSymbol model;
    private readonly SemanticModel semanticModel;
    private readonly CancellationToken cancellationToken;
    private readonly List<DiagnosticInfo> diagnostics = new();
    private readonly List<KeyedLocation> locations = new();

    private ModelDiscoverer(INamedTypeSymbol model, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        this.model = model;
        this.semanticModel = semanticModel;
        this.cancellationToken = cancellationToken;
    }

    public static DiscoveredModel Discover(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var symbol = (INamedTypeSymbol)context.TargetSymbol;
        if (HasMissingName(symbol, cancellationToken))
        {
            // Source that does not parse as a type declaration (`record class class Net`): C# reports the syntax
            // error, and there is no model name to generate anything under.
            return new DiscoveredModel(symbol.ToDisplayString(), null, EquatableArray<DiagnosticInfo>.Empty, EquatableArray<KeyedLocation>.Empty);
        }

        var discoverer = new ModelDiscoverer(symbol, context.SemanticModel, cancellationToken);
        try
        {
            // [Model] on two partial declarations of one class (C#'s CS0579) would read the model twice: only the
            // declaration with its first [Model] is read.
            var first = symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.ModelAttribute)?.ApplicationSyntaxReference;
            if (first is not null && (first.SyntaxTree != context.TargetNode.SyntaxTree || !context.TargetNode.Span.Contains(first.Span)))
            {
                return new DiscoveredModel(symbol.ToDisplayString(), null, EquatableArray<DiagnosticInfo>.Empty, EquatableArray<KeyedLocation>.Empty);
            }

            return discoverer.Run(context.Attributes[0]);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception exception)
        {
            var error = DiagnosticInfo.At(
                DiagnosticDescriptors.InternalError.Id,
                LocationInfo.From(symbol.Locations.FirstOrDefault()),
                symbol.Name,
                "discovery",
                exception.GetType().Name + ": " + exception.Message);
            return new DiscoveredModel(symbol.ToDisplayString(), null, new[] { error }.ToEquatableArray(), EquatableArray<KeyedLocation>.Empty);
        }
    }

    private DiscoveredModel Run(AttributeData modelAttribute)
    {
        Record(LocationKeys.Class, model.Locations.FirstOrDefault());
        bool valid = CheckPartial() & CheckNotRecord();
        var declarations = ParameterDeclarations();
        string? elementType = null;
        var sizes = new List<SizeSpec>();
        var parameters = new List<ParameterSpec>();
        var functions = new List<FunctionSpec>();
        if (HasBrokenAttribute())
        {
            // C# reports the error in the attribute; the model is not read further, and its file holds only the
            // declarations, so that no other error follows.
            valid = false;
        }
        else
        {
            elementType = ReadElementType(modelAttribute);
            valid &= elementType is not null;
            var rejectedSizes = new List<string>();
            sizes = ReadSizes(rejectedSizes, ref valid);
            var shapes = new ShapeReader(sizes, rejectedSizes, diagnostics);
            parameters = ReadParameters(shapes, ref valid);
            functions = new FunctionReader(model, semanticModel, shapes, diagnostics, locations, cancellationToken).ReadAll(ref valid);
        }

        bool partial = diagnostics.All(d => d.Id != DiagnosticDescriptors.ModelNotPartial.Id);
        bool named = CheckGraphTypesNameable() & CheckNoTypeNamedVar();
        ModelSpec? spec = partial && named
            ? new ModelSpec(
                NamespaceName(model.ContainingNamespace),
                model.Name,
                model.TypeParameters.Length == 1 && elementType == model.TypeParameters[0].Name ? elementType : string.Empty,
                ContainingTypeDeclarations(),
                elementType ?? "double",
                sizes.ToEquatableArray(),
                (valid ? parameters : declarations).ToEquatableArray(),
                valid ? functions.ToEquatableArray() : EquatableArray<FunctionSpec>.Empty,
                DeclarationsOnly: !valid,
                Members: ReadMembers().ToEquatableArray(),
                Keyword: TypeKeyword(model),
                TypeParameters: model.TypeParameters.Select(p => p.Name).ToEquatableArray(),
                PhiloxDropout: modelAttribute.NamedArguments.FirstOrDefault(a => a.Key == "DropoutRandom").Value.Value is 1,
                UnrollLoops: modelAttribute.NamedArguments.FirstOrDefault(a => a.Key == "UnrollLoops").Value.Value is true,
                ExactLoopSums: modelAttribute.NamedArguments.FirstOrDefault(a => a.Key == "ExactLoopSums").Value.Value is true)
            : null;
        return new DiscoveredModel(spec?.FullName ?? model.ToDisplayString(), spec, diagnostics.ToEquatableArray(), locations.ToEquatableArray());
    }

    private static bool HasMissingName(INamedTypeSymbol symbol, CancellationToken cancellationToken)
    {
        for (INamedTypeSymbol? type = symbol; type is not null; type = type.ContainingType)
        {
            if (type.Name.Length == 0 || type.DeclaringSyntaxReferences.Any(r => r.GetSyntax(cancellationToken) is BaseTypeDeclarationSyntax { Identifier.IsMissing: true }))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// GRAPH045 where a namespace of the compilation has the name of one of Graph's types (<c>namespace
    /// Graph.Tensor.Text</c>): <c>global::Graph.Tensor</c> then names the namespace, and the generated code, which names
    /// Graph's types that way, could not compile. No file is generated for the model.
    /// </summary>
    private bool CheckGraphTypesNameable()
    {
        var graph = semanticModel.Compilation.GlobalNamespace.GetNamespaceMembers().FirstOrDefault(n => n.Name == KnownNames.GraphNamespace);
        if (graph is null)
        {
            return true;
        }

        bool nameable = true;
        foreach (var name in graph.GetMembers().GroupBy(m => m.Name).Where(g => g.Any(m => m is INamespaceSymbol) && g.Any(m => m is INamedTypeSymbol)).Select(g => g.Key).OrderBy(n => n, StringComparer.Ordinal))
        {
            var inSource = graph.GetMembers(name).SelectMany(m => m.Locations).FirstOrDefault(l => l.IsInSource);
            Report(DiagnosticDescriptors.GraphNameHidden, inSource ?? model.Locations.FirstOrDefault(), KnownNames.GraphNamespace + "." + name);
            nameable = false;
        }

        return nameable;
    }

    /// <summary>
    /// GRAPH046 where a type named <c>var</c> is visible inside the model (the model itself, a type beside it or one
    /// it contains): the generated members, declared inside the same types and namespace, declare their locals with
    /// <c>var</c>, which would then name that type. No file is generated for the model.
    /// </summary>
    private bool CheckNoTypeNamedVar()
    {
        var declaration = model.DeclaringSyntaxReferences
            .Where(r => r.SyntaxTree == semanticModel.SyntaxTree)
            .Select(r => r.GetSyntax(cancellationToken))
            .OfType<TypeDeclarationSyntax>()
            .FirstOrDefault(d => !d.OpenBraceToken.IsMissing);
        if (declaration is null)
        {
            return true;
        }

        var type = semanticModel.LookupNamespacesAndTypes(declaration.OpenBraceToken.Span.End, name: "var").OfType<INamedTypeSymbol>().FirstOrDefault();
        if (type is null)
        {
            return true;
        }

        Report(DiagnosticDescriptors.TypeNamedVar, type.Locations.FirstOrDefault(l => l.IsInSource) ?? model.Locations.FirstOrDefault(), type.ToDisplayString());
        return false;
    }

    private bool CheckPartial()
    {
        for (INamedTypeSymbol? type = model; type is not null; type = type.ContainingType)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                    && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    Report(DiagnosticDescriptors.ModelNotPartial, declaration.Identifier.GetLocation(), type.Name);
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// GRAPH042 on a record: a model is an object with identity (mutable parameters and buffers), so a record's value
    /// equality, printing and <c>with</c> copies (which would share the parameter arrays) do not fit it.
    /// </summary>
    private bool CheckNotRecord()
    {
        if (!model.IsRecord)
        {
            return true;
        }

        Report(DiagnosticDescriptors.ModelIsRecord, model.Locations.FirstOrDefault(), model.Name);
        return false;
    }

    /// <summary>
    /// The class's own members, for the check that no generated member collides with one. Implicit members (a
    /// record's) and explicit interface implementations cannot collide and are left out.
    /// </summary>
    private List<MemberSpec> ReadMembers()
    {
        var members = new List<MemberSpec>();
        foreach (var member in model.GetMembers())
        {
            if (member.IsImplicitlyDeclared || member.CanBeReferencedByName is false && member is not IMethodSymbol { MethodKind: MethodKind.Constructor })
            {
                continue;
            }

            var kind = member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? MemberKind.Constructor
                : member is IMethodSymbol { MethodKind: MethodKind.Ordinary } ? MemberKind.Method
                : member is IMethodSymbol ? (MemberKind?)null
                : MemberKind.Other;
            if (kind is null || (kind == MemberKind.Constructor && member.IsStatic))
            {
                continue;
            }

            var method = member as IMethodSymbol;
            var parameterTypes = method?.Parameters.Select(p => (p.RefKind == RefKind.None ? string.Empty : "ref ") + TypeName(p.Type)) ?? Enumerable.Empty<string>();
            bool implemented = member is IPropertySymbol { IsPartialDefinition: true, IsStatic: false, SetMethod: null } property
                && property.Type.ToDisplayString() == KnownNames.Tensor;
            Record(LocationKeys.Member(members.Count), member.Locations.FirstOrDefault());
            members.Add(new MemberSpec(kind == MemberKind.Constructor ? model.Name : member.Name, kind.Value, parameterTypes.ToEquatableArray(), method?.TypeParameters.Length ?? 0, implemented));
        }

        return members;
    }

    /// <summary>A type as the collision check compares parameter types: <c>System.ReadOnlySpan&lt;float&gt;</c>, <c>int</c>, <c>T</c>.</summary>
    private static string TypeName(ITypeSymbol type) =>
        type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty);

    private string? ReadElementType(AttributeData attribute)
    {
        if (model.TypeParameters.Length > 0)
        {
            return ReadGenericElementType(attribute);
        }

        if (attribute.ConstructorArguments.Length == 0)
        {
            return "float";
        }

        var type = attribute.ConstructorArguments[0].Value as ITypeSymbol;
        switch (type?.SpecialType)
        {
            case SpecialType.System_Single:
                return "float";
            case SpecialType.System_Double:
                return "double";
            default:
                Report(DiagnosticDescriptors.UnsupportedElementType, AttributeLocation(attribute), model.Name, type?.ToDisplayString() ?? "?");
                return null;
        }
    }

    /// <summary>A model generic in its element type: <c>[Model] partial class Net&lt;T&gt; where T : unmanaged, IFloatingPointIeee754&lt;T&gt;</c>.</summary>
    private string? ReadGenericElementType(AttributeData attribute)
    {
        var parameter = model.TypeParameters[0];
        bool constrained = parameter.HasUnmanagedTypeConstraint
            && parameter.ConstraintTypes.Any(c => c.OriginalDefinition.ToDisplayString() == "System.Numerics.IFloatingPointIeee754<TSelf>");
        if (model.TypeParameters.Length == 1 && attribute.ConstructorArguments.Length == 0 && constrained)
        {
            return parameter.Name;
        }

        Report(
            DiagnosticDescriptors.UnsupportedElementType,
            AttributeLocation(attribute),
            model.Name,
            model.TypeParameters.Length == 1 && attribute.ConstructorArguments.Length == 0
                ? $"{parameter.Name} without the constraint 'where {parameter.Name} : unmanaged, IFloatingPointIeee754<{parameter.Name}>'"
                : "a generic class with more than one type parameter or with [Model(typeof(...))]");
        return null;
    }

    /// <summary>Reads the class's [Size(name, default)] attributes; <paramref name="rejected"/> receives the names of those reported as invalid.</summary>
    private List<SizeSpec> ReadSizes(List<string> rejected, ref bool valid)
    {
        var sizes = new List<SizeSpec>();
        foreach (var attribute in model.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == KnownNames.SizeAttribute))
        {
            string name = attribute.ConstructorArguments[0].Value as string ?? string.Empty;
            int value = attribute.ConstructorArguments[1].Value is int v ? v : 0;
            string? problem = !SyntaxFacts.IsValidIdentifier(name) ? $"'{name}' is not a valid C# identifier"
                : sizes.Any(s => s.Name == name) ? "it is declared twice"
                : value <= 0 ? $"its default {value} is not a positive integer"
                : model.GetMembers(name).Any() ? $"the model already has a member named '{name}', and the size becomes a property"
                : null;
            if (problem is not null)
            {
                Report(DiagnosticDescriptors.UnknownSize, AttributeLocation(attribute), $"Size '{name}'", problem);
                rejected.Add(name);
                valid = false;
                continue;
            }

            Record(LocationKeys.Size(name), AttributeLocation(attribute));
            sizes.Add(new SizeSpec(name, value));
        }

        return sizes;
    }

    /// <summary>Every partial get-only Tensor property, valid parameter or not: what the declarations-only file implements.</summary>
    private List<ParameterSpec> ParameterDeclarations() => model.GetMembers().OfType<IPropertySymbol>()
        .Where(property => property.Type.ToDisplayString() == KnownNames.Tensor && property.IsPartialDefinition && !property.IsStatic && property.SetMethod is null)
        .Select(property => new ParameterSpec(
            property.Name, ImplementationModifiers(property), EquatableArray<string>.Empty, InitKind.Zeros, 0, 0,
            EquatableArray<double>.Empty, false, EquatableArray<int>.Empty))
        .ToList();

    /// <summary>
    /// True when an attribute of Graph on the model, its members or their arguments did not bind (a missing
    /// argument, <c>[InitUniform(--0.0, 1)]</c>): C# reports it, and its arguments cannot be read.
    /// </summary>
    private bool HasBrokenAttribute()
    {
        var symbols = new List<ISymbol> { model };
        foreach (var member in model.GetMembers())
        {
            symbols.Add(member);
            if (member is IMethodSymbol method)
            {
                symbols.AddRange(method.Parameters);
            }
        }

        return symbols.SelectMany(s => s.GetAttributes()).Any(a =>
            a.AttributeClass?.ContainingNamespace?.ToDisplayString() == "Graph"
            && (a.AttributeConstructor is null || a.ConstructorArguments.Any(Broken) || a.NamedArguments.Any(n => Broken(n.Value))));

        static bool Broken(TypedConstant constant) =>
            constant.Kind == TypedConstantKind.Error || (constant.Kind == TypedConstantKind.Array && !constant.IsNull && constant.Values.Any(Broken));
    }

    /// <summary>Reads the [Param] properties.</summary>
    private List<ParameterSpec> ReadParameters(ShapeReader shapes, ref bool valid)
    {
        var parameters = new List<ParameterSpec>();
        foreach (var property in model.GetMembers().OfType<IPropertySymbol>())
        {
            var param = FindAttribute(property, KnownNames.ParamAttribute);
            bool isTensor = property.Type.ToDisplayString() == KnownNames.Tensor;
            if (param is null)
            {
                if (isTensor && property.IsPartialDefinition)
                {
                    Report(DiagnosticDescriptors.ParameterWithoutShape, property.Locations.FirstOrDefault(), property.Name);
                    valid = false;
                }

                continue;
            }

            Record(LocationKeys.Parameter(property.Name), property.Locations.FirstOrDefault());
            if (!isTensor || !property.IsPartialDefinition || property.SetMethod is not null || property.IsStatic)
            {
                string why = !isTensor ? $"its type is '{property.Type.ToDisplayString()}'"
                    : property.IsStatic ? "it is static"
                    : property.SetMethod is not null ? "it has a setter"
                    : "it is not partial";
                Report(DiagnosticDescriptors.ParameterNotPartialProperty, property.Locations.FirstOrDefault(), property.Name, why);
                valid = false;
                continue;
            }

            if (param.ConstructorArguments.All(a => a.Kind == TypedConstantKind.Array && a.Values.Length == 0))
            {
                Report(DiagnosticDescriptors.ParameterWithoutShape, AttributeLocation(param), property.Name);
                valid = false;
                continue;
            }

            var shape = shapes.Read(param.ConstructorArguments, $"Parameter '{property.Name}'", AttributeLocation(param));
            if (shape is null)
            {
                valid = false;
                continue;
            }

            int? size = ShapeReader.ConstantSize(shape);
            if (ReadInitializer(property, shape, size, out var init, out double low, out double high, out var values)
                && ReadFrozen(property, size, out bool frozen, out var frozenElements))
            {
                parameters.Add(new ParameterSpec(
                    property.Name, ImplementationModifiers(property), shape.ToEquatableArray(), init, low, high, values.ToEquatableArray(), frozen, frozenElements.ToEquatableArray()));
            }
            else
            {
                valid = false;
            }
        }

        return parameters;
    }

    private bool ReadInitializer(IPropertySymbol property, string[] shape, int? size, out InitKind init, out double low, out double high, out double[] values)
    {
        init = InitKind.Zeros;
        low = high = 0;
        values = Array.Empty<double>();
        var initializers = property.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() is KnownNames.InitUniformAttribute or KnownNames.InitValuesAttribute
                or KnownNames.InitZerosAttribute or KnownNames.InitIdentityAttribute)
            .ToList();
        if (initializers.Count > 1)
        {
            Report(DiagnosticDescriptors.InvalidInitializer, AttributeLocation(initializers[1]), property.Name, "it has more than one Init attribute");
            return false;
        }

        if (initializers.Count == 0)
        {
            return true;
        }

        var attribute = initializers[0];
        switch (attribute.AttributeClass!.ToDisplayString())
        {
            case KnownNames.InitUniformAttribute:
                init = InitKind.Uniform;
                low = Convert.ToDouble(attribute.ConstructorArguments[0].Value, System.Globalization.CultureInfo.InvariantCulture);
                high = Convert.ToDouble(attribute.ConstructorArguments[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                if (!(low < high) || double.IsInfinity(low) || double.IsInfinity(high))
                {
                    Report(DiagnosticDescriptors.InvalidInitializer, AttributeLocation(attribute), property.Name, $"InitUniform needs finite bounds with low < high, but got low {Format(low)} and high {Format(high)}");
                    return false;
                }

                return true;
            case KnownNames.InitValuesAttribute:
                init = InitKind.Values;
                values = DoubleArray(attribute.ConstructorArguments);
                if (size is null)
                {
                    Report(DiagnosticDescriptors.InvalidInitializer, AttributeLocation(attribute), property.Name, "InitValues needs a shape of numbers, not named sizes");
                    return false;
                }

                if (values.Length != size)
                {
                    Report(DiagnosticDescriptors.InvalidInitializer, AttributeLocation(attribute), property.Name, $"InitValues gives {values.Length} values, but the parameter has {size} elements");
                    return false;
                }

                if (values.Any(v => double.IsNaN(v) || double.IsInfinity(v)))
                {
                    Report(DiagnosticDescriptors.InvalidInitializer, AttributeLocation(attribute), property.Name, "InitValues holds a value that is not finite");
                    return false;
                }

                return true;
            case KnownNames.InitIdentityAttribute:
                init = InitKind.Identity;
                if (shape.Length != 2 || shape[0] != shape[1])
                {
                    Report(DiagnosticDescriptors.IdentityNotSquare, AttributeLocation(attribute), property.Name, "[" + string.Join(",", shape) + "]");
                    return false;
                }

                return true;
            default:
                return true;
        }
    }

    private bool ReadFrozen(IPropertySymbol property, int? size, out bool frozen, out int[] elements)
    {
        var attribute = FindAttribute(property, KnownNames.FrozenAttribute);
        frozen = attribute is not null;
        elements = attribute is null ? Array.Empty<int>() : IntArray(attribute.ConstructorArguments);
        if (elements.Length > 0)
        {
            frozen = false;
            foreach (int element in elements)
            {
                if (size is null)
                {
                    Report(DiagnosticDescriptors.UnknownSize, AttributeLocation(attribute!), $"Parameter '{property.Name}'", "Frozen(...) element indices need a shape of numbers, not named sizes; use [Frozen] to freeze the whole parameter");
                    return false;
                }

                if (element < 0 || element >= size)
                {
                    Report(DiagnosticDescriptors.InvalidFrozenElement, AttributeLocation(attribute!), property.Name, element.ToString(System.Globalization.CultureInfo.InvariantCulture), size.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), (size.Value - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    return false;
                }
            }

            elements = elements.Distinct().OrderBy(e => e).ToArray();
        }

        return true;
    }

    /// <summary>The namespace's name as declared, without C#'s <c>@</c>: <c>Demo.Models</c>, or empty for the global namespace.</summary>
    private static string NamespaceName(INamespaceSymbol? space) =>
        space is null || space.IsGlobalNamespace ? string.Empty
        : space.ContainingNamespace is { IsGlobalNamespace: false } outer ? NamespaceName(outer) + "." + space.Name
        : space.Name;

    /// <summary>The types containing the model, outermost first, with their type parameters (a partial declaration need not repeat constraints).</summary>
    private EquatableArray<TypeDeclarationSpec> ContainingTypeDeclarations()
    {
        var types = new List<TypeDeclarationSpec>();
        for (var type = model.ContainingType; type is not null; type = type.ContainingType)
        {
            types.Insert(0, new TypeDeclarationSpec(TypeKeyword(type), type.Name, type.TypeParameters.Select(p => p.Name).ToEquatableArray()));
        }

        return types.ToEquatableArray();
    }

    /// <summary>The keyword a partial declaration of the type repeats: <c>class</c>, <c>record struct</c>, <c>interface</c>...</summary>
    private static string TypeKeyword(INamedTypeSymbol type) =>
        type.TypeKind == TypeKind.Interface ? "interface"
        : type.IsRecord ? (type.IsValueType ? "record struct" : "record")
        : type.IsValueType ? (type.IsRefLikeType ? "ref struct" : "struct")
        : "class";

    /// <summary>
    /// The modifiers a partial property's implementation must repeat: its accessibility, and <c>new</c>, <c>virtual</c>,
    /// <c>override</c> or <c>sealed</c> where the declaration has them (C# requires the same on both parts).
    /// </summary>
    private string ImplementationModifiers(IPropertySymbol property)
    {
        var declared = property.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<PropertyDeclarationSyntax>().FirstOrDefault()?.Modifiers;
        var repeated = declared?.Where(m => m.IsKind(SyntaxKind.NewKeyword) || m.IsKind(SyntaxKind.VirtualKeyword) || m.IsKind(SyntaxKind.OverrideKeyword) || m.IsKind(SyntaxKind.SealedKeyword))
            .Select(m => " " + m.Text) ?? Enumerable.Empty<string>();
        return AccessibilityText(property.DeclaredAccessibility) + string.Concat(repeated);
    }

    private static string AccessibilityText(Accessibility accessibility) => accessibility switch
    {
        Accessibility.Public => "public",
        Accessibility.Internal => "internal",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    internal static AttributeData? FindAttribute(ISymbol symbol, string name) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == name);

    internal static int[] IntArray(ImmutableArray<TypedConstant> arguments) =>
        Flatten(arguments).Select(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    private static double[] DoubleArray(ImmutableArray<TypedConstant> arguments) =>
        Flatten(arguments).Select(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    internal static IEnumerable<object?> Flatten(ImmutableArray<TypedConstant> arguments) =>
        arguments.SelectMany(a => a.Kind == TypedConstantKind.Array ? a.Values.Select(v => v.Value) : new[] { a.Value });

    private Location? AttributeLocation(AttributeData attribute) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? model.Locations.FirstOrDefault();

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

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
