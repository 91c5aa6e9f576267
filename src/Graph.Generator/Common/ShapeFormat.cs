using System.Globalization;

namespace Graph.Generator.Common;

/// <summary>Formats shapes the way diagnostics and generated comments show them: <c>[784,40]</c>, <c>[]</c> for a scalar.</summary>
internal static class ShapeFormat
{
    public static string Of(IEnumerable<int> dims) =>
        "[" + string.Join(",", dims.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";
}
