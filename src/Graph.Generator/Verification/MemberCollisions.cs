using Graph.Generator.Diagnostics;
using Graph.Generator.Spec;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Graph.Generator.Verification;

/// <summary>
/// Checks a generated file before it is added to the build: it must parse, and none of its members may collide with
/// a member the user declared on the model class or with another generated member (which C# would report as
/// CS0102, CS0111 or CS0542 inside the generated file). It reads the emitted text itself, so it checks whatever the
/// emitter prints; this is the one place after discovery that uses Roslyn, to parse that text.
/// </summary>
internal static class MemberCollisions
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    /// <summary>The first syntax error of the generated file, or null when it parses.</summary>
    public static string? SyntaxError(string source, out CompilationUnitSyntax root)
    {
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions);
        root = (CompilationUnitSyntax)tree.GetRoot();
        var error = tree.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error);
        return error?.ToString();
    }

    /// <summary>The collisions of the generated members in <paramref name="root"/> with the user's and with each other, as GRAPH041 diagnostics.</summary>
    public static List<DiagnosticInfo> Find(ModelSpec model, CompilationUnitSyntax root)
    {
        var diagnostics = new List<DiagnosticInfo>();
        var repeatedParameters = new List<DiagnosticInfo>();
        var type = ModelType(model, root);
        if (type is null)
        {
            return diagnostics;
        }

        var generated = type.Members.SelectMany(Read).ToList();
        for (int g = 0; g < generated.Count; g++)
        {
            var member = generated[g];
            for (int u = 0; u < model.Members.Count; u++)
            {
                var user = model.Members[u];
                if (Collide(user.Name, user.Kind, user.ParameterTypes, user.TypeParameterCount, member) && !(user.Implemented && member.Implements))
                {
                    diagnostics.Add(DiagnosticInfo.AtKey(DiagnosticDescriptors.MemberCollision.Id, LocationKeys.Member(u), $"'{user.Name}'", member.Description));
                }
            }

            if (member.Kind != MemberKind.Constructor && member.Name == model.ClassName)
            {
                diagnostics.Add(Cause(model, member.Name, $"class name '{model.ClassName}'"));
            }

            var earlier = generated.Take(g).FirstOrDefault(other => Collide(other.Name, other.Kind, other.ParameterTypes, 0, member));
            if (earlier is not null)
            {
                diagnostics.Add(Cause(model, member.Name, earlier.Description));
            }

            var repeated = member.ParameterNames.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(n => n.Count() > 1);
            if (repeated is not null)
            {
                repeatedParameters.Add(Cause(model, repeated.Key, $"parameter '{repeated.Key}' of the {member.Description}"));
            }
        }

        // The generated methods name their arguments with nameof(...), which a member named nameof would turn into calls of it.
        for (int u = 0; u < model.Members.Count; u++)
        {
            if (model.Members[u].Name == "nameof" && UsesNameof(type))
            {
                diagnostics.Add(DiagnosticInfo.AtKey(DiagnosticDescriptors.MemberCollision.Id, LocationKeys.Member(u), "'nameof'", "code's use of C#'s nameof(...)"));
            }
        }

        var generatedNameof = generated.FirstOrDefault(m => m.Name == "nameof");
        if (generatedNameof is not null && UsesNameof(type))
        {
            diagnostics.Add(Cause(model, "nameof", "code's use of C#'s nameof(...)"));
        }

        // One diagnostic for each member to rename: a size named Random collides with the property and with the
        // constructor's argument random, but is reported once.
        return diagnostics.Concat(repeatedParameters).GroupBy(d => d.LocationKey).Select(d => d.First()).ToList();
    }

    /// <summary>
    /// The model's declaration: inside the file's namespace, one declaration deep per containing type. Only those
    /// declarations are visited, not the members' bodies, and the model's own nested types (the split loops'
    /// structs) are not mistaken for it.
    /// </summary>
    private static TypeDeclarationSyntax? ModelType(ModelSpec model, CompilationUnitSyntax root)
    {
        IEnumerable<MemberDeclarationSyntax> members = root.Members;
        if (members.OfType<BaseNamespaceDeclarationSyntax>().FirstOrDefault() is { } space)
        {
            members = space.Members;
        }

        for (int depth = 0; depth < model.ContainingTypes.Count; depth++)
        {
            if (members.OfType<TypeDeclarationSyntax>().FirstOrDefault() is not { } container)
            {
                return null;
            }

            members = container.Members;
        }

        return members.OfType<TypeDeclarationSyntax>().FirstOrDefault();
    }

    private static bool UsesNameof(TypeDeclarationSyntax type) =>
        type.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(i => i.Expression is IdentifierNameSyntax { Identifier.ValueText: "nameof" });

    /// <summary>True when C# rejects the two members in one class: the same name, unless both are methods (or both constructors) with different parameter types.</summary>
    private static bool Collide(string name, MemberKind kind, IReadOnlyList<string> parameterTypes, int typeParameters, GeneratedMember member)
    {
        bool bothInvocable = (kind == MemberKind.Method && member.Kind == MemberKind.Method) || (kind == MemberKind.Constructor && member.Kind == MemberKind.Constructor);
        if (kind == MemberKind.Constructor || member.Kind == MemberKind.Constructor)
        {
            return bothInvocable && parameterTypes.SequenceEqual(member.ParameterTypes);
        }

        return name == member.Name && (!bothInvocable || (typeParameters == 0 && parameterTypes.SequenceEqual(member.ParameterTypes)));
    }

    /// <summary>
    /// A collision between two generated members comes from a name the user chose: a size, a parameter or an entry
    /// method named like a generated member (a size 'Random', a [Forward] method 'Parameters'). It is reported there.
    /// </summary>
    private static DiagnosticInfo Cause(ModelSpec model, string name, string description)
    {
        var size = model.Sizes.FirstOrDefault(s => s.Name == name || Camel(s.Name) == name);
        if (size is not null)
        {
            return DiagnosticInfo.AtKey(DiagnosticDescriptors.MemberCollision.Id, LocationKeys.Size(size.Name), $"Size '{size.Name}'", description);
        }

        var function = model.Functions.FirstOrDefault(f => f.Role != FunctionRole.Helper && (f.Name == name || f.Inputs.Any(i => i.Indices && name.StartsWith("indices" + Capital(i.Name), StringComparison.Ordinal))));
        if (function is not null)
        {
            return DiagnosticInfo.AtKey(DiagnosticDescriptors.MemberCollision.Id, LocationKeys.Function(function.Name), $"Method '{function.Name}'", description);
        }

        // The fields of a parameter end with its name (valueW, gradientW).
        var parameter = model.Parameters.FirstOrDefault(p => name.EndsWith(p.Name, StringComparison.Ordinal));
        if (parameter is not null)
        {
            return DiagnosticInfo.AtKey(DiagnosticDescriptors.MemberCollision.Id, LocationKeys.Parameter(parameter.Name), $"Parameter '{parameter.Name}'", description);
        }

        return DiagnosticInfo.AtKey(DiagnosticDescriptors.MemberCollision.Id, LocationKeys.Class, $"Model '{model.ClassName}'", description);
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name.Substring(1);

    private static string Capital(string name) => char.ToUpperInvariant(name[0]) + name.Substring(1);

    private static IEnumerable<GeneratedMember> Read(MemberDeclarationSyntax declaration)
    {
        switch (declaration)
        {
            case FieldDeclarationSyntax field:
                return field.Declaration.Variables.Select(v => Other(v.Identifier, "field"));
            case PropertyDeclarationSyntax property:
                var member = Other(property.Identifier, "property");
                return new[] { member with { Implements = property.Modifiers.Any(SyntaxKind.PartialKeyword) } };
            case MethodDeclarationSyntax method:
                return new[] { Invocable(MemberKind.Method, method.Identifier.ValueText, method.ParameterList, "method") };
            case ConstructorDeclarationSyntax constructor when !constructor.Modifiers.Any(SyntaxKind.StaticKeyword):
                return new[] { Invocable(MemberKind.Constructor, constructor.Identifier.ValueText, constructor.ParameterList, "constructor") };
            case BaseTypeDeclarationSyntax nested:
                return new[] { Other(nested.Identifier, "type") };
            default:
                return Enumerable.Empty<GeneratedMember>();
        }
    }

    private static GeneratedMember Other(SyntaxToken identifier, string what) =>
        new(identifier.ValueText, MemberKind.Other, Array.Empty<string>(), Array.Empty<string>(), $"{what} '{identifier.ValueText}'", false);

    private static GeneratedMember Invocable(MemberKind kind, string name, ParameterListSyntax parameters, string what)
    {
        var types = parameters.Parameters
            .Select(p => (p.Modifiers.Any(m => m.IsKind(SyntaxKind.RefKeyword) || m.IsKind(SyntaxKind.InKeyword) || m.IsKind(SyntaxKind.OutKeyword)) ? "ref " : string.Empty) + TypeName(p.Type))
            .ToArray();
        var names = parameters.Parameters.Select(p => p.Identifier.ValueText).ToArray();
        string shown = name + "(" + string.Join(", ", parameters.Parameters.Select(p => TypeName(p.Type) + " " + p.Identifier.ValueText)) + ")";
        return new(name, kind, types, names, $"{what} '{shown}'", false);
    }

    /// <summary>A parameter type as <see cref="MemberSpec.ParameterTypes"/> writes it: fully qualified, without <c>global::</c>.</summary>
    private static string TypeName(TypeSyntax? type) => type is null ? string.Empty : type.WithoutTrivia().ToString().Replace("global::", string.Empty).Replace(" ", string.Empty).Replace(",", ", ");

    /// <summary>A member declared in the generated file; <see cref="Implements"/> marks a partial property's implementation.</summary>
    private sealed record GeneratedMember(string Name, MemberKind Kind, string[] ParameterTypes, string[] ParameterNames, string Description, bool Implements);
}
