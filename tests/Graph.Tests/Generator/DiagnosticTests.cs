using Microsoft.CodeAnalysis;
using Xunit;

namespace Graph.Tests.Generator;

/// <summary>One minimal model per diagnostic: the id, a message naming what was expected and found, and the user's location.</summary>
public sealed partial class DiagnosticTests
{
    private const string Usings = "using System.Numerics;\nusing Graph;\nusing static Graph.Ops;\nnamespace Demo;\n";

    [Fact]
    public void DotOfMismatchedShapesNamesBothShapesAtTheExpression()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(40, 10), InitUniform(-1, 1)] public partial Tensor W01 { get; }
                [Forward] public Tensor Predict([Shape(784)] Tensor image) => Relu(image.Dot(W01));
            }
            """, "GRAPH005", out string source);
        Assert.Equal("cannot Dot [784] with [40,10]: inner dimensions 784 and 40 differ", diagnostic.GetMessage());
        Assert.Equal("image.Dot(W01)", Text(diagnostic, source));
    }

    [Fact]
    public void ElementwiseOperationOfMismatchedShapesNamesBothShapes()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape(3)] Tensor x, [Shape(4)] Tensor y)
                {
                    var sum = x + y;
                    return Relu(sum);
                }
            }
            """, "GRAPH006", out string source);
        Assert.Equal("cannot Add [3] and [4]: the shapes do not broadcast (axis 0: 3 vs 4)", diagnostic.GetMessage());
        Assert.Equal("x + y", Text(diagnostic, source));
    }

    [Fact]
    public void UnsupportedConstructIsReportedWhereItStands()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape(3)] Tensor x)
                {
                    if (x.Shape.Count > 2) { return x; }
                    return Relu(x);
                }
            }
            """, "GRAPH004", out string source);
        Assert.StartsWith("if (x.Shape.Count > 2)", Text(diagnostic, source));
        Assert.Contains("model method 'Predict'", diagnostic.GetMessage());
    }

    [Fact]
    public void ALossThatMarksTwoPredictionsIsUnsupported()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(3, 2)] public partial Tensor W { get; }
                [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(2)] Tensor y)
                {
                    var first = Prediction(x.Dot(W));
                    var second = Prediction(Relu(x.Dot(W)));
                    return SumSquares(first - y);
                }
            }
            """, "GRAPH004", out _);
        Assert.Equal("'Prediction' cannot be compiled in model method 'Loss': a loss marks one value as its prediction, and this one marks 2 (Prediction(x.Dot(W)), Prediction(Relu(x.Dot(W))))", diagnostic.GetMessage());
    }

    [Fact]
    public void CallOfANonTensorMethodIsUnsupported()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => Relu(x) * System.Math.Exp(2);
            }
            """, "GRAPH004", out string source);
        Assert.Equal("System.Math.Exp(2)", Text(diagnostic, source));
    }

    [Fact]
    public void ParameterWithoutAShapeIsAnError()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W);
            }
            """, "GRAPH002", out string source);
        Assert.Equal("Parameter 'W' has no shape: give its dimensions, for example [Param(784, 40)]", diagnostic.GetMessage());
        Assert.Equal("Param", Text(diagnostic, source));
    }

    [Fact]
    public void ForwardMethodWithAWrongSignatureIsAnError()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward] public double Predict([Shape(3)] Tensor x) => 0;
            }
            """, "GRAPH003", out string source);
        Assert.Equal("[Forward] method 'Predict' has the wrong signature: it must return Tensor, not 'double'", diagnostic.GetMessage());
        Assert.Equal("Predict", Text(diagnostic, source));
    }

    [Fact]
    public void InputNamedBatchIsAnError()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape(3)] Tensor batch) => Relu(batch);
            }
            """, "GRAPH003", out _);
        Assert.Contains("may not be named 'batch'", diagnostic.GetMessage());
    }

    [Fact]
    public void ModelClassThatIsNotPartialIsAnError()
    {
        var diagnostic = Single("""
            [Model]
            public class Net
            {
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => Relu(x);
            }
            """, "GRAPH001", out string source);
        Assert.Contains("'Net' must be declared partial", diagnostic.GetMessage());
        Assert.Equal("Net", Text(diagnostic, source));
    }

    [Fact]
    public void TensorArgumentWithoutAShapeIsAnError()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward] public Tensor Predict(Tensor x) => Relu(x);
            }
            """, "GRAPH007", out string source);
        Assert.Equal("x", Text(diagnostic, source));
    }

    [Fact]
    public void LossThatIsNotAScalarNamesItsShape()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(3, 2)] public partial Tensor W { get; }
                [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(2)] Tensor y) => x.Dot(W) - y;
            }
            """, "GRAPH008", out string source);
        Assert.Contains("has shape [2]", diagnostic.GetMessage());
        Assert.Equal("Loss", Text(diagnostic, source));
    }

    [Theory]
    [InlineData("[Param(3), InitValues(1, 2)]", "InitValues gives 2 values, but the parameter has 3 elements")]
    [InlineData("[Param(3), InitUniform(1, -1)]", "InitUniform needs finite bounds with low < high")]
    [InlineData("[Param(3), InitZeros, InitUniform(-1, 1)]", "more than one Init attribute")]
    public void InvalidInitialiserSaysWhy(string attributes, string why)
    {
        var diagnostic = Single($$"""
            [Model]
            public partial class Net
            {
                {{attributes}} public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x * W;
            }
            """, "GRAPH009", out _);
        Assert.Contains(why, diagnostic.GetMessage());
    }

    [Theory]
    [InlineData("[Param(3, 2), InitIdentity]", "[3,2]")]
    [InlineData("[Param(3), InitIdentity]", "[3]")]
    [InlineData("[Param(3, 3, 3), InitIdentity]", "[3,3,3]")]
    [InlineData("[Param(\"Hidden\", 3), InitIdentity]", "[Hidden,3]")]
    public void IdentityOnAParameterThatIsNotASquareMatrixNamesItsShape(string attributes, string shape)
    {
        var diagnostic = Single($$"""
            [Model, Size("Hidden", 3)]
            public partial class Net
            {
                {{attributes}} public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x * Sum(W);
            }
            """, "GRAPH030", out string source);
        Assert.Equal(
            $"Parameter 'W' has [InitIdentity], which needs a square matrix [n, n] (both dimensions the same number or the same named size), but its shape is {shape}",
            diagnostic.GetMessage());
        Assert.StartsWith("InitIdentity", Text(diagnostic, source));
    }

    [Theory]
    [InlineData("[Shape(2, 4)] Tensor x, [Shape(1, 5)] Tensor y", "cannot Concat [2,4] and [1,5]: every axis after the first must agree, so the second must be [k,4] for some k, not [1,5]")]
    [InlineData("[Shape(4)] Tensor x, [Shape(1, 4)] Tensor y", "cannot Concat [4] and [1,4]: every axis after the first must agree, so the second must be [k] for some k, not [1,4]")]
    [InlineData("[Shape(4)] Tensor x, [Shape] Tensor y", "cannot Concat [4] and []: both must be vectors or higher (a scalar has no first axis to join along); Reshape a scalar to [1] first")]
    [InlineData("[Shape(\"Hidden\")] Tensor x, [Shape(3)] Tensor y", "cannot Concat [Hidden] and [3]: the first axes Hidden and 3 do not add up to one size known when the model is constructed (numbers, or multiples of the same named size, do)")]
    public void ConcatOfMismatchedShapesNamesBothShapesAtTheExpression(string inputs, string message)
    {
        var diagnostic = Single($$"""
            [Model, Size("Hidden", 3)]
            public partial class Net
            {
                [Forward] public Tensor Predict({{inputs}}) => Relu(Concat(x, y));
            }
            """, "GRAPH031", out string source);
        Assert.Equal(message, diagnostic.GetMessage());
        Assert.Equal("Concat(x, y)", Text(diagnostic, source));
    }

    [Fact]
    public void FrozenElementOutOfRangeIsAnError()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(3), Frozen(3)] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x * W;
            }
            """, "GRAPH010", out _);
        Assert.Equal("Parameter 'W' freezes element 3, but it has only 3 elements (row-major indices 0 to 2)", diagnostic.GetMessage());
    }

    [Fact]
    public void ElementTypeOtherThanFloatOrDoubleIsAnError()
    {
        var diagnostic = Single("""
            [Model(typeof(int))]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x;
            }
            """, "GRAPH011", out _);
        Assert.Contains("'int'", diagnostic.GetMessage());
    }

    [Fact]
    public void GenericModelWithoutTheFloatingPointConstraintIsAnError()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net<T>
            {
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x;
            }
            """, "GRAPH011", out _);
        Assert.Contains("IFloatingPointIeee754<T>", diagnostic.GetMessage());
    }

    [Fact]
    public void RecursiveHelperIsAnError()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                public Tensor Layer(Tensor x) => Layer(Relu(x));
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => Layer(x);
            }
            """, "GRAPH013", out string source);
        Assert.Equal("Layer(Relu(x))", Text(diagnostic, source));
    }

    [Fact]
    public void TwoLossesAreAnError()
    {
        Single("""
            [Model]
            public partial class Net
            {
                [Param(3)] public partial Tensor W { get; }
                [Loss] public Tensor A([Shape(3)] Tensor x) => Sum(x * W);
                [Loss] public Tensor B([Shape(3)] Tensor x) => Sum(x * W);
            }
            """, "GRAPH014", out _);
    }

    [Fact]
    public void NonPositiveDimensionIsAnError()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(3, 0)] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W);
            }
            """, "GRAPH015", out _);
        Assert.Equal("Parameter 'W' has shape [3,0]: every dimension must be a positive integer", diagnostic.GetMessage());
    }

    [Fact]
    public void ParameterPropertyWithASetterIsAnError()
    {
        Single("""
            [Model]
            public partial class Net
            {
                [Param(3)] public Tensor W { get; set; } = null!;
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x * W;
            }
            """, "GRAPH012", out _);
    }

    [Fact]
    public void TransposeOfARank3ValueIsReported()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape(2, 3, 4)] Tensor x) => Transpose(x);
            }
            """, "GRAPH016", out string source);
        Assert.Equal("cannot transpose [2,3,4]: only matrices (rank 2) can be transposed", diagnostic.GetMessage());
        Assert.Equal("Transpose(x)", Text(diagnostic, source));
    }

    [Fact]
    public void UndeclaredSizeNameIsAnError()
    {
        var diagnostic = Single("""
            [Model, Size("Hidden", 4)]
            public partial class Net
            {
                [Param(3, "Hiden")] public partial Tensor W { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W);
            }
            """, "GRAPH017", out string source);
        Assert.Equal("Parameter 'W': the size 'Hiden' is not declared; the model declares Hidden", diagnostic.GetMessage());
        Assert.Equal("Param(3, \"Hiden\")", Text(diagnostic, source));
    }

    [Fact]
    public void NamedSizesAreComparedByName()
    {
        var diagnostic = Single("""
            [Model, Size("Hidden", 4), Size("Other", 4)]
            public partial class Net
            {
                [Param(3, "Hidden")] public partial Tensor W01 { get; }
                [Param("Other", 2)] public partial Tensor W12 { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => x.Dot(W01).Dot(W12);
            }
            """, "GRAPH005", out string source);
        Assert.Equal("cannot Dot [Hidden] with [Other,2]: inner dimensions Hidden and Other differ", diagnostic.GetMessage());
        Assert.Equal("x.Dot(W01).Dot(W12)", Text(diagnostic, source));
    }

    [Fact]
    public void InvalidSizeDeclarationIsAnError()
    {
        var diagnostic = Single("""
            [Model, Size("Hidden", 0)]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => Relu(x);
            }
            """, "GRAPH017", out _);
        Assert.Equal("Size 'Hidden': its default 0 is not a positive integer", diagnostic.GetMessage());
    }

    [Fact]
    public void AnInternalFailureBecomesADiagnosticNotACrash()
    {
        // A spec whose function returns an expression index that does not exist: the compiler must not throw.
        var spec = new Graph.Generator.Spec.ModelSpec(
            "Demo",
            "Broken",
            string.Empty,
            Graph.Generator.Common.EquatableArray<Graph.Generator.Spec.TypeDeclarationSpec>.Empty,
            "double",
            Graph.Generator.Common.EquatableArray<Graph.Generator.Spec.SizeSpec>.Empty,
            Graph.Generator.Common.EquatableArray<Graph.Generator.Spec.ParameterSpec>.Empty,
            new Graph.Generator.Common.EquatableArray<Graph.Generator.Spec.FunctionSpec>(new[]
            {
                new Graph.Generator.Spec.FunctionSpec(
                    "Predict",
                    Graph.Generator.Spec.FunctionRole.Forward,
                    Graph.Generator.Common.EquatableArray<Graph.Generator.Spec.InputSpec>.Empty,
                    Graph.Generator.Common.EquatableArray<Graph.Generator.Spec.ExprSpec>.Empty,
                    Result: 5,
                    SumReduction: false),
            }));
        var compiled = Graph.Generator.Pipeline.ModelCompiler.Compile(spec);
        var diagnostic = Assert.Single(compiled.Diagnostics);
        Assert.Equal("GRAPH099", diagnostic.Id);
        Assert.Contains("IndexOutOfRangeException", diagnostic.Arguments[2]);
    }

    [Fact]
    public void AValidModelHasNoDiagnosticsAndCompiles()
    {
        var result = GeneratorHarness.Run(Usings + """
            [Model]
            public partial class Net<T> where T : unmanaged, IFloatingPointIeee754<T>
            {
                [Param(3, 4), InitUniform(-1, 1)] public partial Tensor W01 { get; }
                [Param(4), InitZeros] public partial Tensor B1 { get; }
                [Param(4, 2), InitUniform(-1, 1), Frozen(0)] public partial Tensor W12 { get; }
                [Forward] public Tensor Predict([Shape(3)] Tensor x) => Tanh(x.Dot(W01) + B1).Dot(W12);
                [Loss] public Tensor Loss([Shape(3)] Tensor x, [Shape(2)] Tensor y) => MeanSquaredError(Predict(x), y);
            }
            """);
        Assert.Empty(result.Exceptions);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
        Assert.Single(result.Sources);
    }

    [Fact]
    public void ReshapeThatChangesTheElementCountNamesBothCounts()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape(4, 6)] Tensor x) => Relu(Reshape(x, 5, 5));
            }
            """, "GRAPH018", out string source);
        Assert.Equal("cannot reshape [4,6] to [5,5]: [4,6] holds 24 elements per sample and [5,5] holds 25", diagnostic.GetMessage());
        Assert.Equal("Reshape(x, 5, 5)", Text(diagnostic, source));
    }

    [Fact]
    public void ReshapeToADimensionThatIsNotPositiveIsAnError()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape(4, 6)] Tensor x) => Reshape(x, 0, 24);
            }
            """, "GRAPH018", out string source);
        Assert.Equal("cannot reshape [4,6] to the dimensions given: every dimension must be a positive integer constant", diagnostic.GetMessage());
        Assert.Equal("Reshape(x, 0, 24)", Text(diagnostic, source));
    }

    [Fact]
    public void KernelLargerThanTheImageIsReportedAtTheConvolution()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(5, 3, 4), InitUniform(-1, 1)] public partial Tensor K { get; }
                [Forward] public Tensor Predict([Shape(4, 6)] Tensor image) => Tanh(Conv2d(image, K));
            }
            """, "GRAPH019", out string source);
        Assert.Equal("cannot convolve [4,6] with kernels [5,3,4]: the 5x3 kernel is larger than the 4x6 image", diagnostic.GetMessage());
        Assert.Equal("Conv2d(image, K)", Text(diagnostic, source));
    }

    [Fact]
    public void ConvolutionOfAVectorNeedsAnImage()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(3, 3, 4), InitUniform(-1, 1)] public partial Tensor K { get; }
                [Forward] public Tensor Predict([Shape(784)] Tensor image) => Conv2d(image, K);
            }
            """, "GRAPH019", out string source);
        Assert.Equal("cannot convolve [784]: an image is [height, width] or [height, width, channels]", diagnostic.GetMessage());
        Assert.Equal("Conv2d(image, K)", Text(diagnostic, source));
    }

    [Fact]
    public void KernelsOfTheWrongRankNameTheLayoutExpected()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(9, 16), InitUniform(-1, 1)] public partial Tensor K { get; }
                [Forward] public Tensor Predict([Shape(28, 28)] Tensor image) => Conv2d(image, K);
            }
            """, "GRAPH019", out string source);
        Assert.Equal("cannot convolve [28,28] with kernels [9,16]: an image [height, width] takes kernels [kernelHeight, kernelWidth, count]", diagnostic.GetMessage());
        Assert.Equal("Conv2d(image, K)", Text(diagnostic, source));
    }

    [Fact]
    public void KernelsWithOtherChannelsThanTheImageAreAnError()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Param(3, 3, 2, 8), InitUniform(-1, 1)] public partial Tensor K { get; }
                [Forward] public Tensor Predict([Shape(10, 10, 3)] Tensor image) => Conv2d(image, K);
            }
            """, "GRAPH019", out string source);
        Assert.Equal("cannot convolve [10,10,3] with kernels [3,3,2,8]: the image has 3 channels but the kernels take 2", diagnostic.GetMessage());
        Assert.Equal("Conv2d(image, K)", Text(diagnostic, source));
    }

    [Fact]
    public void PoolingWindowThatDoesNotDivideTheImageIsAnError()
    {
        var diagnostic = Single("""
            [Model]
            public partial class Net
            {
                [Forward] public Tensor Predict([Shape(6, 7)] Tensor image) => MeanPool2d(image, 2);
            }
            """, "GRAPH019", out string source);
        Assert.Equal("cannot pool [6,7]: a 2x2 window must divide the 6x7 image into whole windows", diagnostic.GetMessage());
        Assert.Equal("MeanPool2d(image, 2)", Text(diagnostic, source));
    }

    private static Diagnostic Single(string model, string id, out string source)
    {
        source = Usings + model;
        var result = GeneratorHarness.Run(source);
        Assert.Empty(result.Exceptions);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("Model0.cs", diagnostic.Location.SourceTree?.FilePath);

        // The generated declarations keep the build free of follow-on errors: only the generator's own remain
        // (and C#'s own complaint about a partial member in a class that is not partial).
        Assert.All(result.CompileErrors, e => Assert.True(e.Id.StartsWith("GRAPH", StringComparison.Ordinal) || id == "GRAPH001" || id == "GRAPH012", e.ToString()));
        return diagnostic;
    }

    private static string Text(Diagnostic diagnostic, string source) => source.Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);
}
