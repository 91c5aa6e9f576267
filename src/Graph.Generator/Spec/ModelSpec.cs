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
/// model is generic in its element type (<see cref="TypeParameter"/> then names it too). Names are kept as declared
/// (without C#'s <c>@</c>); the emitter escapes those that are keywords. <see cref="Members"/> lists the class's own
/// members, which the generated members must not collide with; <see cref="Keyword"/> is how the class is declared.
/// <see cref="PhiloxDropout"/> draws the dropout masks from a Philox4x32 generator instead of numpy's stream;
/// <see cref="UnrollLoops"/> writes every loop out step by step instead of keeping long ones as loops;
/// <see cref="ExactLoopSums"/> keeps each sum a loop forms over its steps in the unrolled loop's order.
/// </remarks>
internal sealed record ModelSpec(
    string Namespace,
    string ClassName,
    string TypeParameter,
    EquatableArray<TypeDeclarationSpec> ContainingTypes,
    string ElementType,
    EquatableArray<SizeSpec> Sizes,
    EquatableArray<ParameterSpec> Parameters,
    EquatableArray<FunctionSpec> Functions,
    bool DeclarationsOnly = false,
    EquatableArray<MemberSpec> Members = default,
    string Keyword = "class",
    EquatableArray<string> TypeParameters = default,
    bool PhiloxDropout = false,
    bool UnrollLoops = false,
    bool ExactLoopSums = false)
{
    /// <summary>The class's type parameters as declared: <see cref="TypeParameters"/>, or the element type's when only that is given.</summary>
    public IReadOnlyList<string> DeclaredTypeParameters =>
        TypeParameters.Count > 0 ? TypeParameters : TypeParameter.Length > 0 ? new[] { TypeParameter } : Array.Empty<string>();

    /// <summary>A size with every named size at its default (a name the model does not declare counts as <see cref="int.MaxValue"/>).</summary>
    public long AtDefaults(Shapes.Size size) =>
        size.Symbols.Aggregate((long)size.Coefficient, (value, symbol) =>
            value * (Sizes.FirstOrDefault(s => s.Name == symbol)?.Default ?? int.MaxValue));

    /// <summary>The name used to pair compile results with discovery results and to name the generated file: <c>Demo.Outer&lt;U&gt;.Net&lt;T&gt;</c>.</summary>
    public string FullName => (Namespace.Length == 0 ? string.Empty : Namespace + ".")
        + string.Concat(ContainingTypes.Select(t => t.DisplayName + ".")) + ClassName
        + (DeclaredTypeParameters.Count == 0 ? string.Empty : "<" + string.Join(", ", DeclaredTypeParameters) + ">");
}

/// <summary>
/// A type containing the model, as its partial declaration needs it: <c>class Outer</c> with type parameters <c>U</c>.
/// (A class cannot be nested in an interface with variant type parameters, so no variance is needed.)
/// </summary>
/// <param name="Keyword">class, struct, interface, record, record struct, or ref struct.</param>
internal sealed record TypeDeclarationSpec(string Keyword, string Name, EquatableArray<string> TypeParameters)
{
    public string DisplayName => Name + (TypeParameters.Count == 0 ? string.Empty : "<" + string.Join(", ", TypeParameters) + ">");
}

/// <summary>What kind of member a class member is, for collisions with generated members.</summary>
internal enum MemberKind
{
    /// <summary>A field, property, event or nested type: any member of the same name collides.</summary>
    Other,

    /// <summary>A method: another method of the same name collides only with the same parameter types.</summary>
    Method,

    /// <summary>An instance constructor: another collides only with the same parameter types.</summary>
    Constructor,
}

/// <summary>
/// A member the user declared on the model class. <see cref="ParameterTypes"/> are fully qualified without
/// <c>global::</c> (<c>System.ReadOnlySpan&lt;float&gt;</c>, <c>int</c>, <c>ref int</c>). <see cref="Implemented"/> marks
/// the partial declarations the generator implements (the [Param] properties), which are not collisions.
/// </summary>
internal sealed record MemberSpec(string Name, MemberKind Kind, EquatableArray<string> ParameterTypes, int TypeParameterCount, bool Implemented);

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

/// <summary>
/// A [Param] property: shape (each dimension digits or a size name), initialiser and frozen elements.
/// <see cref="Accessibility"/> holds the modifiers its implementation repeats: <c>public</c>, or <c>public new</c>.
/// </summary>
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
/// <see cref="Padded"/> index input, -1 marks padding. An argument with <see cref="MaxSteps"/> above 0 is no tensor but
/// an <c>int</c> ([MaxSteps]): the number of steps of the loops it bounds, at most <see cref="MaxSteps"/>.
/// </summary>
internal sealed record InputSpec(string Name, EquatableArray<string> Shape, bool Indices = false, bool Padded = false, int MaxSteps = 0)
{
    /// <summary>True for a run-time step count ([MaxSteps]), an <c>int</c> argument that bounds loops.</summary>
    public bool StepCount => MaxSteps > 0;

    /// <summary>True for an index input that takes any number of indices per call (one sample per call).</summary>
    public bool VariableLength => Indices && Shape.Count == 0;
}

/// <summary>
/// A model method read into a list of expressions in evaluation order (single assignment: a local variable is
/// the index of the expression that defined it). <see cref="Result"/> is the returned expression. A <c>for</c> loop
/// is kept as a loop: its body's expressions, read once, sit between a <see cref="ExprKind.Loop"/> and its
/// <see cref="ExprKind.EndLoop"/>, and <see cref="Loops"/> describes each loop by the number its expressions name.
/// </summary>
internal sealed record FunctionSpec(
    string Name,
    FunctionRole Role,
    EquatableArray<InputSpec> Inputs,
    EquatableArray<ExprSpec> Body,
    int Result,
    bool SumReduction,
    EquatableArray<LoopSpec> Loops = default);

/// <summary>
/// A <c>for (int t = Start; ...; t += Stride)</c> loop of <see cref="Steps"/> iterations, read once with its variable
/// symbolic. <see cref="Header"/> names it in comments and messages. A loop bounded by a run-time step count
/// (<c>t &lt; count</c>, <c>count</c> a [MaxSteps] argument) names that argument in <see cref="Count"/>, and
/// <see cref="Steps"/> is its maximum: the loop runs the steps 0 to count - 1 of those.
/// </summary>
internal sealed record LoopSpec(string Variable, long Start, long Stride, int Steps, string Header, string? Count = null)
{
    /// <summary>
    /// What the texts of the body's expressions hold in place of the loop variable's value in their iteration labels
    /// (<c>words[t] [t = ⟨t⟩]</c>), so that a copy of the body for one iteration can name it (<c>[t = 2]</c>).
    /// </summary>
    public string Placeholder => "\u27E8" + Variable + "\u27E9";

    /// <summary>
    /// What a reverse step's texts hold in place of the loop variable's value in the step before the one it reverses:
    /// the adjoint a step's carried value receives is named after the expression that computed it, the step before.
    /// </summary>
    public string PreviousPlaceholder => "\u27E8" + Variable + " - 1\u27E9";

    /// <summary>The loop variable's value in iteration <paramref name="step"/> (0 to <see cref="Steps"/> - 1).</summary>
    public long ValueAt(int step) => Start + (Stride * step);
}

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

    /// <summary>
    /// The start of loop <see cref="ExprSpec.Index"/> of <see cref="FunctionSpec.Loops"/>: <see cref="ExprSpec.Args"/> are the
    /// values the locals it carries (the locals declared before it and assigned in its body) hold before the first
    /// iteration. Its body's expressions follow, up to the matching <see cref="EndLoop"/>.
    /// </summary>
    Loop,

    /// <summary>In a loop body: the value carried local number <see cref="ExprSpec.Index"/> holds when an iteration begins.</summary>
    Carried,

    /// <summary>
    /// In a loop body: a position that moves with the loop, <see cref="ExprSpec.Index"/> × iteration + <see cref="ExprSpec.Value"/>
    /// (iterations counted from 0), the position of <c>x[t]</c> or <c>x[t + 1]</c>.
    /// </summary>
    StepPosition,

    /// <summary>The end of loop <see cref="ExprSpec.Index"/>: <see cref="ExprSpec.Args"/> are the carried locals' values when an iteration ends.</summary>
    EndLoop,

    /// <summary>After a loop: the value carried local number <see cref="ExprSpec.Index"/> holds after the last iteration of the loop ended by <see cref="ExprSpec.Args"/>[0].</summary>
    LoopResult,
}

/// <summary>One expression; <see cref="Args"/> are indices of earlier expressions of the same function.</summary>
internal sealed record ExprSpec(ExprKind Kind, string Name, double Value, int Index, EquatableArray<int> Args, string Text);
