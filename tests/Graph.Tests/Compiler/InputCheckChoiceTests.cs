using Graph.Generator.Planning;
using Graph.Generator.Schedule;
using Graph.Generator.Shapes;
using Xunit;

namespace Graph.Tests.Compiler;

/// <summary>
/// Which input a method checks through its first step's product (<see cref="InputChecks"/>): one whose every value
/// that product multiplies into each element of its row, and no other, since a value the product never reads, or one
/// it reads into only some of its elements, would pass unchecked.
/// </summary>
public sealed class InputCheckChoiceTests
{
    private static readonly Size Hidden = Size.Named("Hidden");

    /// <summary>image [784] (input 0) and label [10] (input 1).</summary>
    private static readonly InputLayout[] Inputs =
    [
        new("image", Shape.Of(784), Indices: false, Count: null, Padded: false, []),
        new("label", Shape.Of(10), Indices: false, Count: null, Padded: false, []),
    ];

    /// <summary>image·W01 into a batch buffer: [batch×784]·[784×Hidden].</summary>
    private static readonly Gemm Product = new(
        TransposeA: false,
        TransposeB: false,
        M: Size.Batch,
        N: Hidden,
        K: Size.Of(784),
        A: new GemmOperand(new Storage(StorageKind.Input, 0), null),
        Lda: Size.Of(784),
        B: new GemmOperand(new Storage(StorageKind.ParameterValue, 0), null),
        Ldb: Hidden,
        C: new GemmOperand(new Storage(StorageKind.BatchBuffer, 0), null),
        Ldc: Hidden,
        PerSample: false,
        AccumulateOverSamples: false,
        Kernel: new GemmKernelChoice(GemmKernelName.RunTime, "test"),
        UpdateKernel: new GemmKernelChoice(GemmKernelName.RunTime, "test"));

    private static readonly StepSource Source = new(4, new TensorType(Shape.Of(Size.Of(1), Hidden), Batched: true), "MatMul", "image.Dot(Weights01)");

    [Fact]
    public void TheFirstProductOfAWholeInputChecksIt()
    {
        Assert.Equal(0, InputChecks.CheckedByFirstProduct([new GemmStep(Source, Product)], Inputs));

        // The batch folded into the rows differently: [batch·2 × 392] rows of the same values.
        var halves = Product with { M = Size.Batch * 2, K = Size.Of(392), Lda = Size.Of(392) };
        Assert.Equal(0, InputChecks.CheckedByFirstProduct([new GemmStep(Source, halves)], Inputs));
    }

    [Fact]
    public void AProductThatDoesNotReadEveryValueIntoEachElementOfItsRowChecksNothing()
    {
        var notChecking = new Gemm[]
        {
            Product with { TransposeA = true },
            Product with { PerSample = true, A = Product.A with { SampleSize = Size.Of(784) } },
            Product with { AddsToC = true },
            Product with { K = Size.Of(392), Lda = Size.Of(784) },
            Product with { M = Size.Batch, K = Size.Of(392), Lda = Size.Of(392) },
            Product with { Ldc = Hidden * 2 },
            Product with { C = new GemmOperand(new Storage(StorageKind.Output, 0), null) },
            Product with { A = new GemmOperand(new Storage(StorageKind.BatchBuffer, 1), null) },
            Product with { A = new GemmOperand(new Storage(StorageKind.Input, 0, Step: new StepPart(false, 0, Size.Of(784))), null) },
        };

        foreach (var product in notChecking)
        {
            Assert.Null(InputChecks.CheckedByFirstProduct([new GemmStep(Source, product)], Inputs));
        }

        Assert.Null(InputChecks.CheckedByFirstProduct([new GemmStep(Source, Product, UpdatedParameter: 0)], Inputs));
        Assert.Null(InputChecks.CheckedByFirstProduct([], Inputs));
        Assert.Null(InputChecks.CheckedByFirstProduct([new CopyStep(Source, new StoredOperand(new Storage(StorageKind.Input, 0)), new Storage(StorageKind.BatchBuffer, 0), Size.Batch * 784), new GemmStep(Source, Product)], Inputs));
    }

    [Fact]
    public void IndexInputsAreNeverCheckedThroughAProduct()
    {
        InputLayout[] indices = [Inputs[0] with { Indices = true, Count = Size.Of(784) }, Inputs[1]];
        Assert.Null(InputChecks.CheckedByFirstProduct([new GemmStep(Source, Product)], indices));
    }
}
