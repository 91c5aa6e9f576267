using Graph.Generator.IR;

namespace Graph.Generator.Emit;

/// <summary>
/// Writes an elementwise op's <see cref="Scalar"/> template as a C# expression: of one element, or, for a template
/// with a vector form (<see cref="Scalar.HasLanes"/>), of <see cref="System.Numerics.Vector{T}"/> lanes. Parentheses only where C#'s precedence needs them,
/// so operations keep the order the template gives them.
/// </summary>
internal sealed class ScalarPrinter
{
    private const int Conditional = 0;
    private const int Relational = 1;
    private const int Additive = 2;
    private const int Multiplicative = 3;
    private const int Unary = 4;
    private const int Primary = 5;

    private readonly ElementType type;

    public ScalarPrinter(ElementType type) => this.type = type;

    /// <summary>One element of the result; <paramref name="operand"/> gives the expression of each operand's element.</summary>
    public string Element(Scalar expression, Func<int, string> operand) => Element(expression, operand, out _);

    /// <summary>The vector of lanes of the result; <paramref name="operand"/> gives each operand's vector.</summary>
    public string Lanes(Scalar expression, Func<int, string> operand) => Lanes(expression, operand, out _);

    private string Element(Scalar expression, Func<int, string> operand, out int precedence)
    {
        string zero = type.Literal(0);
        switch (expression)
        {
            case ScalarOperand o:
                precedence = Primary;
                return operand(o.Index);
            case ScalarLiteral literal:
                precedence = Primary;
                return type.Literal(literal.Value);
            case ScalarBinary binary:
                return Binary(binary, e => (Element(e, operand, out int p), p), out precedence);
            case ScalarFunctionOf { Function: ScalarFunction.Negate } negate:
                precedence = Unary;
                return "-" + Operand(Element(negate.Operand, operand, out int n), n, Unary, noLeadingMinus: true);
            case ScalarFunctionOf { Function: ScalarFunction.Relu } relu:
                string x = Element(relu.Operand, operand, out int r);
                precedence = Conditional;
                return $"{Operand(x, r, Additive)} > {zero} ? {Operand(x, r, Relational)} : {zero}";
            case ScalarFunctionOf { Function: ScalarFunction.Step } step:
                precedence = Conditional;
                return $"{Operand(Element(step.Operand, operand, out int s), s, Additive)} > {zero} ? {type.Literal(1)} : {zero}";
            case ScalarFunctionOf function:
                precedence = Primary;
                return $"{type.Math}.{function.Function}({Element(function.Operand, operand)})";
            case ScalarIfPositive choice:
                precedence = Conditional;
                return $"{Operand(Element(choice.Condition, operand, out int c), c, Additive)} > {zero} ? "
                    + $"{Operand(Element(choice.Positive, operand, out int a), a, Relational)} : {Operand(Element(choice.Otherwise, operand, out int b), b, Relational)}";
            default:
                throw new InvalidOperationException($"No C# form for the scalar expression {expression}.");
        }
    }

    private string Lanes(Scalar expression, Func<int, string> operand, out int precedence)
    {
        switch (expression)
        {
            case ScalarOperand o:
                precedence = Primary;
                return operand(o.Index);
            case ScalarLiteral literal:
                precedence = Primary;
                return $"global::Graph.Runtime.Simd.Splat<{type.Name}>({type.Literal(literal.Value)})";
            case ScalarBinary binary:
                return Binary(binary, e => (Lanes(e, operand, out int p), p), out precedence);
            case ScalarFunctionOf { Function: ScalarFunction.Negate } negate:
                precedence = Unary;
                return "-" + Operand(Lanes(negate.Operand, operand, out int n), n, Unary, noLeadingMinus: true);
            case ScalarFunctionOf { Function: ScalarFunction.Relu or ScalarFunction.Step or ScalarFunction.Exp or ScalarFunction.Tanh } function:
                precedence = Primary;
                return $"global::Graph.Runtime.Simd.{function.Function}<{type.Name}>({Lanes(function.Operand, operand)})";
            default:
                throw new InvalidOperationException($"The scalar expression {expression} has no lanewise form.");
        }
    }

    private static string Binary(ScalarBinary binary, Func<Scalar, (string Text, int Precedence)> print, out int precedence)
    {
        precedence = binary.Operator is ScalarOperator.Add or ScalarOperator.Subtract ? Additive : Multiplicative;
        var (left, l) = print(binary.Left);
        var (right, r) = print(binary.Right);
        string symbol = binary.Operator switch
        {
            ScalarOperator.Add => "+",
            ScalarOperator.Subtract => "-",
            ScalarOperator.Multiply => "*",
            _ => "/",
        };

        // Left to right: a right operand of the same precedence keeps its parentheses, so (a - b) - c and a - (b - c) stay apart.
        return $"{Operand(left, l, precedence)} {symbol} {Operand(right, r, precedence + 1)}";
    }

    /// <summary>The operand text, parenthesised when its precedence is below <paramref name="needed"/>.</summary>
    private static string Operand(string text, int precedence, int needed, bool noLeadingMinus = false) =>
        precedence < needed || (noLeadingMinus && text.StartsWith("-", StringComparison.Ordinal)) ? "(" + text + ")" : text;
}
