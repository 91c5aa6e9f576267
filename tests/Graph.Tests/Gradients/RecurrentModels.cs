using Graph;
using static Graph.Ops;

namespace Graph.Tests.Gradients;

// Small double-precision recurrent models: a for loop over a constant number of steps, unrolled by the generator,
// one index per step picked from an [Indices(n)] input, and padding (-1) that ends a shorter sequence.

/// <summary>Predicts each word from the words before it, over at most 3 steps (the shape of chapter 12's network).</summary>
[Model(typeof(double)), Size("Vocab", 7)]
public partial class RecurrentModel
{
    public const int Steps = 3;

    [Param("Vocab", 4), InitUniform(-0.5, 0.5)] public partial Tensor Embed { get; }
    [Param(4, 4), InitUniform(-0.5, 0.5)] public partial Tensor Recurrent { get; }
    [Param(4), InitUniform(-0.5, 0.5)] public partial Tensor Start { get; }
    [Param(4, "Vocab"), InitUniform(-0.5, 0.5)] public partial Tensor Decoder { get; }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(Steps, Padded = true)] Tensor words)
    {
        Tensor hidden = Start;
        Tensor loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            loss += SoftmaxCrossEntropy(hidden.Dot(Decoder), words[t]);
            hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
        }

        return loss;
    }
}

/// <summary><see cref="RecurrentModel"/> over 2 steps: a padded 3-step sentence of 2 words must train the same.</summary>
[Model(typeof(double)), Size("Vocab", 7)]
public partial class ShortRecurrentModel
{
    public const int Steps = 2;

    [Param("Vocab", 4), InitUniform(-0.5, 0.5)] public partial Tensor Embed { get; }
    [Param(4, 4), InitUniform(-0.5, 0.5)] public partial Tensor Recurrent { get; }
    [Param(4), InitUniform(-0.5, 0.5)] public partial Tensor Start { get; }
    [Param(4, "Vocab"), InitUniform(-0.5, 0.5)] public partial Tensor Decoder { get; }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(Steps)] Tensor words)
    {
        Tensor hidden = Start;
        Tensor loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            loss += SoftmaxCrossEntropy(hidden.Dot(Decoder), words[t]);
            hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
        }

        return loss;
    }
}

/// <summary><see cref="RecurrentModel"/>'s loop written out by hand, step by step.</summary>
[Model(typeof(double)), Size("Vocab", 7)]
public partial class HandUnrolledRecurrentModel
{
    [Param("Vocab", 4), InitUniform(-0.5, 0.5)] public partial Tensor Embed { get; }
    [Param(4, 4), InitUniform(-0.5, 0.5)] public partial Tensor Recurrent { get; }
    [Param(4), InitUniform(-0.5, 0.5)] public partial Tensor Start { get; }
    [Param(4, "Vocab"), InitUniform(-0.5, 0.5)] public partial Tensor Decoder { get; }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(3, Padded = true)] Tensor words)
    {
        var h0 = Start;
        var l0 = SoftmaxCrossEntropy(h0.Dot(Decoder), words[0]);
        var h1 = h0.Dot(Recurrent) + EmbeddingSum(Embed, words[0]);
        var l1 = SoftmaxCrossEntropy(h1.Dot(Decoder), words[1]);
        var h2 = h1.Dot(Recurrent) + EmbeddingSum(Embed, words[1]);
        var l2 = SoftmaxCrossEntropy(h2.Dot(Decoder), words[2]);
        return 0 + l0 + l1 + l2;
    }
}

/// <summary>
/// The other loop forms: nested loops, <c>&lt;=</c> and <c>t += 1</c>, the loop variable in constant arithmetic
/// (reading the sentence backwards), an integer local, <c>-=</c> and <c>*=</c>, Gather and a padded EmbeddingMean.
/// </summary>
[Model(typeof(double))]
public partial class LoopFormsModel
{
    private const int Length = 4;

    [Param(6, 3), InitUniform(-0.5, 0.5)] public partial Tensor Table { get; }
    [Param(3, 3), InitUniform(-0.5, 0.5)] public partial Tensor W { get; }

    [Forward]
    public Tensor Encode([Indices(Length, Padded = true)] Tensor words)
    {
        var state = EmbeddingMean(Table, words);
        for (int t = 0; t <= Length - 1; t += 1)
        {
            int back = Length - 1 - t;
            state = Tanh(state.Dot(W) + Gather(Table, words[back]).Sum());
            for (int k = 0; k < 2; k++)
            {
                state -= 0.1 * state * (t + k);
            }

            state *= 0.9;
        }

        return state;
    }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(Length, Padded = true)] Tensor words, [Shape(3)] Tensor r) => Sum(Encode(words) * r);
}

/// <summary>Padded index inputs read by the row-gathering operations, each table read once (a row-sparse gradient).</summary>
[Model(typeof(double))]
public partial class PaddedRowsModel
{
    [Param(7, 3), InitUniform(-1, 1)] public partial Tensor Table { get; }
    [Param(3, 2), InitUniform(-1, 1)] public partial Tensor W { get; }

    [Forward] public Tensor Rows([Indices(4, Padded = true)] Tensor words) => Gather(Table, words);

    [Forward] public Tensor Total([Indices(4, Padded = true)] Tensor words) => EmbeddingSum(Table, words);

    [Forward] public Tensor Average([Indices(4, Padded = true)] Tensor words) => EmbeddingMean(Table, words);

    [Loss] public Tensor Loss([Indices(4, Padded = true)] Tensor words, [Shape(2)] Tensor r) => Sum(Tanh(EmbeddingMean(Table, words).Dot(W)) * r);
}

/// <summary>A table read once, through a picked index: its gradient is row-sparse, and TrainStep steps the row as it forms.</summary>
[Model(typeof(double))]
public partial class PickedRowModel
{
    [Param(6, 3), InitUniform(-1, 1)] public partial Tensor Embed { get; }
    [Param(3, 6), InitUniform(-1, 1)] public partial Tensor Decoder { get; }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(3, Padded = true)] Tensor words) => SoftmaxCrossEntropy(EmbeddingSum(Embed, words[1]).Dot(Decoder), words[2]);
}

/// <summary>A recurrence over a dense sequence: x[t] is row t of each sample's [4, 3] input.</summary>
[Model(typeof(double))]
public partial class DenseSequenceModel
{
    [Param(3, 5), InitUniform(-0.5, 0.5)] public partial Tensor U { get; }
    [Param(5, 5), InitUniform(-0.5, 0.5)] public partial Tensor W { get; }
    [Param(5), InitUniform(-0.5, 0.5)] public partial Tensor Start { get; }

    [Forward]
    public Tensor Encode([Shape(4, 3)] Tensor x)
    {
        Tensor hidden = Start;
        for (int t = 0; t < 4; t++)
        {
            hidden = Tanh(hidden.Dot(W) + x[t].Dot(U));
        }

        return hidden;
    }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Shape(4, 3)] Tensor x, [Shape(5)] Tensor r) => Sum(Encode(x) * r) + Sum(Square(W[1])) + Sum(x[2] * U[0][1]);
}
