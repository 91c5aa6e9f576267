using Graph.Runtime;
using Graph.Tests.Snapshots.Models;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>
/// A model declared with <c>[Model(DropoutRandom = DropoutRandom.Philox)]</c> draws its dropout masks from its
/// Philox4x32 generator, keyed from its numpy generator after the initial values, which stay those of numpy's stream.
/// </summary>
public sealed class PhiloxDropoutModelTests
{
    private const int Batch = 3;

    [Fact]
    public void TheMaskIsTheRuntimesPhiloxMaskFromTheModelsKey()
    {
        var model = new WideLayerNetwork<double>(1);
        ulong key = model.DropoutGenerator.Seed;
        var x = Enumerable.Range(0, 4 * Batch).Select(i => (i % 5) - 2.0).ToArray();
        var y = Enumerable.Range(0, 2048 * Batch).Select(i => (i % 7) * 0.25).ToArray();
        var layer = new double[2048 * Batch];
        model.Dropped(x, layer, Batch);
        double loss = model.Loss(x, y, Batch, training: true);

        // The loss with the mask the runtime draws from a Philox4x32 of the model's key: L2Loss summed per sample, halved, averaged.
        var mask = new double[2048 * Batch];
        Kernels.DropoutMask<double>(mask, 0.5, new Philox4x32(key));
        double total = 0;
        for (int s = 0; s < Batch; s++)
        {
            double sample = 0;
            for (int j = 0; j < 2048; j++)
            {
                double d = (layer[(s * 2048) + j] * mask[(s * 2048) + j]) - y[(s * 2048) + j];
                sample += d * d;
            }

            total += sample * 0.5;
        }

        Assert.Equal(total / Batch, loss, 12);
        Assert.NotEqual(model.Loss(x, y, Batch), loss, 3);
        Assert.Equal((ulong)(2048 * Batch / 4), model.DropoutGenerator.Position);
    }

    [Fact]
    public void TheKeyIsDrawnAfterTheInitialValuesFromTheSeed()
    {
        var random = NumpyRandom.FromSeed(1);
        var initial = Enumerable.Range(0, (4 * 2048) + 2048).Select(_ => (2 * random.RandomSample()) - 1).ToArray();
        ulong low = random.NextUInt32(), high = random.NextUInt32();

        var model = new WideLayerNetwork<double>(1);
        Assert.Equal(initial, model.Parameters.SelectMany(p => p.Value));
        Assert.Equal((high << 32) | low, model.DropoutGenerator.Seed);
        Assert.NotEqual(model.DropoutGenerator.Seed, new WideLayerNetwork<double>(2).DropoutGenerator.Seed);
    }
}
