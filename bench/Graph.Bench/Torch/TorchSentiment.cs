using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graph.Bench.Torch;

using Tensor = TorchSharp.torch.Tensor;

/// <summary>
/// Chapter 11's sentiment network in TorchSharp as a .NET user writes it: <c>nn.EmbeddingBag</c> (sum, sparse gradient, so SGD
/// steps only the rows read) of a review's
/// word indices, Sigmoid, <c>nn.Linear(hidden, 1)</c> without bias, Sigmoid, <c>nn.BCELoss</c>, autograd and
/// <c>optim.SGD</c>, one review per step, a dispose scope per step.
/// </summary>
public sealed class TorchSentimentTrainer : IDisposable
{
    private readonly EmbeddingBag embedding;
    private readonly Linear output;
    private readonly optim.Optimizer optimizer;
    private readonly nn.Module<Tensor, Tensor, Tensor> loss = nn.BCELoss();
    private readonly Tensor[] reviews;
    private readonly Tensor[] labels;
    private readonly Tensor offsets = tensor(new long[] { 0 });
    private int next;

    public TorchSentimentTrainer(int[][] reviews, IReadOnlyList<int> labels, int vocabulary, int hidden, double learningRate)
    {
        embedding = nn.EmbeddingBag(vocabulary, hidden, mode: EmbeddingBagMode.Sum, sparse: true);
        output = nn.Linear(hidden, 1, hasBias: false);
        optimizer = optim.SGD(embedding.parameters().Concat(output.parameters()), learningRate);
        this.reviews = reviews.Select(r => tensor(r.Select(i => (long)i).ToArray())).ToArray();
        this.labels = reviews.Select((_, i) => tensor(new float[] { labels[i] }, [1, 1])).ToArray();
    }

    /// <summary>One training step on the next review.</summary>
    public void Step()
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        Tensor hidden = embedding.call(reviews[next], offsets, null).sigmoid();
        Tensor prediction = output.call(hidden).sigmoid();
        loss.call(prediction, labels[next]).backward();
        optimizer.step();
        next = next + 1 == reviews.Length ? 0 : next + 1;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var t in reviews.Concat(labels).Append(offsets))
        {
            t.Dispose();
        }

        optimizer.Dispose();
        loss.Dispose();
        embedding.Dispose();
        output.Dispose();
    }
}
