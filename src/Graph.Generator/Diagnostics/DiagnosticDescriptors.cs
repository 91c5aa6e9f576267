using Microsoft.CodeAnalysis;

namespace Graph.Generator.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports. Ids are stable (GRAPH + three digits); docs/diagnostics/GRAPHnnn.md
/// explains each one. Messages state what was expected and what was found.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Model = "Graph.Model";
    private const string Shapes = "Graph.Shapes";
    private const string Compiler = "Graph.Compiler";

    public static readonly DiagnosticDescriptor ModelNotPartial = Create(
        "GRAPH001", "Model class must be partial", "Model class '{0}' must be declared partial (and so must every type containing it) so that the generator can add its compiled members", Model);

    public static readonly DiagnosticDescriptor ParameterWithoutShape = Create(
        "GRAPH002", "Parameter has no shape", "Parameter '{0}' has no shape: give its dimensions, for example [Param(784, 40)]", Model);

    public static readonly DiagnosticDescriptor InvalidMethodSignature = Create(
        "GRAPH003", "Model method has the wrong signature", "{0} method '{1}' has the wrong signature: {2}", Model);

    public static readonly DiagnosticDescriptor UnsupportedConstruct = Create(
        "GRAPH004", "Unsupported construct in a model method", "'{0}' cannot be compiled in model method '{1}': {2}", Model);

    public static readonly DiagnosticDescriptor DotShapeMismatch = Create(
        "GRAPH005", "Matrix product of mismatched shapes", "cannot Dot {0} with {1}: {2}", Shapes);

    public static readonly DiagnosticDescriptor ElementwiseShapeMismatch = Create(
        "GRAPH006", "Elementwise operation of mismatched shapes", "cannot {0} {1} and {2}: the shapes do not broadcast ({3})", Shapes);

    public static readonly DiagnosticDescriptor InputWithoutShape = Create(
        "GRAPH007", "Tensor argument has no shape", "Argument '{0}' of '{1}' has no per-sample shape: add [Shape(...)], for example [Shape(784)]", Model);

    public static readonly DiagnosticDescriptor LossNotScalar = Create(
        "GRAPH008", "Loss is not a scalar", "Loss method '{0}' must return a scalar per sample, but its result has shape {1}; reduce it, for example with Sum(...) or Mean(...)", Shapes);

    public static readonly DiagnosticDescriptor InvalidInitializer = Create(
        "GRAPH009", "Invalid parameter initialiser", "Parameter '{0}' has an invalid initialiser: {1}", Model);

    public static readonly DiagnosticDescriptor InvalidFrozenElement = Create(
        "GRAPH010", "Frozen element out of range", "Parameter '{0}' freezes element {1}, but it has only {2} elements (row-major indices 0 to {3})", Model);

    public static readonly DiagnosticDescriptor UnsupportedElementType = Create(
        "GRAPH011", "Unsupported element type", "Model '{0}' uses element type '{1}'; only float and double are supported", Model);

    public static readonly DiagnosticDescriptor ParameterNotPartialProperty = Create(
        "GRAPH012", "Parameter must be a partial get-only Tensor property", "Parameter '{0}' must be declared as 'public partial Tensor {0} {{ get; }}': {1}", Model);

    public static readonly DiagnosticDescriptor RecursiveCall = Create(
        "GRAPH013", "Recursive model method", "Model method '{0}' calls itself (through {1}); model methods are inlined and cannot recurse", Model);

    public static readonly DiagnosticDescriptor MultipleLosses = Create(
        "GRAPH014", "More than one loss", "Model '{0}' has more than one [Loss] method ({1}); declare exactly one", Model);

    public static readonly DiagnosticDescriptor InvalidShape = Create(
        "GRAPH015", "Invalid shape", "{0} has shape {1}: {2}", Model);

    public static readonly DiagnosticDescriptor OperationShapeError = Create(
        "GRAPH016", "Operation applied to an unsupported shape", "cannot {0} {1}: {2}", Shapes);

    public static readonly DiagnosticDescriptor UnknownSize = Create(
        "GRAPH017", "Unknown or invalid named size", "{0}: {1}", Model);

    public static readonly DiagnosticDescriptor ReshapeCountMismatch = Create(
        "GRAPH018", "Reshape changes the number of elements", "cannot reshape {0} to {1}: {2}", Shapes);

    public static readonly DiagnosticDescriptor WindowShapeError = Create(
        "GRAPH019", "Convolution or pooling of an unsupported shape", "cannot {0} {1}: {2}", Shapes);

    public static readonly DiagnosticDescriptor IndicesUsedAsValues = Create(
        "GRAPH021", "Index input used as values", "'{0}' is an index input ([Indices]): it holds row indices, not values, so it cannot be used in {1}; pick rows of a table with Gather, EmbeddingSum or EmbeddingMean", Shapes);

    public static readonly DiagnosticDescriptor IndicesExpected = Create(
        "GRAPH022", "Indices expected", "{0} needs an index input ([Indices]) as its indices, but '{1}' is a dense value of shape {2}", Shapes);

    public static readonly DiagnosticDescriptor InvalidTable = Create(
        "GRAPH023", "Invalid table for row gathering", "{0} needs a table with one row per index, a matrix shared by the batch (such as a [Param] of shape [Vocab, Dim]), but '{1}' is {2}", Shapes);

    public static readonly DiagnosticDescriptor InvalidIndexInput = Create(
        "GRAPH024", "Invalid index input", "Index input '{0}': {1}", Model);

    public static readonly DiagnosticDescriptor InvalidLoop = Create(
        "GRAPH025", "Loop cannot be unrolled", "The loop '{0}' in '{1}' cannot be unrolled: {2}", Model);

    public static readonly DiagnosticDescriptor UnrolledGraphTooLarge = Create(
        "GRAPH026", "Unrolled graph too large", "Unrolling '{0}' in '{1}' would take the method past {2} in all; a loop is unrolled into the graph at compile time, so its size is limited", Model);

    public static readonly DiagnosticDescriptor InvalidIndexPosition = Create(
        "GRAPH027", "Invalid position in an index input", "Cannot take '{0}': {1}", Shapes);

    public static readonly DiagnosticDescriptor IdentityNotSquare = Create(
        "GRAPH030", "Identity initialiser on a parameter that is not a square matrix", "Parameter '{0}' has [InitIdentity], which needs a square matrix [n, n] (both dimensions the same number or the same named size), but its shape is {1}", Model);

    public static readonly DiagnosticDescriptor ConcatShapeMismatch = Create(
        "GRAPH031", "Concat of mismatched shapes", "cannot Concat {0} and {1}: {2}", Shapes);

    public static readonly DiagnosticDescriptor TensorTooLarge = Create(
        "GRAPH040", "Tensor too large", "A value computed in '{0}' has more elements than a .NET array holds ({1} does not fit an int)", Shapes);

    public static readonly DiagnosticDescriptor MemberCollision = Create(
        "GRAPH041", "Member collides with a generated member", "{0} collides with the generated {1}; rename it", Model);

    public static readonly DiagnosticDescriptor ModelIsRecord = Create(
        "GRAPH042", "Model must be a class, not a record", "Model '{0}' is a record; declare it as a partial class (a model holds mutable parameters and buffers, so value equality and 'with' copies do not apply)", Model);

    public static readonly DiagnosticDescriptor EntryMethodOverloaded = Create(
        "GRAPH043", "Entry methods share a name", "{0} method '{1}' has the same name as another [Forward] or [Loss] method of the model; give each its own name", Model);

    public static readonly DiagnosticDescriptor CarriedShapeChanges = Create(
        "GRAPH044", "Loop carries a value whose shape changes", "The loop '{0}' carries '{1}' into a step as {2} and out of it as {3}; a value a loop carries must keep its shape from step to step", Shapes);

    public static readonly DiagnosticDescriptor GraphNameHidden = Create(
        "GRAPH045", "A namespace and one of Graph's types share a name", "'{0}' is both a namespace and one of Graph's types, so the generated code cannot name the type; rename the namespace or the type", Model);

    public static readonly DiagnosticDescriptor TypeNamedVar = Create(
        "GRAPH046", "A type named 'var' is visible to the model", "The type '{0}' is named 'var', which the model's generated code uses to declare its locals; rename the type", Model);

    public static readonly DiagnosticDescriptor InvalidStepCount = Create(
        "GRAPH047", "Invalid run-time step count", "'{0}' in '{1}': {2}", Model);

    public static readonly DiagnosticDescriptor InternalError = Create(
        "GRAPH099", "Internal compiler error", "Graph could not compile model '{0}' ({1}: {2}); please report this with the model's source", Compiler);

    private static DiagnosticDescriptor Create(string id, string title, string message, string category) => new(
        id,
        title,
        message,
        category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: null);

    /// <summary>Every descriptor, by id.</summary>
    public static readonly IReadOnlyDictionary<string, DiagnosticDescriptor> ById = new[]
    {
        ModelNotPartial, ParameterWithoutShape, InvalidMethodSignature, UnsupportedConstruct, DotShapeMismatch,
        ElementwiseShapeMismatch, InputWithoutShape, LossNotScalar, InvalidInitializer, InvalidFrozenElement,
        UnsupportedElementType, ParameterNotPartialProperty, RecursiveCall, MultipleLosses, InvalidShape,
        OperationShapeError, UnknownSize, ReshapeCountMismatch, WindowShapeError, IndicesUsedAsValues, IndicesExpected, InvalidTable, InvalidIndexInput,
        InvalidLoop, UnrolledGraphTooLarge, InvalidIndexPosition, IdentityNotSquare, ConcatShapeMismatch, TensorTooLarge, MemberCollision,
        ModelIsRecord, EntryMethodOverloaded, CarriedShapeChanges, GraphNameHidden, TypeNamedVar, InvalidStepCount, InternalError,
    }.ToDictionary(d => d.Id);
}
