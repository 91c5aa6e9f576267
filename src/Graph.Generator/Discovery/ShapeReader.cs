using System.Collections.Immutable;
using System.Globalization;
using Graph.Generator.Common;
using Graph.Generator.Diagnostics;
using Graph.Generator.Spec;
using Microsoft.CodeAnalysis;

namespace Graph.Generator.Discovery;

/// <summary>
/// Reads the dimensions of a [Param] or [Shape] attribute: positive integers, or names declared with [Size] on the
/// model. Each dimension is kept as text (digits or the name), which the IR parses back. A shape's element count,
/// with each named size at its default, must fit the int that indexes a .NET array.
/// </summary>
internal sealed class ShapeReader
{
    private readonly Dictionary<string, int> sizes;
    private readonly HashSet<string> rejectedSizes;
    private readonly List<DiagnosticInfo> diagnostics;

    /// <param name="sizes">The model's valid named sizes, with their defaults.</param>
    /// <param name="rejectedSizes">Names declared with [Size] whose declaration was already reported as invalid: a shape naming one is invalid, but not reported again.</param>
    public ShapeReader(IEnumerable<SizeSpec> sizes, IEnumerable<string> rejectedSizes, List<DiagnosticInfo> diagnostics)
    {
        this.sizes = sizes.ToDictionary(s => s.Name, s => s.Default, StringComparer.Ordinal);
        this.rejectedSizes = new HashSet<string>(rejectedSizes, StringComparer.Ordinal);
        this.diagnostics = diagnostics;
    }

    /// <summary>The dimensions, or null after reporting why they are not valid.</summary>
    public string[]? Read(ImmutableArray<TypedConstant> arguments, string what, Location? location)
    {
        var dims = new List<string>();
        long elements = 1;
        foreach (var value in ModelDiscoverer.Flatten(arguments))
        {
            switch (value)
            {
                case int dim when dim > 0:
                    dims.Add(dim.ToString(CultureInfo.InvariantCulture));
                    elements = Math.Min(elements * dim, (long)int.MaxValue + 1);
                    break;
                case string name when sizes.TryGetValue(name, out int size):
                    dims.Add(name);
                    elements = Math.Min(elements * size, (long)int.MaxValue + 1);
                    break;
                case string name when rejectedSizes.Contains(name):
                    return null;
                case string name:
                    diagnostics.Add(DiagnosticInfo.At(
                        DiagnosticDescriptors.UnknownSize.Id,
                        LocationInfo.From(location),
                        what,
                        sizes.Count == 0
                            ? $"the size '{name}' is not declared; add [Size(\"{name}\", default)] to the model"
                            : $"the size '{name}' is not declared; the model declares {string.Join(", ", sizes.Keys.OrderBy(s => s, StringComparer.Ordinal))}"));
                    return null;
                default:
                    Report(arguments, what, location, "every dimension must be a positive integer");
                    return null;
            }
        }

        if (elements > int.MaxValue)
        {
            string defaults = dims.Any(sizes.ContainsKey) ? " with its named sizes at their defaults" : string.Empty;
            Report(arguments, what, location, $"it has more than {int.MaxValue.ToString(CultureInfo.InvariantCulture)} elements{defaults}, the most a .NET array holds");
            return null;
        }

        return dims.ToArray();
    }

    /// <summary>The element count when every dimension is a number, else null. <see cref="Read"/> has checked that it fits an int.</summary>
    public static int? ConstantSize(IEnumerable<string> dims)
    {
        int size = 1;
        foreach (string dim in dims)
        {
            if (!int.TryParse(dim, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            {
                return null;
            }

            size = checked(size * value);
        }

        return size;
    }

    private void Report(ImmutableArray<TypedConstant> arguments, string what, Location? location, string problem)
    {
        var shown = ModelDiscoverer.Flatten(arguments).Select(v => v is string name ? name : Convert.ToString(v, CultureInfo.InvariantCulture));
        diagnostics.Add(DiagnosticInfo.At(DiagnosticDescriptors.InvalidShape.Id, LocationInfo.From(location), what, "[" + string.Join(",", shown) + "]", problem));
    }
}
