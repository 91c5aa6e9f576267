using System.Globalization;

namespace Graph.Generator.Shapes;

/// <summary>
/// A dimension or element count: a positive integer times a product of named sizes, such as <c>784</c>,
/// <c>Hidden</c> or <c>784·Hidden</c>. Named sizes are declared on the model with <c>[Size("Hidden", 40)]</c> and
/// fixed when a model is constructed, so shapes stay static for the whole life of a model object.
/// </summary>
internal sealed class Size : IEquatable<Size>
{
    public static readonly Size One = new(1, Array.Empty<string>());

    public static readonly Size Zero = new(0, Array.Empty<string>());

    /// <summary>The batch size, a named size bound by each call rather than by the constructor.</summary>
    public static readonly Size Batch = new(1, new[] { BatchSymbol });

    /// <summary>The symbol of <see cref="Batch"/>; '@' keeps it apart from every C# identifier a model can declare.</summary>
    public const string BatchSymbol = "@batch";

    private readonly string[] symbols;

    private Size(int coefficient, string[] symbols)
    {
        Coefficient = coefficient;
        this.symbols = coefficient == 0 ? Array.Empty<string>() : symbols;
    }

    public static Size Of(int value) => new(value, Array.Empty<string>());

    public static Size Named(string symbol) => new(1, new[] { symbol });

    /// <summary>Reads a dimension as declared in a spec: digits, or the name of a size.</summary>
    public static Size Parse(string dimension) =>
        int.TryParse(dimension, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? Of(value) : Named(dimension);

    public int Coefficient { get; }

    /// <summary>The named sizes multiplied in, in ordinal order.</summary>
    public IReadOnlyList<string> Symbols => symbols;

    /// <summary>True when the value is known when the model is compiled.</summary>
    public bool IsConstant => symbols.Length == 0;

    public bool IsOne => IsConstant && Coefficient == 1;

    public bool IsZero => Coefficient == 0;

    /// <summary>The value of a constant size.</summary>
    public int Value => IsConstant ? Coefficient : throw new InvalidOperationException($"{this} is known only when the model is constructed.");

    /// <summary>The product; throws <see cref="SizeOverflowException"/> when its number part passes int.MaxValue.</summary>
    public static Size operator *(Size left, Size right) =>
        new(Checked(left.Coefficient, right.Coefficient, (long)left.Coefficient * right.Coefficient, "*"), left.symbols.Concat(right.symbols).OrderBy(s => s, StringComparer.Ordinal).ToArray());

    public static Size operator *(Size left, int right) => new(Checked(left.Coefficient, right, (long)left.Coefficient * right, "*"), left.symbols);

    /// <summary>
    /// The sum of two sizes when it is again a size: both numbers, or multiples of the same named sizes
    /// (<c>Hidden + 2·Hidden = 3·Hidden</c>); null otherwise (<c>Hidden + 3</c>).
    /// </summary>
    public static Size? Sum(Size left, Size right) =>
        left.IsZero ? right
        : right.IsZero ? left
        : left.symbols.SequenceEqual(right.symbols) ? new(Checked(left.Coefficient, right.Coefficient, (long)left.Coefficient + right.Coefficient, "+"), left.symbols)
        : null;

    /// <summary>The result of an operation on two number parts, which must fit an int (the index of a .NET array).</summary>
    private static int Checked(int left, int right, long result, string operation) =>
        result is >= int.MinValue and <= int.MaxValue
            ? (int)result
            : throw new SizeOverflowException($"{left.ToString(CultureInfo.InvariantCulture)} {operation} {right.ToString(CultureInfo.InvariantCulture)} = {result.ToString(CultureInfo.InvariantCulture)}");

    public bool Equals(Size? other) => other is not null && Coefficient == other.Coefficient && symbols.SequenceEqual(other.symbols);

    public override bool Equals(object? obj) => Equals(obj as Size);

    public override int GetHashCode() => symbols.Aggregate(Coefficient, (h, s) => unchecked((h * 31) + s.GetHashCode()));

    /// <summary>How shapes show it in diagnostics and comments: <c>784</c>, <c>Hidden</c>, <c>10*Hidden</c>.</summary>
    public override string ToString() => Format(s => s, "*");

    /// <summary>A C# expression for the size, with each named size read through <paramref name="name"/>.</summary>
    public string Expression(Func<string, string> name) => Format(name, " * ");

    private string Format(Func<string, string> name, string times)
    {
        var parts = new List<string>();
        if (Coefficient != 1 || symbols.Length == 0)
        {
            parts.Add(Coefficient.ToString(CultureInfo.InvariantCulture));
        }

        parts.AddRange(symbols.Select(name));
        return string.Join(times, parts);
    }
}
