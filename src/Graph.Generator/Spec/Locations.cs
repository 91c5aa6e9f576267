using Graph.Generator.Common;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Graph.Generator.Spec;

/// <summary>A source position as plain data (a <see cref="Location"/> would keep the syntax tree alive and never compare equal).</summary>
internal sealed record LocationInfo(string Path, int Start, int Length, int StartLine, int StartCharacter, int EndLine, int EndCharacter)
{
    public static LocationInfo? From(Location? location)
    {
        if (location is null || location.SourceTree is null)
        {
            return null;
        }

        var span = location.GetLineSpan();
        return new LocationInfo(
            location.SourceTree.FilePath,
            location.SourceSpan.Start,
            location.SourceSpan.Length,
            span.StartLinePosition.Line,
            span.StartLinePosition.Character,
            span.EndLinePosition.Line,
            span.EndLinePosition.Character);
    }

    public Location ToLocation() => Location.Create(
        Path,
        new TextSpan(Start, Length),
        new LinePositionSpan(new LinePosition(StartLine, StartCharacter), new LinePosition(EndLine, EndCharacter)));
}

/// <summary>Where a piece of the model sits in source, found by a key such as <c>node:Predict:3</c>.</summary>
internal sealed record KeyedLocation(string Key, LocationInfo Location);

/// <summary>The keys under which discovery records source positions for later diagnostics.</summary>
internal static class LocationKeys
{
    public const string Class = "class";

    public static string Parameter(string name) => "param:" + name;

    public static string Function(string name) => "function:" + name;

    public static string Input(string function, int index) => $"input:{function}:{index}";

    public static string Expression(string function, int index) => $"expr:{function}:{index}";

    /// <summary>The user's member number <paramref name="index"/> of <see cref="ModelSpec.Members"/>.</summary>
    public static string Member(int index) => $"member:{index}";

    /// <summary>The [Size] attribute declaring the size <paramref name="name"/>.</summary>
    public static string Size(string name) => "size:" + name;
}

/// <summary>A diagnostic as plain data: its id, message arguments and location (or a key to find it by).</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, string? LocationKey, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo At(string id, LocationInfo? location, params string[] arguments) =>
        new(id, location, null, arguments.ToEquatableArray());

    public static DiagnosticInfo AtKey(string id, string key, params string[] arguments) =>
        new(id, null, key, arguments.ToEquatableArray());
}
