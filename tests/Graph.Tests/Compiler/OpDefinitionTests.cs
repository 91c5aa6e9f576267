using System.Reflection;
using System.Runtime.CompilerServices;
using Graph.Generator.Emit;
using Graph.Generator.IR;
using Graph.Generator.IR.Ops;
using Xunit;

namespace Graph.Tests.Compiler;

/// <summary>
/// Every op definition against the rest of the compiler: each op has one way of being computed, each function of
/// the model language has a definition and each definition a name the user can write, and each elementwise
/// template has a C# form. Derivative and shape rules are abstract, so an op without one does not build.
/// </summary>
public sealed class OpDefinitionTests
{
    private static readonly Type[] Families = [typeof(Leaf), typeof(Elementwise), typeof(KernelOp), typeof(MatMul), typeof(ReduceSum), typeof(Reshape), typeof(LoopOp)];

    public static TheoryData<string> OpNames()
    {
        var data = new TheoryData<string>();
        foreach (var type in ConcreteOps())
        {
            data.Add(type.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(OpNames))]
    public void EveryOpIsComputedOneWay(string op)
    {
        var type = ConcreteOps().Single(t => t.Name == op);
        Assert.Single(Families, family => family.IsAssignableFrom(type));
    }

    [Fact]
    public void ThereAreOpsToCheck() => Assert.True(ConcreteOps().Count() >= 40, string.Join(", ", ConcreteOps().Select(t => t.Name)));

    [Fact]
    public void EveryFunctionOfGraphOpsHasADefinitionAndEveryDefinitionANameTheUserCanWrite()
    {
        // Discovery records a Graph.Ops call by the method's name (MatMul as Dot), and operators and Tensor members by Spec.Ops' names.
        var ops = typeof(Graph.Ops).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.Name == "MatMul" ? "Dot" : m.Name);
        var operators = typeof(Graph.Generator.Spec.Ops).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!);
        var writable = ops.Concat(operators).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(writable, DslFunctions.Names.ToList());
    }

    [Theory]
    [MemberData(nameof(OpNames))]
    public void EveryElementwiseTemplateHasACSharpForm(string op)
    {
        var type = ConcreteOps().Single(t => t.Name == op);
        if (!typeof(Elementwise).IsAssignableFrom(type))
        {
            return;
        }

        // The templates do not read the ops' attributes, so an instance without them is enough to print one.
        var elementwise = (Elementwise)RuntimeHelpers.GetUninitializedObject(type);
        int inputs = typeof(BinaryElementwise).IsAssignableFrom(type) ? 2 : 1;
        var template = elementwise.Template(inputs);
        foreach (string elementType in new[] { "float", "double", "T" })
        {
            var printer = new ScalarPrinter(ElementType.Of(elementType));
            Assert.Contains("x0", printer.Element(template, i => "x" + i));
            if (template.IsLanewise)
            {
                Assert.Contains("v0", printer.Lanes(template, i => "v" + i));
            }
        }
    }

    private static IEnumerable<Type> ConcreteOps() =>
        typeof(Op).Assembly.GetTypes().Where(t => typeof(Op).IsAssignableFrom(t) && !t.IsAbstract).OrderBy(t => t.Name, StringComparer.Ordinal);
}
