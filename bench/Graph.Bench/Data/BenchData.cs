using Graph.Runtime;
using Graph.Datasets;

namespace Graph.Bench.Data;

/// <summary>
/// The records a benchmark trains on: row-major inputs and one-hot (or plain) targets, cycled through one step at a
/// time for batch 1, one fixed batch otherwise. Every implementation of a network gets the same arrays.
/// </summary>
public sealed class BenchData
{
    private BenchData(float[] inputs, float[] targets, int records, int inputSize, int outputSize, string source)
    {
        Inputs = inputs;
        Targets = targets;
        Records = records;
        InputSize = inputSize;
        OutputSize = outputSize;
        Source = source;
        Classes = new long[records];
        for (int r = 0; r < records; r++)
        {
            int best = 0;
            for (int o = 1; o < outputSize; o++)
            {
                if (targets[(r * outputSize) + o] > targets[(r * outputSize) + best])
                {
                    best = o;
                }
            }

            Classes[r] = best;
        }
    }

    /// <summary>Records × <see cref="InputSize"/> inputs.</summary>
    public float[] Inputs { get; }

    /// <summary>Records × <see cref="OutputSize"/> targets (one-hot for MNIST).</summary>
    public float[] Targets { get; }

    /// <summary>The class index of each record (the argmax of its target), for TorchSharp's cross-entropy.</summary>
    public long[] Classes { get; }

    /// <summary>How many records there are.</summary>
    public int Records { get; }

    /// <summary>Values per input record.</summary>
    public int InputSize { get; }

    /// <summary>Values per target record.</summary>
    public int OutputSize { get; }

    /// <summary>Where the data came from, for the report.</summary>
    public string Source { get; }

    /// <summary>Whether <see cref="ForSpec"/> may read the real MNIST images where they are present (never downloads).</summary>
    public static bool UseRealMnist { get; set; } = true;

    /// <summary>The book's four streetlight patterns and whether to walk.</summary>
    public static BenchData Streetlights() =>
        new([1, 0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1], [1, 1, 0, 0], 4, 3, 1, "the book's 4 streetlight records");

    /// <summary>The data for a network: the streetlights for N1, 100 MNIST-sized records for the others.</summary>
    public static BenchData ForSpec(NetworkSpec spec) =>
        spec.Inputs == 3 ? Streetlights() : Mnist(100, spec.Seed);

    /// <summary>
    /// The first <paramref name="count"/> MNIST training images (pixels / 255, one-hot labels) when the files are found
    /// locally (GRAPH_DATA, shared/data beside the repository, the user cache; no download); otherwise random
    /// MNIST-like records from a fixed seed: pixels uniform in [0, 1), uniformly drawn classes.
    /// </summary>
    public static BenchData Mnist(int count, int seed)
    {
        if (UseRealMnist && TryLoadMnist(count) is { } real)
        {
            return real;
        }

        var random = NumpyRandom.FromSeed(seed + 1000);
        var inputs = new float[count * 784];
        random.RandomSample(inputs);
        var targets = new float[count * 10];
        for (int r = 0; r < count; r++)
        {
            targets[(r * 10) + (int)random.RandInt(10)] = 1;
        }

        return new BenchData(inputs, targets, count, 784, 10, $"{count} random MNIST-like records (uniform [0,1) pixels, seed {seed + 1000})");
    }

    private static BenchData? TryLoadMnist(int count)
    {
        try
        {
            var options = DataLocatorOptions.FromEnvironment() with { Downloader = null };
            var data = new Mnist(new DataLocator(options)).LoadTraining(count);
            return new BenchData(data.Images<float>(), data.OneHotLabels<float>(), count, 784, 10, $"the first {count} MNIST training images");
        }
        catch (Exception e) when (e is DatasetNotFoundException or DatasetFormatException or IOException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The inputs of the step that starts at record <paramref name="first"/>.</summary>
    public ReadOnlySpan<float> InputBatch(int first, int batch) => Inputs.AsSpan(first * InputSize, batch * InputSize);

    /// <summary>The targets of the step that starts at record <paramref name="first"/>.</summary>
    public ReadOnlySpan<float> TargetBatch(int first, int batch) => Targets.AsSpan(first * OutputSize, batch * OutputSize);
}
