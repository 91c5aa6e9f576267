namespace Graph.Generator.Emit;

/// <summary>
/// Prints a name from the user's model as a C# identifier: a reserved keyword gets C#'s <c>@</c> (a parameter
/// declared as <c>@class</c> is named <c>class</c> in the spec and printed <c>@class</c>). Names that only prefix
/// a generated name (<c>valueclass</c>) need no escape.
/// </summary>
internal static class Identifier
{
    /// <summary>C#'s reserved keywords (contextual keywords such as <c>var</c> or <c>value</c> are valid identifiers).</summary>
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while", "__arglist", "__makeref", "__reftype", "__refvalue",
    };

    public static string Escape(string name) => Keywords.Contains(name) ? "@" + name : name;

    /// <summary>A dotted name (a namespace), each part escaped.</summary>
    public static string EscapeDotted(string name) => string.Join(".", name.Split('.').Select(Escape));
}
