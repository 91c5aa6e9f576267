using Graph.Runtime;
using Graph.Tests.Generator;
using Xunit;

namespace Graph.Tests.Fusion;

/// <summary>
/// A training body hands a dropout mask to the loop right after it that applies it, where that loop splits across
/// threads by chunks of the mask's elements (<c>Schedule/MaskConsumers</c>): the mask's kernel runs each chunk as it
/// draws it. The loss method, which may run without dropout, keeps the mask and the loop apart, and so does a loop too
/// small to split. The gradient is the mask of the stream, at any thread count, and the loss is the loss method's.
/// </summary>
public sealed class ConsumedMaskTests
{
    [Fact]
    public void A_split_loop_takes_its_mask_as_it_is_drawn_in_the_training_body_only()
    {
        var result = GeneratorHarness.Run(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "tests", "Graph.Tests", "Fusion", "ConsumedMaskModels.cs")));
        Assert.Empty(result.Diagnostics);
        string numpy = Source(result, "HandedMask");
        string philox = Source(result, "HandedPhiloxMask");
        string narrow = Source(result, "NarrowMask");

        Assert.Matches(@"Kernels\.DropoutMaskPacked<double, BackwardLoop\d+>\(new global::System\.Span<double>\(this\.batchBuffer\d, 0, 8192 \* batch\), 0\.5, this\.Random, ref loop\d+, 4096\);", Body(numpy, "BackwardCore"));
        Assert.Matches(@"Kernels\.DropoutMaskPacked<double, BackwardLoop\d+>\(new global::System\.Span<double>\(this\.batchBuffer\d, 0, 8192 \* batch\), 0\.5, this\.DropoutGenerator, ref loop\d+, 4096\);", Body(philox, "BackwardCore"));
        Assert.DoesNotContain("ParallelLoop.Run", Body(numpy, "BackwardCore"), StringComparison.Ordinal);

        // The loss method fills the mask with ones when it runs without training: its loop runs apart.
        string loss = Body(numpy, "Loss(");
        Assert.Contains("Kernels.DropoutMask<double>(", loss, StringComparison.Ordinal);
        Assert.Contains("ParallelLoop.Run(ref loop", loss, StringComparison.Ordinal);
        Assert.Contains("Kernels.DropoutMask<double>(", Body(narrow, "BackwardCore"), StringComparison.Ordinal);
        Assert.DoesNotContain("ref loop", narrow, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_gradient_is_the_streams_mask_and_the_loss_the_loss_methods(int threads)
    {
        // Five samples: 40,960 elements, ten chunks of 4096, the last one whole; seven samples end inside a chunk.
        foreach (int batch in new[] { 5, 7 })
        {
            using var scope = Parallelism.Use(threads);
            const int width = HandedMask.Width;
            var model = new HandedMask(17);
            var ones = Enumerable.Repeat(1.0, batch * width).ToArray();
            model.Random.Seed(17);
            double loss = model.Backward(ones, batch);

            var numpy = new NumpyRandom(17);
            var expected = new double[width];
            for (int sample = 0; sample < batch; sample++)
            {
                for (int j = 0; j < width; j++)
                {
                    expected[j] += 2 * numpy.RandInt(2);
                }
            }

            Assert.Equal(expected, model.Parameters["W"].Gradient);
            Assert.Equal(numpy.NextUInt32(), model.Random.NextUInt32());
            model.Random.Seed(17);
            Assert.Equal(model.Loss(ones, batch, training: true), loss);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_Philox_mask_handed_to_its_loop_is_the_one_the_loss_method_draws(int threads)
    {
        using var scope = Parallelism.Use(threads);
        const int batch = 7;
        var model = new HandedPhiloxMask(3);
        var ones = Enumerable.Repeat(1.0, batch * HandedPhiloxMask.Width).ToArray();
        ulong position = model.DropoutGenerator.Position;
        double loss = model.Backward(ones, batch);
        var mask = new double[batch * HandedPhiloxMask.Width];
        Kernels.DropoutMask<double>(mask, 0.5, new Philox4x32(model.DropoutGenerator.Seed) { Position = position });
        var expected = new double[HandedPhiloxMask.Width];
        for (int i = 0; i < mask.Length; i++)
        {
            expected[i % HandedPhiloxMask.Width] += mask[i];
        }

        Assert.Equal(expected, model.Parameters["W"].Gradient);
        ulong after = model.DropoutGenerator.Position;
        model.DropoutGenerator.Position = position;
        Assert.Equal(model.Loss(ones, batch, training: true), loss);
        Assert.Equal(after, model.DropoutGenerator.Position);
    }

    private static string Source(GeneratorResult result, string model) =>
        result.Sources.Single(s => s.Key.EndsWith("." + model + ".g.cs", StringComparison.Ordinal)).Value;

    /// <summary>The body of the generated method whose signature contains <paramref name="name"/>, up to its closing brace.</summary>
    private static string Body(string source, string name)
    {
        string body = source[source.IndexOf(" " + name, StringComparison.Ordinal)..];
        return body[..body.IndexOf("\n        }\n", StringComparison.Ordinal)];
    }
}
