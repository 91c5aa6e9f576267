using Graph.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Graph.Tests.Generator;

/// <summary>Which edits re-run the compiler: edits that do not change a model leave its generated source cached.</summary>
public sealed class IncrementalCachingTests
{
    private const string Model = """
        using Graph;
        using static Graph.Ops;
        namespace Demo;

        [Model(typeof(double))]
        public partial class Net
        {
            [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W01 { get; }
            [Param(4, 1), InitUniform(-1, 1)] public partial Tensor W12 { get; }
            [Forward] public Tensor Predict([Shape(3)] Tensor x) => Relu(x.Dot(W01)).Dot(W12);
            [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(1)] Tensor y) => L2Loss(Predict(x) - y);
        }
        """;

    [Fact]
    public void CommentAddedAboveTheModelLeavesTheOutputCached()
    {
        var reasons = CompileReasons(Model, "// A comment that moves every line of the model down.\n\n" + Model);
        Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
    }

    [Fact]
    public void UnrelatedTypeAddedLeavesTheOutputCached()
    {
        var reasons = CompileReasons(Model, Model + "\npublic sealed class Unrelated { public int Value { get; set; } }\n");
        Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
    }

    [Fact]
    public void ChangedParameterShapeModifiesTheOutput()
    {
        var reasons = CompileReasons(Model, Model.Replace("[Param(3, 4)", "[Param(3, 5)").Replace("[Param(4, 1)", "[Param(5, 1)"));
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
    }

    [Fact]
    public void SecondModelAddedLeavesTheFirstCached()
    {
        string second = Model.Replace("class Net", "class Other");
        var compilation = GeneratorHarness.Compile(Model);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var tree = CSharpSyntaxTree.ParseText(second, new CSharpParseOptions(LanguageVersion.Latest), path: "Other.cs");
        driver = driver.RunGenerators(compilation.AddSyntaxTrees(tree));
        var steps = driver.GetRunResult().Results.Single().TrackedSteps[GraphGenerator.Steps.Compile];
        var outputs = steps.SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, outputs.Count);
        Assert.Contains(outputs, o => o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged);
        Assert.Contains(outputs, o => o.Reason == IncrementalStepRunReason.New);
    }

    [Fact]
    public void CachedPipelineValuesHoldNoCompilerObjects()
    {
        var driver = GeneratorHarness.CreateDriver().RunGenerators(GeneratorHarness.Compile(Model));
        var result = driver.GetRunResult().Results.Single();
        foreach (var step in new[] { GraphGenerator.Steps.Discover, GraphGenerator.Steps.Spec, GraphGenerator.Steps.Compile })
        {
            foreach (var (value, _) in result.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                AssertNoCompilerObjects(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    private static IReadOnlyList<IncrementalStepRunReason> CompileReasons(string before, string after)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = GeneratorHarness.Compile(before);
        var driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        var oldTree = compilation.SyntaxTrees.Single();
        var newTree = CSharpSyntaxTree.ParseText(after, parse, path: oldTree.FilePath);
        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(oldTree, newTree));
        var result = driver.GetRunResult().Results.Single();
        return result.TrackedSteps[GraphGenerator.Steps.Compile].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
    }

    private static void AssertNoCompilerObjects(object? value, string step, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        var type = value.GetType();
        Assert.False(
            typeof(ISymbol).IsAssignableFrom(type) || typeof(SyntaxNode).IsAssignableFrom(type) || typeof(Compilation).IsAssignableFrom(type)
                || typeof(SemanticModel).IsAssignableFrom(type) || typeof(Location).IsAssignableFrom(type) || typeof(SyntaxTree).IsAssignableFrom(type),
            $"Step {step} caches a {type.FullName}.");
        if (value is System.Collections.IEnumerable items)
        {
            foreach (var item in items)
            {
                AssertNoCompilerObjects(item, step, seen);
            }

            return;
        }

        foreach (var field in type.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic))
        {
            AssertNoCompilerObjects(field.GetValue(value), step, seen);
        }
    }
}
