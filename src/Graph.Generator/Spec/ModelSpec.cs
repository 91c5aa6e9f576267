using Graph.Generator.Common;

namespace Graph.Generator.Spec;

/// <summary>
/// Everything the compiler needs to know about one [Model] class, with no Roslyn types and no source positions,
/// so that an edit which moves code around compares equal and leaves the generated source cached.
/// </summary>
/// <remarks>
/// A model with errors is still described, with <see cref="DeclarationsOnly"/> set, so that the generator can
/// implement its partial parameter properties and the build shows only the generator's diagnostics.
/// <see cref="ElementType"/> is <c>float</c>, <c>double</c>, or the name of the class's type parameter when the
/// model is generic in its element type (<see cref="TypeParameter"/> then names it too).
/// </remarks>
internal sealed record ModelSpec(
    string Namespace,
    string ClassName,
    string TypeParameter,
    EquatableArray<string> ContainingTypes,
    string ElementType,
    EquatableArray<SizeSpec> Sizes,
    EquatableArray<ParameterSpec> Parameters,
    EquatableArray<FunctionSpec> Functions,
    bool DeclarationsOnly = false)
{
    /// <summary>The metadata-style name used to pair compile results with discovery results.</summary>
    public string FullName => (Namespace.Length == 0 ? string.Empty : Namespace + ".")
        + string.Concat(ContainingTypes.Select(t => t.Split(' ').Last() + ".")) + ClassName
        + (TypeParameter.Length == 0 ? string.Empty : "<" + TypeParameter + ">");

    /// <summary>The class name as declared: <c>Net</c>, or <c>Net&lt;T&gt;</c> for a model generic in its element type.</summary>
    public string DeclaredName => ClassName + (TypeParameter.Length == 0 ? string.Empty : "<" + TypeParameter + ">");
}

/// <summary>How a parameter's initial values are produced.</summary>
internal enum InitKind
{
    Zeros,
    Uniform,
    Values,

    /// <summary>The identity matrix of a square parameter.</summary>
    Identity,
}

/// <summary>A named size declared with [Size(name, default)]: bound when the model is constructed.</summary>
internal sealed record SizeSpec(string Name, int Default);

/// <summary>A [Param] property: shape (each dimension digits or a size name), initialiser and frozen elements.</summary>
internal sealed record ParameterSpec(
    string Name,
    string Accessibility,
    EquatableArray<string> Shape,
    InitKind Init,
    double Low,
    double High,
    EquatableArray<double> Values,
    bool Frozen,
    EquatableArray<int> FrozenElements);

/// <summary>What a model method is for.</summary>
internal enum FunctionRole
{
    /// <summary>A [Forward] method: compiled into a batched inference method.</summary>
    Forward,

    /// <summary>The [Loss] method: compiled into Loss, Backward and TrainStep.</summary>
    Loss,

    /// <summary>Any other method returning a tensor; inlined where it is called.</summary>
    Helper,
}

/// <summary>
/// A tensor argument of a model method, with its per-sample shape. An index input ([Indices]) holds row indices
/// instead of values: <see cref="Shape"/> is its per-sample count, or empty for any number per call. In a
/// <see cref="Padded"/> index input, -1 marks padding.
/// </summary>
internal sealed record InputSpec(string Name, EquatableArray<string> Shape, bool Indices = false, bool Padded = false)
{
    /// <summary>True for an index input that takes any number of indices per call (one sample per call).</summary>
    public bool VariableLength => Indices && Shape.Count == 0;
}

/// <summary>
/// A model method read into a list of expressions in evaluation order (single assignment: a local variable is
/// the index of the expression that defined it). <see cref="Result"/> is the returned expression.
/// </summary>
internal sealed record FunctionSpec(
    string Name,
    FunctionRole Role,
    EquatableArray<InputSpec> Inputs,
    EquatableArray<ExprSpec> Body,
    int Result,
    bool SumReduction);

/// <summary>The kinds of expression a model method may contain.</summary>
internal enum ExprKind
{
    /// <summary>The method's tensor argument number <see cref="ExprSpec.Index"/>.</summary>
    Input,

    /// <summary>The parameter property named <see cref="ExprSpec.Name"/>.</summary>
    Parameter,

    /// <summary>A numeric constant, <see cref="ExprSpec.Value"/>.</summary>
    Constant,

    /// <summary>A tensor operation named <see cref="ExprSpec.Name"/> (an <see cref="Ops"/> name) on <see cref="ExprSpec.Args"/>.</summary>
    Operation,

    /// <summary>A call to another method of the model, named <see cref="ExprSpec.Name"/>, with <see cref="ExprSpec.Args"/>.</summary>
    Call,
}

/// <summary>One expression; <see cref="Args"/> are indices of earlier expressions of the same function.</summary>
internal sealed record ExprSpec(ExprKind Kind, string Name, double Value, int Index, EquatableArray<int> Args, string Text);
