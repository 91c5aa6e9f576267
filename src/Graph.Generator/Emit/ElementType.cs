using System.Globalization;

namespace Graph.Generator.Emit;

/// <summary>How generated code spells numbers and math functions for the model's element type.</summary>
internal sealed class ElementType
{
    private readonly string suffix;

    private ElementType(string name, string math, string suffix, bool generic)
    {
        Name = name;
        Math = math;
        this.suffix = suffix;
        IsGeneric = generic;
    }

    /// <summary>float, double, or a model's type parameter (any IFloatingPointIeee754 type, bound when the model is created).</summary>
    public static ElementType Of(string name) => name switch
    {
        "float" => new ElementType("float", "global::System.MathF", "f", generic: false),
        "double" => new ElementType("double", "global::System.Math", string.Empty, generic: false),
        _ => new ElementType(name, name, string.Empty, generic: true),
    };

    /// <summary>True when the element type is the model's type parameter.</summary>
    public bool IsGeneric { get; }

    /// <summary>Converts a double or int expression to the element type.</summary>
    public string Convert(string expression) => IsGeneric ? $"{Name}.CreateTruncating({expression})" : $"({Name})({expression})";

    /// <summary>The C# keyword: float or double.</summary>
    public string Name { get; }

    /// <summary>The class holding Exp, Tanh and Log for this type.</summary>
    public string Math { get; }

    /// <summary>A literal of this type that round-trips the value, parenthesised when negative.</summary>
    public string Literal(double value)
    {
        if (IsGeneric)
        {
            return value == 0 ? Name + ".Zero" : value == 1 ? Name + ".One" : $"{Name}.CreateTruncating({ElementType.Of("double").Literal(value)})";
        }

        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            string special = double.IsNaN(value) ? "NaN" : value > 0 ? "PositiveInfinity" : "NegativeInfinity";
            return Name + "." + special;
        }

        string text = Name == "float"
            ? ((float)value).ToString("R", CultureInfo.InvariantCulture)
            : value.ToString("R", CultureInfo.InvariantCulture);
        if (text.IndexOfAny(new[] { '.', 'E', 'e' }) < 0)
        {
            text += ".0";
        }

        text += suffix;
        return value < 0 ? "(" + text + ")" : text;
    }
}
