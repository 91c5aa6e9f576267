using System.Globalization;
using Graph.Samples.Examples;
using Graph.Tests.Datasets;
using Xunit;

namespace Graph.Tests.Samples;

/// <summary>Short runs of the MNIST chapters on the shared data (skipped where it is absent, failed under CI=true).</summary>
public sealed class MnistSampleTests
{
    /// <summary>The book's first lines of E8.2 (notebook ch8 cell 3), reproduced by the book's hand-written deltas.</summary>
    [SharedMnistFact]
    public void OverfittingWithTheBooksDeltasPrintsTheBooksFirstLines()
    {
        var lines = SampleRun.Lines("ch08", "overfitting", new ExampleOptions { Iterations = 11, BookDelta = true });
        Assert.Equal(
            [
                "I:0 Train-Err:0.722 Train-Acc:0.537 Test-Err:0.601 Test-Acc:0.6488",
                "I:10 Train-Err:0.312 Train-Acc:0.901 Test-Err:0.420 Test-Acc:0.8114",
            ],
            lines);
    }

    [SharedMnistFact]
    public void OverfittingWithTheTrueGradientReachesItsMeasuredAccuracy()
    {
        var lines = SampleRun.Lines("ch08", "overfitting", new ExampleOptions { Iterations = 3, TrainSize = 300 });
        Assert.Equal(2, lines.Length);
        AssertMeasured(0.6309, lines[^1]);
    }

    [SharedMnistFact]
    public void BatchedDropoutReachesItsMeasuredAccuracy()
    {
        var lines = SampleRun.Lines("ch08", "batch", new ExampleOptions { Iterations = 11, TrainSize = 400 });
        Assert.Equal(2, lines.Length);
        AssertMeasured(0.6678, lines[^1]);
    }

    [SharedMnistFact]
    public void TanhSoftmaxReachesItsMeasuredAccuracyInFloat()
    {
        var lines = SampleRun.Lines("ch09", "tanh-softmax", new ExampleOptions { Iterations = 11, TrainSize = 500, Precision = Precision.Float });
        Assert.Equal(2, lines.Length);
        AssertMeasured(0.6505, lines[^1]);
    }

    [SharedMnistFact]
    public void ConvolutionReachesItsMeasuredAccuracy()
    {
        // 256 images in batches of 128: four training steps in all.
        var lines = SampleRun.Lines("ch10", "cnn", new ExampleOptions { Iterations = 2, TrainSize = 256, Precision = Precision.Float });
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("I:1 Test-Acc:", lines[^1], StringComparison.Ordinal);
        AssertMeasured(0.26, lines[^1]);
    }

    /// <summary>
    /// The book's first lines of E8.3 (notes L1818-1819, notebook ch8 cell 6), reproduced by its hand-written deltas;
    /// Train-Err and Train-Acc score the training pass's predictions, under its dropout mask, as the book does.
    /// </summary>
    [SharedMnistFact]
    public void DropoutWithTheBooksDeltasPrintsTheBooksFirstLines()
    {
        var lines = SampleRun.Lines("ch08", "dropout", new ExampleOptions { Iterations = 11, BookDelta = true });
        Assert.Equal(
            [
                "I:0 Test-Err:0.641 Test-Acc:0.6333 Train-Err:0.891 Train-Acc:0.413",
                "I:10 Test-Err:0.458 Test-Acc:0.787 Train-Err:0.472 Train-Acc:0.764",
            ],
            lines);
    }

    /// <summary>
    /// The book's lines I:0 to I:10 of E10.1 (notes L2348-2358), reproduced with its hand-written deltas, Train-Acc
    /// (the training pass's predictions under its dropout mask, over 1000 images) included.
    /// </summary>
    [SharedMnistFact]
    public void ConvolutionWithTheBooksDeltasPrintsTheBooksFirstLines()
    {
        var lines = SampleRun.Lines("ch10", "cnn", new ExampleOptions { Iterations = 11, BookDelta = true });
        Assert.Equal(
            [
                "I:0 Test-Acc:0.0288 Train-Acc:0.055",
                "I:1 Test-Acc:0.0273 Train-Acc:0.037",
                "I:2 Test-Acc:0.028 Train-Acc:0.037",
                "I:3 Test-Acc:0.0292 Train-Acc:0.04",
                "I:4 Test-Acc:0.0339 Train-Acc:0.046",
                "I:5 Test-Acc:0.0478 Train-Acc:0.068",
                "I:6 Test-Acc:0.076 Train-Acc:0.083",
                "I:7 Test-Acc:0.1316 Train-Acc:0.096",
                "I:8 Test-Acc:0.2137 Train-Acc:0.127",
                "I:9 Test-Acc:0.2941 Train-Acc:0.148",
                "I:10 Test-Acc:0.3563 Train-Acc:0.181",
            ],
            lines);
    }

    [Fact]
    public void ConvolutionWithTheBooksDeltasNeedsAFullBatch()
    {
        var chapter = ExampleRegistry.FindChapter("ch10")!;
        var example = ExampleRegistry.FindExample(chapter, "cnn")!;
        var error = Assert.Throws<ArgumentException>(() => example.Run(new ExampleOptions { TrainSize = 100, BookDelta = true }, TextWriter.Null));
        Assert.Contains("--book-delta trains only full batches", error.Message, StringComparison.Ordinal);
    }

    [SharedMnistFact]
    public void PlotIsWrittenAsAPng()
    {
        string path = Path.Combine(Path.GetTempPath(), $"graph-plot-{Guid.NewGuid():N}.png");
        try
        {
            SampleRun.Lines("ch08", "dropout", new ExampleOptions { Iterations = 1, TrainSize = 100, Plot = path });
            var header = File.ReadAllBytes(path).Take(8).ToArray();
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, header);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TrainSizeMustBeAMultipleOfTheBatch()
    {
        var chapter = ExampleRegistry.FindChapter("ch08")!;
        var example = ExampleRegistry.FindExample(chapter, "batch")!;
        var error = Assert.Throws<ArgumentException>(() => example.Run(new ExampleOptions { TrainSize = 150 }, TextWriter.Null));
        Assert.Contains("--train-size (150) must be a multiple of --batch (100)", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// The test accuracy these short, seeded runs measured (dotnet run -c Release --project samples/Chapters with the
    /// same options), within 0.01: room for another summation order in the kernels (about 1e-15 per sum, a few test
    /// images at most after training), none for a wrong gradient or a lost batch element.
    /// </summary>
    private static void AssertMeasured(double measured, string line) =>
        Assert.InRange(TestAccuracy(line), measured - 0.01, measured + 0.01);

    private static double TestAccuracy(string line)
    {
        int start = line.IndexOf("Test-Acc:", StringComparison.Ordinal) + "Test-Acc:".Length;
        int end = line.IndexOf(' ', start);
        return double.Parse(end < 0 ? line[start..] : line[start..end], CultureInfo.InvariantCulture);
    }
}
