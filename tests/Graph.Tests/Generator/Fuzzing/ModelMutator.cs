using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Graph.Tests.Generator.Fuzzing;

/// <summary>
/// Mutates the source of a model file the way a user in the middle of an edit might leave it: shapes swapped,
/// attributes dropped or added, members renamed (to keywords, to generated members' names, to each other),
/// literals changed (huge, zero, negative), statements deleted, members duplicated, operations and operators
/// exchanged, loops inserted, the class made a record or nested in a generic type. Each mutation parses the
/// current text and splices the change into it, so any text, even one that no longer compiles, can be mutated
/// again. Everything is drawn from the <see cref="Random"/> given, so a seed reproduces a case exactly.
/// </summary>
public sealed class ModelMutator
{
    private static readonly string[] Numbers =
    {
        "0", "1", "2", "3", "5", "10", "-1", "-7", "4096", "4097", "46341", "65536", "100000", "2147483647", "-2147483648",
        "9223372036854775807L", "0.5", "1e308", "-0.0", "double.NaN", "1e-320",
    };

    private static readonly string[] Strings = { "Hiden", "", "class", "Random", "Seed", "batch", "Parameters", "x y", "@batch", "hidden", "Hidden", "Vocab" };

    private static readonly string[] Names =
    {
        "@class", "@in", "@for", "@event", "@base", "var", "nameof", "value", "batch", "output", "seed", "random", "learningRate",
        "training", "loss", "i", "i0", "t5", "Parameters", "Backward", "TrainStep", "ApplyGradients", "EnsureBatchCapacity",
        "Random", "Loss", "Predict", "batchCapacity", "batchBuffer0", "sharedBuffer0", "valueW", "symbolW", "Tensor", "Ops", "System", "Graph", "global",
    };

    private static readonly string[] Operations =
    {
        "Argmax", "Concat", "Conv2d", "Dot", "Dropout", "EmbeddingMean", "EmbeddingSum", "Exp", "Flatten", "Gather", "L2Loss", "Log",
        "MatMul", "Mean", "MeanPool2d", "MeanSquaredError", "Relu", "Reshape", "Sigmoid", "SigmoidCrossEntropy", "Softmax",
        "SoftmaxCrossEntropy", "Square", "StopGradient", "Sum", "SumPool2d", "SumSquares", "Tanh", "Transpose",
    };

    private static readonly string[] Operators = { "+", "-", "*", "/", "%", "<", "<=", ">", ">=" };

    private static readonly string[] Attributes =
    {
        "[Frozen]", "[Frozen(0, 99)]", "[Frozen(-1)]", "[InitIdentity]", "[InitValues(1, 2)]", "[InitUniform(1, -1)]", "[InitZeros]",
        "[Indices]", "[Indices(0)]", "[Indices(3, Padded = true)]", "[Shape(3)]", "[Shape(0)]", "[Shape(\"Hidden\")]", "[Forward]", "[Loss]",
        "[Loss(Reduction = Reduction.Sum)]", "[Param(2, 2)]", "[Param]", "[Param(65536, 65536)]", "[Model]", "[Size(\"Extra\", 3)]",
        "[Size(\"Hidden\", 0)]", "[Model(typeof(int))]", "[Model(typeof(double))]",
    };

    private static readonly string[] Statements =
    {
        "for (int t = 0; t < 3; t++) { STATEMENT }",
        "for (long t = long.MaxValue - 1; t <= long.MaxValue; t++) { STATEMENT }",
        "for (int t = int.MaxValue - 2; t <= int.MaxValue; t += 2) { STATEMENT }",
        "for (int t = 0; t < 5000; t++) { STATEMENT }",
        "for (int t = 10; t < 0; t++) { STATEMENT }",
        "int n = int.MaxValue; n++; STATEMENT",
        "while (true) { STATEMENT }",
        "if (true) { STATEMENT }",
        "{ STATEMENT }",
    };

    private readonly Random random;

    public ModelMutator(Random random) => this.random = random;

    /// <summary>What was done, one entry per mutation, to reproduce and read a failing case.</summary>
    public List<string> Applied { get; } = new();

    /// <summary>Applies <paramref name="count"/> mutations in turn; a mutation that finds nothing to change is replaced by another.</summary>
    public string Mutate(string source, int count)
    {
        for (int i = 0; i < count; i++)
        {
            for (int attempt = 0; attempt < 20; attempt++)
            {
                var root = CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions).GetRoot();
                string? mutated = MutateOnce(root, source);
                if (mutated is not null)
                {
                    source = mutated;
                    break;
                }
            }
        }

        return source;
    }

    private string? MutateOnce(SyntaxNode root, string source) => random.Next(17) switch
    {
        0 => ChangeNumber(root, source),
        1 => ChangeString(root, source),
        2 => SwapArguments(root, source),
        3 => SwapShapes(root, source),
        4 => DropAttribute(root, source),
        5 => AddAttribute(root, source),
        6 => Rename(root, source, everywhere: true),
        7 => Rename(root, source, everywhere: false),
        8 => DeleteStatementOrMember(root, source),
        9 => DuplicateMember(root, source),
        10 => ChangeOperation(root, source),
        11 => ReplaceExpression(root, source),
        12 => ChangeOperator(root, source),
        13 => ChangeDeclaration(root, source),
        14 => InsertStatement(root, source),
        15 => Rename(root, source, everywhere: true),
        _ => ChangeNumber(root, source),
    };

    private string? ChangeNumber(SyntaxNode root, string source)
    {
        var literal = Pick(root.DescendantNodes().OfType<LiteralExpressionSyntax>().Where(l => l.IsKind(SyntaxKind.NumericLiteralExpression)));
        return literal is null ? null : Splice(source, literal.Span, Choose(Numbers), "number");
    }

    private string? ChangeString(SyntaxNode root, string source)
    {
        var literal = Pick(root.DescendantNodes().OfType<LiteralExpressionSyntax>().Where(l => l.IsKind(SyntaxKind.StringLiteralExpression)));
        return literal is null ? null : Splice(source, literal.Span, "\"" + Choose(Strings) + "\"", "string");
    }

    private string? SwapArguments(SyntaxNode root, string source)
    {
        var lists = root.DescendantNodes()
            .Select(n => n switch
            {
                ArgumentListSyntax a when a.Arguments.Count > 1 => a.Arguments.Cast<SyntaxNode>().ToList(),
                AttributeArgumentListSyntax a when a.Arguments.Count > 1 => a.Arguments.Cast<SyntaxNode>().ToList(),
                ParameterListSyntax p when p.Parameters.Count > 1 => p.Parameters.Cast<SyntaxNode>().ToList(),
                _ => null,
            })
            .Where(l => l is not null)
            .ToList();
        var list = Pick(lists);
        if (list is null)
        {
            return null;
        }

        int a = random.Next(list.Count);
        int b = (a + 1 + random.Next(list.Count - 1)) % list.Count;
        return SwapSpans(source, list[a].Span, list[b].Span, "swap arguments");
    }

    private string? SwapShapes(SyntaxNode root, string source)
    {
        var shapes = root.DescendantNodes().OfType<AttributeSyntax>()
            .Where(a => a.Name.ToString() is "Param" or "Shape" or "Indices" && a.ArgumentList is not null)
            .Select(a => a.ArgumentList!)
            .ToList();
        if (shapes.Count < 2)
        {
            return null;
        }

        int a = random.Next(shapes.Count);
        int b = (a + 1 + random.Next(shapes.Count - 1)) % shapes.Count;
        return SwapSpans(source, shapes[a].Span, shapes[b].Span, "swap shapes");
    }

    private string? DropAttribute(SyntaxNode root, string source)
    {
        var attribute = Pick(root.DescendantNodes().OfType<AttributeSyntax>());
        if (attribute is null)
        {
            return null;
        }

        var list = (AttributeListSyntax)attribute.Parent!;
        return list.Attributes.Count == 1
            ? Splice(source, list.Span, string.Empty, "drop [" + attribute + "]")
            : Splice(source, attribute.Span, "Obsolete", "drop [" + attribute + "]");
    }

    private string? AddAttribute(SyntaxNode root, string source)
    {
        var targets = root.DescendantNodes().Where(n => n is MemberDeclarationSyntax and not NamespaceDeclarationSyntax and not FileScopedNamespaceDeclarationSyntax || n is ParameterSyntax).ToList();
        var target = Pick(targets);
        if (target is null)
        {
            return null;
        }

        // Before the first modifier or type of the declaration, after its existing attributes.
        int at = target switch
        {
            MemberDeclarationSyntax member when member.Modifiers.Count > 0 => member.Modifiers[0].SpanStart,
            ParameterSyntax parameter when parameter.Type is not null => parameter.Modifiers.Count > 0 ? parameter.Modifiers[0].SpanStart : parameter.Type.SpanStart,
            _ => target.Span.Start,
        };
        string attribute = Choose(Attributes);
        return Splice(source, new Microsoft.CodeAnalysis.Text.TextSpan(at, 0), attribute + " ", "add " + attribute);
    }

    /// <summary>Renames a declared name: every use of it too (<paramref name="everywhere"/>), or only the declaration.</summary>
    private string? Rename(SyntaxNode root, string source, bool everywhere)
    {
        var identifiers = root.DescendantNodes()
            .Select(n => n switch
            {
                BaseTypeDeclarationSyntax type => type.Identifier,
                PropertyDeclarationSyntax property => property.Identifier,
                MethodDeclarationSyntax method => method.Identifier,
                ParameterSyntax parameter => parameter.Identifier,
                VariableDeclaratorSyntax variable => variable.Identifier,
                _ => default,
            })
            .Where(t => t.IsKind(SyntaxKind.IdentifierToken))
            .ToList();
        if (identifiers.Count == 0)
        {
            return null;
        }

        var chosen = identifiers[random.Next(identifiers.Count)];
        string name = random.Next(3) == 0 ? identifiers[random.Next(identifiers.Count)].Text : Choose(Names);
        var spans = everywhere
            ? root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == chosen.ValueText).Select(t => t.Span).ToList()
            : new List<Microsoft.CodeAnalysis.Text.TextSpan> { chosen.Span };
        foreach (var span in spans.OrderByDescending(s => s.Start))
        {
            source = source.Substring(0, span.Start) + name + source.Substring(span.End);
        }

        Applied.Add($"rename {chosen.ValueText} -> {name}{(everywhere ? " everywhere" : " at its declaration")}");
        return source;
    }

    private string? DeleteStatementOrMember(SyntaxNode root, string source)
    {
        var node = Pick(root.DescendantNodes().Where(n => n is StatementSyntax && n.Parent is BlockSyntax || n is MemberDeclarationSyntax && n.Parent is TypeDeclarationSyntax));
        return node is null ? null : Splice(source, node.Span, string.Empty, "delete " + Short(node));
    }

    private string? DuplicateMember(SyntaxNode root, string source)
    {
        var member = Pick(root.DescendantNodes().OfType<MemberDeclarationSyntax>().Where(m => m.Parent is TypeDeclarationSyntax));
        return member is null ? null : Splice(source, new Microsoft.CodeAnalysis.Text.TextSpan(member.Span.End, 0), "\n" + member.ToString(), "duplicate " + Short(member));
    }

    private string? ChangeOperation(SyntaxNode root, string source)
    {
        var names = root.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Select(i => i.Expression switch
            {
                IdentifierNameSyntax name => name,
                MemberAccessExpressionSyntax access => access.Name as IdentifierNameSyntax,
                _ => null,
            })
            .Where(n => n is not null)
            .ToList();
        var chosen = Pick(names);
        return chosen is null ? null : Splice(source, chosen.Span, Choose(Operations), "operation " + chosen);
    }

    /// <summary>Replaces an expression of a method body by another expression of the same method.</summary>
    private string? ReplaceExpression(SyntaxNode root, string source)
    {
        var method = Pick(root.DescendantNodes().OfType<MethodDeclarationSyntax>());
        var expressions = method?.DescendantNodes().OfType<ExpressionSyntax>().Where(e => e is not LiteralExpressionSyntax || random.Next(2) == 0).ToList();
        if (expressions is null || expressions.Count < 2)
        {
            return null;
        }

        var target = expressions[random.Next(expressions.Count)];
        var replacement = expressions[random.Next(expressions.Count)];
        return target.Span.OverlapsWith(replacement.Span) || target.Span.Contains(replacement.Span) || replacement.Span.Contains(target.Span)
            ? null
            : Splice(source, target.Span, replacement.ToString(), $"replace {Short(target)} by {Short(replacement)}");
    }

    private string? ChangeOperator(SyntaxNode root, string source)
    {
        var binary = Pick(root.DescendantNodes().OfType<BinaryExpressionSyntax>());
        return binary is null ? null : Splice(source, binary.OperatorToken.Span, Choose(Operators), "operator " + binary.OperatorToken.Text);
    }

    /// <summary>Changes how the class or a member is declared: partial, static, record, struct, return types, nesting.</summary>
    private string? ChangeDeclaration(SyntaxNode root, string source)
    {
        var type = root.DescendantNodes().OfType<TypeDeclarationSyntax>().FirstOrDefault();
        var member = Pick(root.DescendantNodes().OfType<MemberDeclarationSyntax>().Where(m => m.Parent is TypeDeclarationSyntax));
        switch (random.Next(8))
        {
            case 0 when type is not null:
                return Splice(source, type.Keyword.Span, Choose(new[] { "record", "struct", "record class", "interface" }), "class keyword");
            case 1 when type is not null && type.Modifiers.Any(SyntaxKind.PartialKeyword):
                return Splice(source, type.Modifiers.First(m => m.IsKind(SyntaxKind.PartialKeyword)).Span, string.Empty, "class not partial");
            case 2 when member is not null && member.Modifiers.Any(SyntaxKind.PartialKeyword):
                return Splice(source, member.Modifiers.First(m => m.IsKind(SyntaxKind.PartialKeyword)).Span, string.Empty, "member not partial");
            case 3 when member is not null && member.Modifiers.Count > 0:
                return Splice(source, new Microsoft.CodeAnalysis.Text.TextSpan(member.Modifiers[0].SpanStart, 0), Choose(new[] { "static ", "private ", "internal ", "new " }), "modifier on " + Short(member));
            case 4 when member is MethodDeclarationSyntax method:
                return Splice(source, method.ReturnType.Span, Choose(new[] { "double", "void", "Tensor?", "int" }), "return type of " + method.Identifier);
            case 5 when member is PropertyDeclarationSyntax property:
                return Splice(source, property.Type.Span, Choose(new[] { "double", "Tensor?", "int[]" }), "type of " + property.Identifier);
            case 6 when type is not null:
                string outer = Choose(new[] { "public partial class Outer<U> where U : struct", "public partial record Holder<A, B>", "public class NotPartial", "public static partial class Holder" });
                Applied.Add("nest in " + outer);
                return source.Substring(0, type.FullSpan.Start) + outer + "\n{\n" + type.ToFullString() + "\n}\n" + source.Substring(type.FullSpan.End);
            case 7 when type is not null && type.TypeParameterList is not null:
                return Splice(source, type.TypeParameterList.Span, "<T, U>", "type parameters");
            default:
                return null;
        }
    }

    /// <summary>Wraps a statement of a method body in a loop (with bounds at the edges of int and long), a branch or a block.</summary>
    private string? InsertStatement(SyntaxNode root, string source)
    {
        var statement = Pick(root.DescendantNodes().OfType<StatementSyntax>().Where(s => s.Parent is BlockSyntax && s is not LocalDeclarationStatementSyntax));
        if (statement is null)
        {
            return null;
        }

        string wrapper = Choose(Statements);
        return Splice(source, statement.Span, wrapper.Replace("STATEMENT", statement.ToString()), "wrap in " + wrapper.Replace(" STATEMENT", string.Empty));
    }

    private string Splice(string source, Microsoft.CodeAnalysis.Text.TextSpan span, string text, string what)
    {
        Applied.Add($"{what} -> {text.Replace("\n", " ")}");
        return source.Substring(0, span.Start) + text + source.Substring(span.End);
    }

    private string SwapSpans(string source, Microsoft.CodeAnalysis.Text.TextSpan a, Microsoft.CodeAnalysis.Text.TextSpan b, string what)
    {
        if (a.Start > b.Start)
        {
            (a, b) = (b, a);
        }

        if (a.OverlapsWith(b) || a.Contains(b) || b.Contains(a))
        {
            return source;
        }

        string first = source.Substring(a.Start, a.Length);
        string second = source.Substring(b.Start, b.Length);
        Applied.Add($"{what}: {first} <-> {second}");
        return source.Substring(0, a.Start) + second + source.Substring(a.End, b.Start - a.End) + first + source.Substring(b.End);
    }

    private string Choose(string[] items) => items[random.Next(items.Length)];

    private T? Pick<T>(IEnumerable<T> items)
    {
        var list = items as IReadOnlyList<T> ?? items.ToList();
        return list.Count == 0 ? default : list[random.Next(list.Count)];
    }

    private static string Short(SyntaxNode node)
    {
        string text = string.Join(" ", node.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length > 50 ? text.Substring(0, 47) + "..." : text;
    }
}
