namespace Graph.Generator.IR;

/// <summary>
/// A function of the model language, by the name Discovery records for it (a <c>Graph.Ops</c> method, a
/// <c>Tensor</c> member, or an operator: <c>Add</c>, <c>IndexAt</c> for <c>x[t]</c>), and the IR it builds.
/// It lives beside the ops it builds; <see cref="DslFunctions"/> finds every one.
/// </summary>
internal abstract class DslFunction
{
    public abstract string Name { get; }

    public abstract Node Lower(DslCall call);
}

/// <summary>
/// Marks an op that is itself a function of the model language: the call applies it to its arguments
/// (<c>Tanh(x)</c>, <c>a + b</c>). The op needs a constructor without arguments; its DSL name is its name.
/// </summary>
internal interface IDirectOp
{
}

/// <summary>One call of a <see cref="DslFunction"/>: its lowered arguments and where to build.</summary>
internal sealed class DslCall
{
    public DslCall(Site at, IReadOnlyList<Node> arguments, bool training)
    {
        At = at;
        Arguments = arguments;
        Training = training;
    }

    /// <summary>Builds at the call's source expression.</summary>
    public Site At { get; }

    public IReadOnlyList<Node> Arguments { get; }

    public Node this[int index] => Arguments[index];

    /// <summary>Whether the graph trains (dropout applies only then).</summary>
    public bool Training { get; }

    /// <summary>The value of argument <paramref name="index"/> when it is a constant, else null.</summary>
    public double? Constant(int index) => Arguments[index].Op is Ops.Constant constant ? constant.Value : null;

    /// <summary>The value of argument <paramref name="index"/> when it is a constant positive integer (a dimension, a window size), else null.</summary>
    public int? PositiveInteger(int index) =>
        Constant(index) is double value && value >= 1 && value <= int.MaxValue && value == Math.Floor(value) ? (int)value : null;
}
