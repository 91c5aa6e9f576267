using Graph;
using Graph.Runtime;
using static Graph.Ops;

namespace Graph.Tests.Loops;

// One recurrent model with an embedding table far larger than the rows a call reads, twice, in double: written out step
// by step (UnrollLoops = true: one scatter per step, summed densely) and as the compiler compiles it by default (the
// loop's steps scattered once after it and the steps laid out apart scattered each, their sum row-sparse). The
// declarations differ only in those attributes and their name; the interface above them is what the tests call.

/// <summary>What the tests call of a wide-embedding twin.</summary>
public interface IWideEmbeddingTwin
{
    ParameterSet<double> Parameters { get; }

    double Backward(ReadOnlySpan<int> words, ReadOnlySpan<int> targets, ReadOnlySpan<double> h0, int batch = 1);

    double TrainStep(ReadOnlySpan<int> words, ReadOnlySpan<int> targets, ReadOnlySpan<double> h0, double learningRate, int batch = 1);
}

/// <summary>A word read at every step through a 2,000-row embedding, a tanh recurrence and a per-step cross-entropy, with every loop written out step by step.</summary>
[Model(typeof(double), UnrollLoops = true), Size("Vocab", 2000), Size("Embedding", 3), Size("Hidden", 4), Size("Classes", 3)]
public partial class WideEmbeddingUnrolled : IWideEmbeddingTwin
{
    public const int Steps = 7;

    [Param("Vocab", "Embedding"), InitZeros] public partial Tensor Embed { get; }
    [Param("Embedding", "Hidden"), InitZeros] public partial Tensor Input { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor Recurrent { get; }
    [Param("Hidden", "Classes"), InitZeros] public partial Tensor Output { get; }

    [Loss]
    public Tensor Loss([Indices(Steps)] Tensor words, [Indices(Steps)] Tensor targets, [Shape(1, "Hidden")] Tensor h0)
    {
        Tensor h = h0;
        Tensor loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            h = Tanh(EmbeddingSum(Embed, words[t]).Dot(Input) + h.Dot(Recurrent));
            loss += SoftmaxCrossEntropy(h[0].Dot(Output), targets[t]);
        }

        return loss;
    }
}

/// <summary><see cref="WideEmbeddingUnrolled"/> as the compiler compiles it by default: a kept loop, its sums over the steps in the compiler's order.</summary>
[Model(typeof(double)), Size("Vocab", 2000), Size("Embedding", 3), Size("Hidden", 4), Size("Classes", 3)]
public partial class WideEmbeddingSummed : IWideEmbeddingTwin
{
    public const int Steps = 7;

    [Param("Vocab", "Embedding"), InitZeros] public partial Tensor Embed { get; }
    [Param("Embedding", "Hidden"), InitZeros] public partial Tensor Input { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor Recurrent { get; }
    [Param("Hidden", "Classes"), InitZeros] public partial Tensor Output { get; }

    [Loss]
    public Tensor Loss([Indices(Steps)] Tensor words, [Indices(Steps)] Tensor targets, [Shape(1, "Hidden")] Tensor h0)
    {
        Tensor h = h0;
        Tensor loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            h = Tanh(EmbeddingSum(Embed, words[t]).Dot(Input) + h.Dot(Recurrent));
            loss += SoftmaxCrossEntropy(h[0].Dot(Output), targets[t]);
        }

        return loss;
    }
}
