namespace Graph.Generator.Discovery;

/// <summary>Metadata names of the Graph.Dsl types the generator recognises.</summary>
internal static class KnownNames
{
    public const string GraphNamespace = "Graph";
    public const string ModelAttribute = "Graph.ModelAttribute";
    public const string ParamAttribute = "Graph.ParamAttribute";
    public const string InitUniformAttribute = "Graph.InitUniformAttribute";
    public const string InitValuesAttribute = "Graph.InitValuesAttribute";
    public const string InitZerosAttribute = "Graph.InitZerosAttribute";
    public const string InitIdentityAttribute = "Graph.InitIdentityAttribute";
    public const string FrozenAttribute = "Graph.FrozenAttribute";
    public const string ForwardAttribute = "Graph.ForwardAttribute";
    public const string LossAttribute = "Graph.LossAttribute";
    public const string ShapeAttribute = "Graph.ShapeAttribute";
    public const string SizeAttribute = "Graph.SizeAttribute";
    public const string IndicesAttribute = "Graph.IndicesAttribute";
    public const string MaxStepsAttribute = "Graph.MaxStepsAttribute";
    public const string Tensor = "Graph.Tensor";
    public const string Ops = "Graph.Ops";
}
