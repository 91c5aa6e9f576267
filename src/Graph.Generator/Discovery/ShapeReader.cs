using System.Collections.Immutable;
using System.Globalization;
using Graph.Generator.Common;
using Graph.Generator.Diagnostics;
using Graph.Generator.Spec;
using Microsoft.CodeAnalysis;

namespace Graph.Generator.Discovery;

/// <summary>
/// Reads the dimensions of a [Param] or [Shape] attribute: positive integers, or names declared with [Size] on the
/// model. Each dimension is kept as text (digits or the name), which the IR parses back.
/// </summary>
internal sealed class ShapeReader
{
    private readonly HashSet<string> sizes;
    private readonly List<DiagnosticInfo> diagnostics;

    public ShapeReader(IEnumerable<string> sizes, List<DiagnosticInfo> diagnostics)
    {
        this.sizes = new HashSet<string>(sizes, StringComparer.Ordinal);
        this.diagnostics = diagnostics;
    }

    /// <summary>The dimensions, or null after reporting why they are not valid.</summary>
    public string[]? Read(ImmutableArray<TypedConstant> arguments, string what, Location? location)
    {
        var dims = new List<string>();
        foreach (var value in ModelDiscoverer.Flatten(arguments))
        {
            switch (value)
            {
                case int dim when dim > 0:
                    dims.Add(dim.ToString(CultureInfo.InvariantCulture));
                    break;
                case string name when sizes.Contains(name):
                    dims.Add(name);
                    break;
                case string name:
                    diagnostics.Add(DiagnosticInfo.At(
                        DiagnosticDescriptors.UnknownSize.Id,
                        LocationInfo.From(location),
                        what,
                        sizes.Count == 0
                            ? $"the size '{name}' is not declared; add [Size(\"{name}\", default)] to the model"
                            : $"the size '{name}' is not declared; the model declares {string.Join(", ", sizes.OrderBy(s => s, StringComparer.Ordinal))}"));
                    return null;
                default:
                    var shown = ModelDiscoverer.Flatten(arguments).Select(v => Convert.ToString(v, CultureInfo.InvariantCulture));
                    diagnostics.Add(DiagnosticInfo.At(DiagnosticDescriptors.InvalidShape.Id, LocationInfo.From(location), what, "[" + string.Join(",", shown) + "]"));
                    return null;
            }
        }

        return dims.ToArray();
    }

    /// <summary>The element count when every dimension is a number, else null.</summary>
    public static int? ConstantSize(IEnumerable<string> dims)
    {
        int size = 1;
        foreach (string dim in dims)
        {
            if (!int.TryParse(dim, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            {
                return null;
            }

            size *= value;
        }

        return size;
    }
}
