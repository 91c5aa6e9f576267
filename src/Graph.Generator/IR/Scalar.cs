namespace Graph.Generator.IR;

/// <summary>
/// One element of an elementwise operation's result as an expression of its operands' elements: the loop template
/// of an <see cref="Elementwise"/> op, free of any target language (the C# printer renders it; another backend
/// would render the same tree).
/// </summary>
internal abstract record Scalar
{
    /// <summary>
    /// True when the expression uses only IEEE operations that give the same result one element at a time and
    /// many lanes at a time (+, -, ·, /, negation, relu, step): such an expression may run vectorised, and on
    /// constants it may be folded at compile time without changing a result.
    /// </summary>
    public abstract bool IsLanewise { get; }

    /// <summary>
    /// True when the expression has a vector form (<see cref="IsLanewise"/>, or also exp and tanh, whose lanes the
    /// runtime's <c>Simd.Exp</c> and <c>Simd.Tanh</c> compute as the scalar functions do in double, and in float exp
    /// correctly rounded from double and tanh as the runtime's buffer kernel): it may run vectorised, but only a lanewise
    /// one is folded at compile time.
    /// </summary>
    public virtual bool HasLanes => IsLanewise;

    public static Scalar operator +(Scalar a, Scalar b) => new ScalarBinary(ScalarOperator.Add, a, b);

    public static Scalar operator -(Scalar a, Scalar b) => new ScalarBinary(ScalarOperator.Subtract, a, b);

    public static Scalar operator *(Scalar a, Scalar b) => new ScalarBinary(ScalarOperator.Multiply, a, b);

    public static Scalar operator /(Scalar a, Scalar b) => new ScalarBinary(ScalarOperator.Divide, a, b);

    public static Scalar operator -(Scalar a) => new ScalarFunctionOf(ScalarFunction.Negate, a);

    public static implicit operator Scalar(double value) => new ScalarLiteral(value);

    public static Scalar Apply(ScalarFunction function, Scalar operand) => new ScalarFunctionOf(function, operand);

    /// <summary><c>condition &gt; 0 ? positive : otherwise</c>.</summary>
    public static Scalar IfPositive(Scalar condition, Scalar positive, Scalar otherwise) => new ScalarIfPositive(condition, positive, otherwise);

    /// <summary>
    /// The value of a lanewise expression in double arithmetic, with <paramref name="operand"/> giving each operand's
    /// value (the compile-time folding of constants).
    /// </summary>
    public abstract double Evaluate(Func<int, double> operand);
}

/// <summary>The element of operand <see cref="Index"/> (the op's input of that position).</summary>
internal sealed record ScalarOperand(int Index) : Scalar
{
    public override bool IsLanewise => true;

    public override double Evaluate(Func<int, double> operand) => operand(Index);
}

/// <summary>A number.</summary>
internal sealed record ScalarLiteral(double Value) : Scalar
{
    public override bool IsLanewise => true;

    public override double Evaluate(Func<int, double> operand) => Value;
}

/// <summary>The four arithmetic operators, evaluated left to right as written.</summary>
internal enum ScalarOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
}

/// <summary>The functions of one element that templates may use.</summary>
internal enum ScalarFunction
{
    /// <summary>-x.</summary>
    Negate,

    /// <summary>max(x, 0), as <c>x &gt; 0 ? x : 0</c>.</summary>
    Relu,

    /// <summary>1 where x is positive, else 0.</summary>
    Step,

    Exp,
    Log,
    Tanh,
    Abs,
}

internal sealed record ScalarBinary(ScalarOperator Operator, Scalar Left, Scalar Right) : Scalar
{
    public override bool IsLanewise => Left.IsLanewise && Right.IsLanewise;

    public override bool HasLanes => Left.HasLanes && Right.HasLanes;

    public override double Evaluate(Func<int, double> operand)
    {
        double a = Left.Evaluate(operand);
        double b = Right.Evaluate(operand);
        return Operator switch
        {
            ScalarOperator.Add => a + b,
            ScalarOperator.Subtract => a - b,
            ScalarOperator.Multiply => a * b,
            _ => a / b,
        };
    }
}

internal sealed record ScalarFunctionOf(ScalarFunction Function, Scalar Operand) : Scalar
{
    public override bool IsLanewise => Function is ScalarFunction.Negate or ScalarFunction.Relu or ScalarFunction.Step && Operand.IsLanewise;

    public override bool HasLanes => Function is ScalarFunction.Negate or ScalarFunction.Relu or ScalarFunction.Step or ScalarFunction.Exp or ScalarFunction.Tanh && Operand.HasLanes;

    public override double Evaluate(Func<int, double> operand)
    {
        double x = Operand.Evaluate(operand);
        return Function switch
        {
            ScalarFunction.Negate => -x,
            ScalarFunction.Relu => x > 0 ? x : 0,
            ScalarFunction.Step => x > 0 ? 1 : 0,
            _ => throw new InvalidOperationException($"{Function} is not lanewise: folding it at compile time could change its result."),
        };
    }
}

/// <summary><c>Condition &gt; 0 ? Positive : Otherwise</c>.</summary>
internal sealed record ScalarIfPositive(Scalar Condition, Scalar Positive, Scalar Otherwise) : Scalar
{
    public override bool IsLanewise => false;

    public override double Evaluate(Func<int, double> operand) =>
        throw new InvalidOperationException("A conditional is not lanewise: it is not folded at compile time.");
}
