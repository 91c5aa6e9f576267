using Graph.Generator.Common;
using Graph.Generator.Pipeline;
using Graph.Generator.Spec;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace Graph.Tests.Generator;

/// <summary>
/// Models that once crashed the generator, hung it, or made it emit code that does not compile: each now gets
/// correct generated code or a GRAPH diagnostic at the user's source.
/// </summary>
public sealed partial class DiagnosticTests
{
    [Fact]
    public void AParameterWithMoreElementsThanAnArrayHoldsIsAnInvalidShape()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(65536, 65536)] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(65536)] Tensor x) => x.Dot(W);
            }
            """, "GRAPH015", out string source);
        Assert.Equal("Parameter 'W' has shape [65536,65536]: it has more than 2147483647 elements, the most a .NET array holds", diagnostic.GetMessage());
        Assert.Equal("Param(65536, 65536)", Text(diagnostic, source));
    }

    [Fact]
    public void ANamedSizeCountsAtItsDefaultTowardsTheElementLimit()
    {
        var diagnostic = Single("""
            [Model, Size("Hidden", 100000)]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape("Hidden", 100000)] Tensor x) => Relu(x);
            }
            """, "GRAPH015", out _);
        Assert.Equal("Argument 'x' of 'Predict' has shape [Hidden,100000]: it has more than 2147483647 elements with its named sizes at their defaults, the most a .NET array holds", diagnostic.GetMessage());
    }

    [Fact]
    public void AnOversizedModelLeavesTheOtherModelsGenerated()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Model]
            public partial class Huge
            {
                [Param(65536, 65536)] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(65536)] Tensor x) => x.Dot(W);
            }

            [Model]
            public partial class Small
            {
                [Param(3, 2)] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W);
            }
            """);
        Assert.Empty(result.Exceptions);
        Assert.Equal("GRAPH015", Assert.Single(result.Diagnostics).Id);
        Assert.Contains("public void Predict(", result.Sources["Demo.Small.g.cs"]);
        Assert.All(result.CompileErrors, e => Assert.StartsWith("GRAPH", e.Id));
    }

    [Fact]
    public void AValueComputedLargerThanAnArrayHoldsIsReportedOnItsMethod()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(46341, 1)] public partial Tensor A { get; }
                [Param(1, 46341)] public partial Tensor B { get; }
                [Forward] public Tensor Predict([Shape(1)] Tensor x) => x * Sum(A.Dot(B));
            }
            """, "GRAPH040", out string source);
        Assert.Equal("A value computed in 'Predict' has more elements than a .NET array holds (46341 * 46341 = 2147488281 does not fit an int)", diagnostic.GetMessage());
        Assert.Equal("Predict", Text(diagnostic, source));
    }

    [Fact]
    public void WhenEvenTheDeclarationsCannotBeEmittedTheInternalErrorStillComesBackWithoutAThrow()
    {
        // A broken spec (its result index does not exist) whose parameter name is no C# identifier, so that the
        // declarations-only fall-back does not parse either: the fall-back of the internal error must not fail in turn.
        var parameter = new ParameterSpec("W-1", "public", new[] { "65536", "65536" }.ToEquatableArray(), InitKind.Zeros, 0, 0, EquatableArray<double>.Empty, false, EquatableArray<int>.Empty);
        var function = new FunctionSpec("Predict", FunctionRole.Forward, EquatableArray<InputSpec>.Empty, EquatableArray<ExprSpec>.Empty, Result: 5, SumReduction: false);
        var spec = new ModelSpec(
            "Demo", "Broken", string.Empty, EquatableArray<TypeDeclarationSpec>.Empty, "double", EquatableArray<SizeSpec>.Empty,
            new[] { parameter }.ToEquatableArray(), new[] { function }.ToEquatableArray());
        var compiled = ModelCompiler.Compile(spec);
        var diagnostic = Assert.Single(compiled.Diagnostics);
        Assert.Equal("GRAPH099", diagnostic.Id);
        Assert.DoesNotContain("partial", compiled.Source);
    }

    [Fact]
    public void ACancelledCompileThrowsInsteadOfReportingAnInternalError()
    {
        // The same broken spec would be GRAPH099; once the build or the IDE cancels, nothing is reported at all.
        var function = new FunctionSpec("Predict", FunctionRole.Forward, EquatableArray<InputSpec>.Empty, EquatableArray<ExprSpec>.Empty, Result: 5, SumReduction: false);
        var spec = new ModelSpec(
            "Demo", "Broken", string.Empty, EquatableArray<TypeDeclarationSpec>.Empty, "double", EquatableArray<SizeSpec>.Empty,
            EquatableArray<ParameterSpec>.Empty, new[] { function }.ToEquatableArray());
        Assert.Equal("GRAPH099", Assert.Single(ModelCompiler.Compile(spec).Diagnostics).Id);
        Assert.Throws<OperationCanceledException>(() => ModelCompiler.Compile(spec, new CancellationToken(canceled: true)));
    }

    [Fact]
    public void ALoopUpToTheLargestLongIsReportedInsteadOfUnrolledForever()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward]
                public Tensor Predict([Shape(3)] Tensor x)
                {
                    for (long t = long.MaxValue - 1; t <= long.MaxValue; t++)
                    {
                        x = Relu(x);
                    }

                    return x;
                }
            }
            """, "GRAPH025", out string source);
        Assert.Equal("The loop 'for (long t = long.MaxValue - 1; t <= long.MaxValue; t++)' in 'Predict' cannot be unrolled: after t = 9223372036854775807 the step passes the largest 'long', which wraps around, so the loop never ends", diagnostic.GetMessage());
        Assert.Equal("t <= long.MaxValue", Text(diagnostic, source));
    }

    [Fact]
    public void ALoopOverEveryLongCountsItsIterationsWithoutOverflow()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward]
                public Tensor Predict([Shape(3)] Tensor x)
                {
                    for (long t = long.MinValue; t < long.MaxValue; t += 3)
                    {
                        x = Relu(x);
                    }

                    return x;
                }
            }
            """, "GRAPH026", out _);
        Assert.StartsWith("Unrolling 'for (long t = long.MinValue; t < long.MaxValue; t += 3)' in 'Predict' would take the method past 4096", diagnostic.GetMessage());
    }

    [Fact]
    public void IntegerArithmeticThatWouldWrapAroundIsReported()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward]
                public Tensor Predict([Shape(3)] Tensor x)
                {
                    int n = int.MaxValue;
                    for (int t = 0; t < n + 1; t++)
                    {
                        x = Relu(x);
                    }

                    return x;
                }
            }
            """, "GRAPH025", out string source);
        Assert.EndsWith("cannot be unrolled: 'n + 1' is 2147483648, which does not fit 'int' (C# would wrap it around)", diagnostic.GetMessage());
        Assert.Equal("n + 1", Text(diagnostic, source));
    }

    [Fact]
    public void OverloadedHelpersAreResolvedBySignature()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Model(typeof(double))]
            public partial class Net
            {
                [Param(3, 3), InitUniform(-1, 1)] public partial Tensor W { get; }
                [Param(3, 2), InitUniform(-1, 1)] public partial Tensor V { get; }

                private Tensor Layer(Tensor x) => Tanh(x);
                private Tensor Layer(Tensor x, Tensor w) => Sigmoid(x.Dot(w));

                [Forward] public Tensor Predict([Shape(3)] Tensor x) => Layer(Layer(x, W)).Dot(V);
            }
            """);
        Assert.Empty(result.Exceptions);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
        string source = Assert.Single(result.Sources).Value;
        Assert.Contains("x.Dot(w)", source);
        Assert.Contains("global::System.Math.Exp(-", source);
        Assert.Contains("global::System.Math.Tanh(", source);
    }

    [Fact]
    public void AnErrorInAnOverloadedHelperIsReportedInThatOverload()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(3, 2)] public partial Tensor W { get; }
                private Tensor Layer(Tensor x) => Tanh(x);
                private Tensor Layer(Tensor x, Tensor w) => x.Dot(w.T);
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => Layer(Layer(x), W);
            }
            """, "GRAPH005", out string source);
        Assert.Equal("x.Dot(w.T)", Text(diagnostic, source));
    }

    [Fact]
    public void TwoForwardMethodsOfOneNameAreReportedAtTheSecond()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => Relu(x);
                [Forward] public Tensor Predict([Shape(3)] Tensor x, [Shape(3)] Tensor y) => Relu(x + y);
            }
            """, "GRAPH043", out string source);
        Assert.Equal("[Forward] method 'Predict' has the same name as another [Forward] or [Loss] method of the model; give each its own name", diagnostic.GetMessage());
        Assert.Equal(source.LastIndexOf("Predict(", StringComparison.Ordinal), diagnostic.Location.SourceSpan.Start);
    }

    [Fact]
    public void ANamespaceNamedLikeOneOfGraphsTypesIsReportedWhereItIsDeclared()
    {
        string source = """
            using Graph;
            using static Graph.Ops;
            namespace Graph.Tensor.Text;

            [Model]
            public partial class Net
            {
                [Param(3, 2)] public partial global::Graph.Tensor W { get; }
            }
            """;
        // The user's own errors (the partial property without its part, the type named as a namespace) are C#'s.
        var diagnostic = SingleWithoutFile(source, "GRAPH045");
        Assert.Equal("'Graph.Tensor' is both a namespace and one of Graph's types, so the generated code cannot name the type; rename the namespace or the type", diagnostic.GetMessage());
        Assert.Equal("Tensor", Text(diagnostic, source));
    }

    [Theory]
    [InlineData("[Model]\npublic partial class var\n{\n    [Param(3, 2)] public partial Tensor W { get; }\n    [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W);\n}\n", "Demo.var")]
    [InlineData("public class var { }\n\n[Model]\npublic partial class Net\n{\n    [Param(3, 2)] public partial Tensor W { get; }\n    [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W);\n}\n", "Demo.var")]
    public void ATypeNamedVarVisibleToTheModelIsReportedWhereItIsDeclared(string model, string type)
    {
        string source = Usings + model;
        var diagnostic = SingleWithoutFile(source, "GRAPH046");
        Assert.Equal($"The type '{type}' is named 'var', which the model's generated code uses to declare its locals; rename the type", diagnostic.GetMessage());
        Assert.Equal("var", Text(diagnostic, source));
    }

    /// <summary>
    /// The one diagnostic of a model that gets no generated file: C#'s own errors, if any, lie in the user's file and
    /// none in generated code.
    /// </summary>
    private static Diagnostic SingleWithoutFile(string source, string id)
    {
        var result = GeneratorHarness.Run(source);
        Assert.Empty(result.Exceptions);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Empty(result.Sources);
        Assert.All(result.CompileErrors, e => Assert.Equal("Model0.cs", e.Location.SourceTree?.FilePath));
        return diagnostic;
    }

    [Fact]
    public void AConstantTargetOfSoftmaxCrossEntropyIsReportedAtTheCall()
    {
        var diagnostic = Single("""
            [Model(typeof(double))]
            public partial class Net
            {
                [Param(3, 4)] public partial Tensor W { get; }
                [Loss] public Tensor Loss([Shape(3)] Tensor x) => SoftmaxCrossEntropy(x.Dot(W), 2);
            }
            """, "GRAPH016", out string source);
        Assert.Equal("cannot take the softmax cross-entropy of [4]: its target is a constant; pass the class as an [Indices] input (targets[t]) or the target as a tensor input", diagnostic.GetMessage());
        Assert.Equal("SoftmaxCrossEntropy(x.Dot(W), 2)", Text(diagnostic, source));
    }

    [Fact]
    public void ADeclarationWithoutANameGetsOnlyCsharpsSyntaxError()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Model]
            public partial record class class Net<T>
                where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
            {
                [Param(2, 3), InitZeros] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(2)] Tensor input) => input.Dot(W);
            }
            """);
        Assert.Empty(result.Exceptions);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.Sources);
        Assert.Contains(result.CompileErrors, e => e.Id == "CS1001");
    }

    [Fact]
    public void KeywordNamesAreEscapedWhereverTheyArePrinted()
    {
        var result = GeneratorHarness.Run("""
            using Graph;
            using static Graph.Ops;
            namespace @class.@struct;

            [Model(typeof(double)), Size("Int", 3), Size("Namespace", 2), Size("depth", 1)]
            public partial class @event
            {
                [Param("Int", "Namespace"), InitUniform(-1, 1)] public partial Tensor @class { get; }
                [Param("depth")] public partial Tensor @object { get; }
                [Param(5, 3), InitUniform(-1, 1)] public partial Tensor @new { get; }
                [Forward] public Tensor @return([Shape("Int")] Tensor @in, [Indices(2)] Tensor @for) => Tanh(@in.Dot(@class)) + Sum(EmbeddingSum(@new, @for)) + Sum(@object);
                [Loss] public Tensor @base([Shape("Int")] Tensor @in, [Indices(2)] Tensor @for, [Shape("Namespace")] Tensor @out) => MeanSquaredError(@return(@in, @for), @out);
            }
            """);
        Assert.Empty(result.Exceptions);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
        string source = Assert.Single(result.Sources).Value;
        Assert.Contains("namespace @class.@struct", source);
        Assert.Contains("public partial global::Graph.Tensor @class => symbolclass;", source);
        Assert.Contains("public @event(int seed = 0, int @int = 3, int @namespace = 2, int depth = 1)", source);

        // A size named in lower case sets the field behind its property, not its own constructor argument.
        Assert.Contains("this.sizedepth = depth;", source);
        Assert.Contains("public int depth => this.sizedepth;", source);
        Assert.Contains("public int Namespace => this.sizeNamespace;", source);

        // The documentation comments name the arguments as C# does (<paramref name="in"/>, not "@in").
        Assert.Empty(GeneratedWarnings("""
            using Graph;
            using static Graph.Ops;

            /// <summary>A model whose names are keywords.</summary>
            [Model(typeof(double)), Size("Int", 3)]
            public partial class @event
            {
                /// <summary>A parameter.</summary>
                [Param("Int", 2), InitUniform(-1, 1)] public partial Tensor @class { get; }

                /// <summary>The model.</summary>
                /// <param name="in">The input.</param>
                [Forward] public Tensor @return([Shape("Int")] Tensor @in) => Tanh(@in.Dot(@class));
            }
            """));
    }

    /// <summary>The warnings C# gives in the generated files, documentation comments checked.</summary>
    private static List<Diagnostic> GeneratedWarnings(string source)
    {
        var options = GeneratorHarness.ParseOptions.WithDocumentationMode(DocumentationMode.Diagnose);
        var compilation = GeneratorHarness.Compile(source);
        compilation = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees[0], CSharpSyntaxTree.ParseText(source, options, "Model0.cs"));
        CSharpGeneratorDriver.Create(new[] { new Graph.Generator.GraphGenerator().AsSourceGenerator() }, parseOptions: options)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var generated = Assert.Single(output.SyntaxTrees, t => t.FilePath != "Model0.cs");
        return output.GetSemanticModel(generated).GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
    }

    [Fact]
    public void AModelNestedInGenericTypesIsDeclaredInsideThemWithTheirTypeParameters()
    {
        var result = GeneratorHarness.Run("""
            using Graph;
            using static Graph.Ops;

            public partial class Outer<U> where U : class, new()
            {
                public partial struct Middle<V1, V2>
                {
                    public partial interface IInner<W>
                    {
                        [Model]
                        public partial class Net
                        {
                            [Param(3, 2), InitUniform(-1, 1)] public partial Tensor W01 { get; }
                            [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W01);
                        }
                    }
                }
            }

            namespace Demo
            {
                public partial record Holder<T>(T Value)
                {
                    [Model]
                    public partial class Bad
                    {
                        [Param(3, 2)] public partial Tensor W { get; }
                        [Forward] public Tensor Predict([Shape(4)] Tensor x) => x.Dot(W);
                    }
                }
            }
            """);
        Assert.Empty(result.Exceptions);
        Assert.All(result.CompileErrors, e => Assert.StartsWith("GRAPH", e.Id));
        Assert.Contains("partial class Outer<U>", result.Sources["Outer{U}.Middle{V1,V2}.IInner{W}.Net.g.cs"]);
        Assert.Contains("partial struct Middle<V1, V2>", result.Sources["Outer{U}.Middle{V1,V2}.IInner{W}.Net.g.cs"]);
        Assert.Contains("partial interface IInner<W>", result.Sources["Outer{U}.Middle{V1,V2}.IInner{W}.Net.g.cs"]);

        // A compile error of the nested model is still paired with its class and reported at its expression.
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("GRAPH005", diagnostic.Id);
        Assert.Equal("Model0.cs", diagnostic.Location.SourceTree?.FilePath);
    }

    [Fact]
    public void AModelOnARecordIsAnError()
    {
        var diagnostic = Single("""
            [Model]
            public partial record Net
            {
                [Param(3, 2)] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W);
            }
            """, "GRAPH042", out string source);
        Assert.Equal("Net", Text(diagnostic, source));
    }

    [Theory]
    [InlineData("public int Parameters => 0;", "'Parameters' collides with the generated property 'Parameters'; rename it", "Parameters")]
    [InlineData("public Net(int seed) { }", "'Net' collides with the generated constructor 'Net(int seed)'; rename it", "Net")]
    [InlineData("public float Backward(System.ReadOnlySpan<float> a, System.ReadOnlySpan<float> b, int n) => 0;", "'Backward' collides with the generated method 'Backward(System.ReadOnlySpan<float> x, System.ReadOnlySpan<float> y, int batch)'; rename it", "Backward")]
    [InlineData("private int batchCapacity;", "'batchCapacity' collides with the generated field 'batchCapacity'; rename it", "batchCapacity")]
    [InlineData("private float[] valueW = [];", "'valueW' collides with the generated field 'valueW'; rename it", "valueW")]
    [InlineData("public void ApplyGradients(float rate) { }", "'ApplyGradients' collides with the generated method 'ApplyGradients(float learningRate)'; rename it", "ApplyGradients")]
    [InlineData("public void Predict(System.ReadOnlySpan<float> a, System.Span<float> b, int c) { }", "'Predict' collides with the generated method 'Predict(System.ReadOnlySpan<float> x, System.Span<float> output, int batch)'; rename it", "Predict")]
    [InlineData("public float TrainStep(System.ReadOnlySpan<float> a, System.ReadOnlySpan<float> b, float c, int d) => 0;", "'TrainStep' collides with the generated method 'TrainStep(System.ReadOnlySpan<float> x, System.ReadOnlySpan<float> y, float learningRate, int batch)'; rename it", "TrainStep")]
    [InlineData("public class Random { }", "'Random' collides with the generated property 'Random'; rename it", "Random")]
    [InlineData("public string Profile => \"\";", "'Profile' collides with the generated property 'Profile'; rename it", "Profile")]
    [InlineData("private static int stepLayout;", "'stepLayout' collides with the generated field 'stepLayout'; rename it", "stepLayout")]
    public void AMemberThatCollidesWithAGeneratedMemberIsReportedAtTheUsersMember(string member, string message, string at)
    {
        var diagnostic = Single($$"""
            [Model]
            public partial class Net
            {
                [Param(3, 1)] public partial Tensor W { get; }
                {{member}}
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W);
                [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(1)] Tensor y) => MeanSquaredError(Predict(x), y);
            }
            """, "GRAPH041", out string source);
        Assert.Equal(message, diagnostic.GetMessage());
        Assert.Equal(at, Text(diagnostic, source));
    }

    [Fact]
    public void ACollisionIsFoundInAModelWhoseSplitLoopsAreNestedTypes()
    {
        // Relu(x·W)·2 over 2048 elements per sample is a loop split across threads, a struct nested in the class.
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(3, 2048)] public partial Tensor W { get; }
                public class Random { }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => Relu(x.Dot(W)) * 2;
            }
            """, "GRAPH041", out string source);
        Assert.Equal("'Random' collides with the generated property 'Random'; rename it", diagnostic.GetMessage());
        Assert.Equal("Random", Text(diagnostic, source));
    }

    [Fact]
    public void AnOverloadOfAGeneratedMethodWithOtherArgumentsIsNoCollision()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Model]
            public partial class Net
            {
                [Param(3, 1)] public partial Tensor W { get; }
                public float Predict(float[] x) => Predict(new System.ReadOnlySpan<float>(x));
                public Net() : this(0) { }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W);
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
    }

    [Theory]
    [InlineData("Size(\"Random\", 3)", "Size 'Random' collides with the generated property 'Random'; rename it")]
    [InlineData("Size(\"Seed\", 3)", "Size 'Seed' collides with the generated parameter 'seed' of the constructor 'Net(int seed, int seed)'; rename it")]
    public void ASizeNamedLikeAGeneratedMemberIsReportedAtTheSize(string size, string message)
    {
        var diagnostic = Single($$"""
            [Model, {{size}}]
            public partial class Net
            {
                [Param(3, 1)] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W);
            }
            """, "GRAPH041", out string source);
        Assert.Equal(message, diagnostic.GetMessage());
        Assert.Equal(size, Text(diagnostic, source));
    }

    [Fact]
    public void AForwardMethodNamedLikeAGeneratedPropertyIsReportedAtIt()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(3, 1)] public partial Tensor W { get; }
                [Forward] public Tensor Parameters([Shape(3)] Tensor x) => x.Dot(W);
            }
            """, "GRAPH041", out string source);
        Assert.Equal("'Parameters' collides with the generated property 'Parameters'; rename it", diagnostic.GetMessage());
        Assert.Equal("Parameters", Text(diagnostic, source));
    }

    [Fact]
    public void AnInvalidSizeIsReportedOnceAndNotAgainWhereItIsUsed()
    {
        var diagnostic = Single("""
            [Model, Size("Hidden", 0)]
            public partial class Net
            {
                [Param(3, "Hidden")] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape("Hidden")] Tensor x) => Relu(x);
            }
            """, "GRAPH017", out _);
        Assert.Equal("Size 'Hidden': its default 0 is not a positive integer", diagnostic.GetMessage());
    }

    [Fact]
    public void ModelOnTwoPartialDeclarationsGeneratesTheModelOnce()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Model]
            public partial class Net
            {
                [Param(3, 2)] public partial Tensor W { get; }
            }

            [Model]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W);
            }
            """);
        Assert.Empty(result.Exceptions);
        Assert.Empty(result.Diagnostics);
        Assert.Single(result.Sources);
        Assert.Equal("CS0579", Assert.Single(result.CompileErrors).Id);
    }

    [Fact]
    public void AnInputNamedNameofIsAnError()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape(3)] Tensor nameof) => Relu(nameof);
            }
            """, "GRAPH003", out _);
        Assert.EndsWith("an argument may not be named 'nameof': the compiled method names its arguments with C#'s nameof(...) when it checks them", diagnostic.GetMessage());
    }

    [Fact]
    public void AMemberNamedNameofCollidesWithTheGeneratedChecks()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(3, 1)] public partial Tensor W { get; }
                private static int nameof(object value) => 0;
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W);
            }
            """, "GRAPH041", out string source);
        Assert.Equal("'nameof' collides with the generated code's use of C#'s nameof(...); rename it", diagnostic.GetMessage());
        Assert.Equal("nameof", Text(diagnostic, source));
    }

    [Fact]
    public void AnAttributeThatDoesNotBindLeavesTheErrorToCSharp()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Model]
            public partial class Net
            {
                [Param(3, 1), InitUniform(--0.5, 0.1)] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W);
            }
            """);
        Assert.Empty(result.Exceptions);
        Assert.Empty(result.Diagnostics);
        Assert.Equal("CS1059", Assert.Single(result.CompileErrors).Id);
    }

    [Fact]
    public void AModelWithTwoTypeParametersKeepsBothInItsDeclarations()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net<T, U>
            {
                [Param(3, 1)] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W);
            }
            """, "GRAPH011", out _);
        Assert.Equal("Model 'Net' uses element type 'a generic class with more than one type parameter or with [Model(typeof(...))]'; only float and double are supported", diagnostic.GetMessage());
    }

    [Fact]
    public void AParameterPropertyDeclaredNewOrVirtualIsImplementedWithTheSameModifiers()
    {
        var result = GeneratorHarness.Run(Usings + """
            public class Base
            {
                public Tensor W => null!;
            }

            [Model]
            public partial class Net : Base
            {
                [Param(3, 1)] public new partial Tensor W { get; }
                [Param(1)] public virtual partial Tensor B { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W) + B;
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
        Assert.Contains("public new partial global::Graph.Tensor W => symbolW;", Assert.Single(result.Sources).Value);
    }

    [Fact]
    public void AnInputNamedLikeAMethodTheGeneratedCodeCallsDoesNotHideIt()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Model]
            public partial class Net
            {
                [Param(3, 1)] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor Predict) => Predict.Dot(W);
                [Loss] public Tensor Loss([Shape(3)] Tensor EnsureBatchCapacity, [Shape(1)] Tensor y) => MeanSquaredError(EnsureBatchCapacity.Dot(W), y);
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
    }

    [Fact]
    public void AnOperationOnAConstantThatIsNotFoldedStaysANode()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Model(typeof(double))]
            public partial class Net
            {
                [Param(3, 1)] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W) * Sigmoid(500);
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
    }
}
