using System.Globalization;
using System.Numerics;
using System.Text;

namespace Graph.Samples.Formatting;

/// <summary>
/// Prints values the way the book's Python prints them: <c>str(float)</c> (which is <c>repr</c>), Python lists of
/// numbers and of strings, and float and integer numpy arrays under numpy's default print options (precision 8,
/// <c>floatmode='maxprec'</c>, line width 75).
/// </summary>
/// <remarks>
/// <para>Digits come from the shortest round-trip representation of the value in its own type, so a
/// <see cref="float"/> prints its own shortest digits (as numpy prints a float32), not those of the double it
/// widens to.</para>
/// <para>numpy arrays are never summarised (numpy elides arrays of more than 1000 elements with <c>...</c>).</para>
/// </remarks>
public static class PythonFormat
{
    private const int NumpyPrecision = 8;
    private const int NumpyLineWidth = 75;

    /// <summary>CPython's <c>repr(x)</c> of a float: shortest round-trip digits, positional when the decimal
    /// exponent is in [-4, 16), otherwise scientific with at least two exponent digits.</summary>
    public static string Repr(double value) => Repr(Decompose(value));

    /// <summary>The repr of a float32 by its own shortest digits (as <c>repr(np.float32(x))</c> shows them).</summary>
    public static string Repr(float value) => Repr(Decompose(value));

    /// <summary><see cref="Repr(double)"/> or <see cref="Repr(float)"/>, by the element type.</summary>
    public static string Repr<T>(T value)
        where T : IFloatingPointIeee754<T> => Repr(Decompose(value));

    /// <summary>CPython's <c>str(list)</c> of floats: <c>[0.195, 0.13, 0.5850000000000001]</c>.</summary>
    public static string List<T>(ReadOnlySpan<T> values)
        where T : IFloatingPointIeee754<T> => List(values, static _ => false);

    /// <summary>
    /// <c>str(list)</c> where the elements at <paramref name="integerZeros"/> are the Python int <c>0</c> (printed
    /// <c>0</c>), as in the book's <c>weight_deltas[0] = 0</c>; each of those values must be zero.
    /// </summary>
    public static string List<T>(ReadOnlySpan<T> values, ReadOnlySpan<int> integerZeros)
        where T : IFloatingPointIeee754<T>
    {
        var zeros = integerZeros.ToArray();
        foreach (int index in zeros)
        {
            if ((uint)index >= (uint)values.Length || !T.IsZero(values[index]))
            {
                throw new ArgumentException($"Element {index} is not a zero of the list, so it cannot print as the int 0.", nameof(integerZeros));
            }
        }

        return List(values, i => Array.IndexOf(zeros, i) >= 0);
    }

    /// <summary>CPython's <c>str</c> of a list of lists (a row-major matrix): <c>[[1.0, 2.0], [3.0, 4.0]]</c>.</summary>
    public static string NestedList<T>(ReadOnlySpan<T> values, int rows, int columns)
        where T : IFloatingPointIeee754<T>
    {
        CheckShape(values.Length, [rows, columns]);
        var text = new StringBuilder("[");
        for (int row = 0; row < rows; row++)
        {
            if (row > 0)
            {
                text.Append(", ");
            }

            text.Append(List(values.Slice(row * columns, columns)));
        }

        return text.Append(']').ToString();
    }

    /// <summary>
    /// <c>str(array)</c> of a float numpy array of the given shape (a vector when no shape is given), e.g.
    /// <c>[0.2135 0.145  0.5065]</c>: every element by the same rule (positional or scientific), padded to a
    /// common width, rows wrapped at 75 characters as numpy wraps them.
    /// </summary>
    public static string NumpyArray<T>(ReadOnlySpan<T> values, params int[] shape)
        where T : IFloatingPointIeee754<T>
    {
        if (shape.Length == 0)
        {
            shape = [values.Length];
        }

        CheckShape(values.Length, shape);
        var decimals = new DecimalDigits[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            decimals[i] = Decompose(values[i]);
        }

        var format = NumpyFloatFormat.For(decimals);
        var words = decimals.Select(format.Format).ToArray();
        int offset = 0;
        return FormatAxis(words, shape, 0, ref offset, " ", NumpyLineWidth, " ");
    }

    /// <summary>
    /// <c>str(array)</c> of a numpy bool array of the given shape (a vector when no shape is given), e.g.
    /// <c>[ True  True False]</c>: numpy writes <c>True</c> as <c>" True"</c>, the width of <c>False</c>.
    /// </summary>
    public static string NumpyBoolArray(ReadOnlySpan<bool> values, params int[] shape)
    {
        var words = new string[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            words[i] = values[i] ? " True" : "False";
        }

        return NumpyWords(words, shape);
    }

    /// <summary>
    /// <c>str(array)</c> of an integer numpy array of the given shape (a vector when no shape is given), e.g.
    /// <c>[13 15 17]</c>: every element right-aligned to the widest, rows wrapped at 75 characters as numpy wraps them.
    /// </summary>
    public static string NumpyIntegerArray(ReadOnlySpan<long> values, params int[] shape) =>
        NumpyWords(IntegerWords(values), shape);

    /// <summary>
    /// <c>repr(array)</c> of an integer numpy array of the given shape (a vector when no shape is given), as the book's
    /// notebook displays it: <c>array([56, 61, 49])</c>, elements right-aligned to the widest and separated by
    /// <c>", "</c>, rows wrapped at 75 characters (the closing parenthesis counted) under the first element.
    /// </summary>
    public static string NumpyIntegerArrayRepr(ReadOnlySpan<long> values, params int[] shape)
    {
        if (shape.Length == 0)
        {
            shape = [values.Length];
        }

        CheckShape(values.Length, shape);
        var words = IntegerWords(values);
        int offset = 0;
        const string Prefix = "array(";
        return Prefix + FormatAxis(words, shape, 0, ref offset, new string(' ', Prefix.Length + 1), NumpyLineWidth - 1, ", ") + ")";
    }

    /// <summary>CPython's <c>str(list)</c> of strings: <c>['mary', 'moved', '\tbathroom\t1']</c>, each by <see cref="Repr(string)"/>.</summary>
    public static string StringList(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return "[" + string.Join(", ", values.Select(Repr)) + "]";
    }

    /// <summary>CPython's <c>str</c> of a list of lists of strings: <c>[['mary', 'moved'], ['john']]</c>.</summary>
    public static string NestedStringList(IEnumerable<IEnumerable<string>> lists)
    {
        ArgumentNullException.ThrowIfNull(lists);
        return "[" + string.Join(", ", lists.Select(StringList)) + "]";
    }

    /// <summary>Integers as numpy writes them in an array: each right-aligned to the widest.</summary>
    private static string[] IntegerWords(ReadOnlySpan<long> values)
    {
        var words = new string[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            words[i] = values[i].ToString(CultureInfo.InvariantCulture);
        }

        int width = words.Length == 0 ? 0 : words.Max(w => w.Length);
        return words.Select(w => w.PadLeft(width)).ToArray();
    }

    /// <summary>Array elements already written as words, bracketed by the shape (a vector when none is given) and wrapped as numpy does.</summary>
    private static string NumpyWords(string[] words, int[] shape)
    {
        if (shape.Length == 0)
        {
            shape = [words.Length];
        }

        CheckShape(words.Length, shape);
        int offset = 0;
        return FormatAxis(words, shape, 0, ref offset, " ", NumpyLineWidth, " ");
    }

    private static string List<T>(ReadOnlySpan<T> values, Func<int, bool> isIntegerZero)
        where T : IFloatingPointIeee754<T>
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append(isIntegerZero(i) ? "0" : Repr(values[i]));
        }

        return text.Append(']').ToString();
    }

    private static void CheckShape(int length, int[] shape)
    {
        long size = 1;
        foreach (int dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"The shape [{string.Join(", ", shape)}] has a negative dimension.", nameof(shape));
            }

            size *= dim;
        }

        if (size != length)
        {
            throw new ArgumentException($"The shape [{string.Join(", ", shape)}] holds {size} elements, but {length} values were given.", nameof(shape));
        }
    }

    /// <summary>numpy's <c>_formatArray</c> (no summarisation): nested brackets, rows wrapped at the line width.</summary>
    private static string FormatAxis(string[] words, int[] shape, int axis, ref int offset, string hangingIndent, int width, string separator)
    {
        int length = shape[axis];
        int axesLeft = shape.Length - axis;
        string nextIndent = hangingIndent + " ";
        int nextWidth = width - 1;
        var text = new StringBuilder();
        if (axesLeft == 1)
        {
            // Each word must leave room for the separator or the closing bracket.
            int elementWidth = width - 1;
            var line = new StringBuilder(hangingIndent);
            for (int i = 0; i < length; i++)
            {
                string word = words[offset++];
                bool wrap = line.Length + word.Length > elementWidth && line.Length > hangingIndent.Length;
                if (wrap)
                {
                    text.Append(line.ToString().TrimEnd()).Append('\n');
                    line.Clear().Append(hangingIndent);
                }

                line.Append(word);
                if (i < length - 1)
                {
                    line.Append(separator);
                }
            }

            text.Append(line);
        }
        else
        {
            string rowSeparator = separator.TrimEnd() + new string('\n', axesLeft - 1);
            for (int i = 0; i < length; i++)
            {
                text.Append(hangingIndent).Append(FormatAxis(words, shape, axis + 1, ref offset, nextIndent, nextWidth, separator));
                if (i < length - 1)
                {
                    text.Append(rowSeparator);
                }
            }
        }

        return "[" + text.ToString(hangingIndent.Length, text.Length - hangingIndent.Length) + "]";
    }

    /// <summary>
    /// Python's <c>repr</c> of a string: in single quotes, or double quotes when it holds a single quote and no
    /// double quote; backslashes, the quote used, tabs, newlines and carriage returns escaped.
    /// </summary>
    public static string Repr(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        char quote = value.Contains('\'') && !value.Contains('"') ? '"' : '\'';
        var text = new StringBuilder().Append(quote);
        foreach (char c in value)
        {
            text.Append(c switch
            {
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c == quote => "\\" + c,
                _ => c.ToString(),
            });
        }

        return text.Append(quote).ToString();
    }

    private static string Repr(DecimalDigits value)
    {
        if (value.Kind != NumberKind.Finite)
        {
            return value.Kind switch
            {
                NumberKind.NaN => "nan",
                _ => value.Negative ? "-inf" : "inf",
            };
        }

        string sign = value.Negative ? "-" : string.Empty;
        if (value.IsZero)
        {
            return sign + "0.0";
        }

        string digits = value.Digits;
        int point = value.Point;
        if (point > -4 && point <= 16)
        {
            if (point <= 0)
            {
                return sign + "0." + new string('0', -point) + digits;
            }

            if (point >= digits.Length)
            {
                return sign + digits + new string('0', point - digits.Length) + ".0";
            }

            return sign + digits[..point] + "." + digits[point..];
        }

        string mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
        return sign + mantissa + Exponent(point - 1, 2);
    }

    private static string Exponent(int exponent, int minimumDigits) =>
        "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString(CultureInfo.InvariantCulture).PadLeft(minimumDigits, '0');

    private static DecimalDigits Decompose<T>(T value)
        where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return Decompose(double.CreateTruncating(value));
        }

        if (typeof(T) == typeof(float))
        {
            return Decompose(float.CreateTruncating(value));
        }

        throw new NotSupportedException($"Python formatting supports float and double, not {typeof(T).Name}.");
    }

    private static DecimalDigits Decompose(double value) =>
        DecimalDigits.From(value, value.ToString("R", CultureInfo.InvariantCulture));

    private static DecimalDigits Decompose(float value) =>
        DecimalDigits.From(value, value.ToString("R", CultureInfo.InvariantCulture));

    private enum NumberKind
    {
        Finite,
        Infinity,
        NaN,
    }

    /// <summary>
    /// A value as shortest round-trip decimal digits: value = 0.<see cref="Digits"/> × 10^<see cref="Point"/>,
    /// plus the exact binary value for rounding to fewer digits.
    /// </summary>
    private readonly record struct DecimalDigits(NumberKind Kind, bool Negative, string Digits, int Point, double Exact)
    {
        public bool IsZero => Digits.Length == 0;

        public static DecimalDigits From(double exact, string shortest)
        {
            if (double.IsNaN(exact))
            {
                return new DecimalDigits(NumberKind.NaN, false, string.Empty, 0, exact);
            }

            bool negative = double.IsNegative(exact);
            if (double.IsInfinity(exact))
            {
                return new DecimalDigits(NumberKind.Infinity, negative, string.Empty, 0, exact);
            }

            string text = shortest.TrimStart('-');
            int exponent = 0;
            int e = text.IndexOfAny(['E', 'e']);
            if (e >= 0)
            {
                exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                text = text[..e];
            }

            int dot = text.IndexOf('.');
            string integer = dot >= 0 ? text[..dot] : text;
            string fraction = dot >= 0 ? text[(dot + 1)..] : string.Empty;
            return Normalise(negative, integer + fraction, integer.Length + exponent, exact);
        }

        /// <summary>Strips leading and trailing zeros from the digits, keeping the value.</summary>
        public static DecimalDigits Normalise(bool negative, string digits, int point, double exact)
        {
            int leading = 0;
            while (leading < digits.Length && digits[leading] == '0')
            {
                leading++;
            }

            digits = digits[leading..].TrimEnd('0');
            point -= leading;
            return new DecimalDigits(NumberKind.Finite, negative, digits, digits.Length == 0 ? 0 : point, exact);
        }

        /// <summary>
        /// The exact value rounded half-to-even to 10^-<paramref name="decimals"/> (numpy's Dragon4 with a cutoff),
        /// as decimal digits; <see cref="Exact"/> must be finite.
        /// </summary>
        public DecimalDigits RoundedAt(int decimals)
        {
            // |value| = mantissa × 2^exponent exactly.
            long bits = BitConverter.DoubleToInt64Bits(Math.Abs(Exact));
            int biased = (int)((bits >> 52) & 0x7FF);
            long fraction = bits & 0xFFFFFFFFFFFFFL;
            BigInteger mantissa = biased == 0 ? fraction : fraction | (1L << 52);
            int exponent = biased == 0 ? -1074 : biased - 1075;

            // scaled = |value| × 10^decimals = numerator / denominator.
            BigInteger numerator = mantissa;
            BigInteger denominator = BigInteger.One;
            if (decimals >= 0)
            {
                numerator *= BigInteger.Pow(10, decimals);
            }
            else
            {
                denominator *= BigInteger.Pow(10, -decimals);
            }

            if (exponent >= 0)
            {
                numerator <<= exponent;
            }
            else
            {
                denominator <<= -exponent;
            }

            BigInteger quotient = BigInteger.DivRem(numerator, denominator, out BigInteger remainder);
            int half = (remainder * 2).CompareTo(denominator);
            if (half > 0 || (half == 0 && !quotient.IsEven))
            {
                quotient += 1;
            }

            string digits = quotient.ToString(CultureInfo.InvariantCulture);
            return Normalise(Negative, digits == "0" ? string.Empty : digits, digits.Length - decimals, Exact);
        }
    }

    /// <summary>numpy's <c>FloatingFormat</c> for one array under the default print options.</summary>
    private sealed class NumpyFloatFormat
    {
        private readonly bool scientific;
        private readonly int padLeft;
        private readonly int padRight;
        private readonly int precision;
        private readonly int exponentDigits;

        private NumpyFloatFormat(bool scientific, int padLeft, int padRight, int precision, int exponentDigits)
        {
            this.scientific = scientific;
            this.padLeft = padLeft;
            this.padRight = padRight;
            this.precision = precision;
            this.exponentDigits = exponentDigits;
        }

        public static NumpyFloatFormat For(DecimalDigits[] values)
        {
            var finite = values.Where(v => v.Kind == NumberKind.Finite).ToArray();
            var nonZero = finite.Where(v => !v.IsZero).Select(v => Math.Abs(v.Exact)).ToArray();
            bool scientific = nonZero.Length > 0
                && (nonZero.Max() >= 1e8 || nonZero.Min() < 1e-4 || nonZero.Max() / nonZero.Min() > 1e3);

            int padLeft = 0;
            int padRight = 0;
            int precision = 0;
            int exponentDigits = 0;
            if (scientific)
            {
                foreach (var value in finite)
                {
                    var (mantissa, exponent) = Scientific(value);
                    precision = Math.Max(precision, mantissa.Digits.Length - 1);
                    padLeft = Math.Max(padLeft, value.Negative ? 2 : 1);
                    exponentDigits = Math.Max(exponentDigits, Math.Max(2, Math.Abs(exponent).ToString(CultureInfo.InvariantCulture).Length));
                }

                padRight = exponentDigits + 2 + precision;
            }
            else
            {
                foreach (var value in finite)
                {
                    var (integer, fraction) = Positional(value);
                    padLeft = Math.Max(padLeft, integer.Length);
                    padRight = Math.Max(padRight, fraction.Length);
                }
            }

            if (finite.Length != values.Length)
            {
                bool negativeInfinity = values.Any(v => v.Kind == NumberKind.Infinity && v.Negative);
                int offset = padRight + 1;
                padLeft = Math.Max(padLeft, Math.Max("nan".Length - offset, "inf".Length + (negativeInfinity ? 1 : 0) - offset));
            }

            return new NumpyFloatFormat(scientific, padLeft, padRight, precision, exponentDigits);
        }

        public string Format(DecimalDigits value)
        {
            if (value.Kind != NumberKind.Finite)
            {
                string text = value.Kind == NumberKind.NaN ? "nan" : value.Negative ? "-inf" : "inf";
                return text.PadLeft(padLeft + padRight + 1);
            }

            if (scientific)
            {
                var (mantissa, exponent) = Scientific(value);
                string digits = mantissa.Digits.Length == 0 ? "0" : mantissa.Digits;
                string fraction = digits[1..].PadRight(precision, '0');
                string sign = value.Negative ? "-" : string.Empty;
                return (sign + digits[..1]).PadLeft(padLeft) + "." + fraction + Exponent(exponent, exponentDigits);
            }

            var (integer, fractionDigits) = Positional(value);
            return integer.PadLeft(padLeft) + "." + fractionDigits.PadRight(padRight);
        }

        /// <summary>dragon4_positional(unique=True, precision=8, trim='.'): the integer part (with sign) and the fraction digits.</summary>
        private static (string Integer, string Fraction) Positional(DecimalDigits value)
        {
            var digits = value.IsZero || value.Digits.Length - value.Point <= NumpyPrecision ? value : value.RoundedAt(NumpyPrecision);
            string sign = value.Negative ? "-" : string.Empty;
            if (digits.IsZero)
            {
                return (sign + "0", string.Empty);
            }

            string text = digits.Digits;
            int point = digits.Point;
            string integer = point <= 0 ? "0" : point >= text.Length ? text + new string('0', point - text.Length) : text[..point];
            string fraction = point <= 0 ? new string('0', -point) + text : point >= text.Length ? string.Empty : text[point..];
            return (sign + integer, fraction);
        }

        /// <summary>dragon4_scientific(unique=True, precision=8, trim='.'): the significant digits and the decimal exponent.</summary>
        private static (DecimalDigits Mantissa, int Exponent) Scientific(DecimalDigits value)
        {
            if (value.IsZero)
            {
                return (value, 0);
            }

            var digits = value.Digits.Length - 1 <= NumpyPrecision ? value : value.RoundedAt(NumpyPrecision - (value.Point - 1));
            return (digits, digits.Point - 1);
        }
    }
}
