using Graph;
using static Graph.Ops;

namespace Graph.Tests.Loops;

// The LSTM and the bAbI recurrence of LoopTwinModels.cs with their loops bounded by a run-time step count
// ([MaxSteps]) instead of a constant, at most the constant twins' 8 steps; sums in the unrolled order, as those twins.

/// <summary><see cref="BabiRnnLoop"/>'s loss over the first <c>length</c> words of each padded sentence.</summary>
[Model(typeof(double), ExactLoopSums = true), Size("Vocab", 9)]
public partial class BabiRnnSteps
{
    public const int Steps = 8;
    public const int Embedding = 4;

    [Param("Vocab", Embedding), InitZeros] public partial Tensor Embed { get; }
    [Param(Embedding, Embedding), InitZeros] public partial Tensor Recurrent { get; }
    [Param(Embedding), InitZeros] public partial Tensor Start { get; }
    [Param(Embedding, "Vocab"), InitZeros] public partial Tensor Decoder { get; }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(Steps, Padded = true)] Tensor words, [MaxSteps(Steps)] int length)
    {
        Tensor hidden = Start;
        Tensor loss = 0;
        for (int t = 0; t < length; t++)
        {
            loss += SoftmaxCrossEntropy(hidden.Dot(Decoder), words[t]);
            hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
        }

        return loss;
    }
}

/// <summary>
/// <see cref="BabiRnnSteps"/> with the sums over its loop's steps in the compiler's order (ExactLoopSums off): the
/// embedding's gradient, each step's carried adjoint, is kept for every step the count runs and scattered after the loop.
/// </summary>
[Model(typeof(double)), Size("Vocab", 9)]
public partial class BabiRnnStepsSummed
{
    public const int Steps = 8;
    public const int Embedding = 4;

    [Param("Vocab", Embedding), InitZeros] public partial Tensor Embed { get; }
    [Param(Embedding, Embedding), InitZeros] public partial Tensor Recurrent { get; }
    [Param(Embedding), InitZeros] public partial Tensor Start { get; }
    [Param(Embedding, "Vocab"), InitZeros] public partial Tensor Decoder { get; }

    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(Steps, Padded = true)] Tensor words, [MaxSteps(Steps)] int length)
    {
        Tensor hidden = Start;
        Tensor loss = 0;
        for (int t = 0; t < length; t++)
        {
            loss += SoftmaxCrossEntropy(hidden.Dot(Decoder), words[t]);
            hidden = hidden.Dot(Recurrent) + EmbeddingSum(Embed, words[t]);
        }

        return loss;
    }
}

/// <summary><see cref="CharacterLstmLoop"/> over the first <c>length</c> characters.</summary>
[Model(typeof(double), ExactLoopSums = true), Size("Vocab", 7), Size("Hidden", 5)]
public partial class CharacterLstmSteps
{
    public const int Steps = 8;

    [Param("Vocab", "Hidden"), InitZeros] public partial Tensor Embed { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor ForgetInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor ForgetBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor InGateInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor InGateBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor OutGateInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor OutGateBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor CandidateInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor CandidateBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor ForgetHidden { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor InGateHidden { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor OutGateHidden { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor CandidateHidden { get; }
    [Param("Hidden", "Vocab"), InitZeros] public partial Tensor Output { get; }

    [Loss]
    public Tensor Loss([Indices(Steps)] Tensor chars, [Indices(Steps)] Tensor targets, [Shape(1, "Hidden")] Tensor h0, [Shape(1, "Hidden")] Tensor c0, [MaxSteps(Steps)] int length)
    {
        Tensor h = h0;
        Tensor c = c0;
        Tensor loss = 0;
        for (int t = 0; t < length; t++)
        {
            Tensor x = EmbeddingSum(Embed, chars[t]);
            Tensor next = NextCell(x, h, c);
            h = NextHidden(x, h, next);
            c = next;
            loss += SoftmaxCrossEntropy(h[0].Dot(Output), targets[t]);
        }

        return loss;
    }

    [Forward]
    public Tensor FinalState([Indices(Steps)] Tensor chars, [Shape(1, "Hidden")] Tensor h0, [Shape(1, "Hidden")] Tensor c0, [MaxSteps(Steps)] int length)
    {
        Tensor h = h0;
        Tensor c = c0;
        for (int t = 0; t < length; t++)
        {
            Tensor x = EmbeddingSum(Embed, chars[t]);
            Tensor next = NextCell(x, h, c);
            h = NextHidden(x, h, next);
            c = next;
        }

        return Concat(h, c);
    }

    private Tensor NextCell(Tensor x, Tensor h, Tensor c)
    {
        Tensor f = Sigmoid(x.Dot(ForgetInput) + ForgetBias + h.Dot(ForgetHidden));
        Tensor i = Sigmoid(x.Dot(InGateInput) + InGateBias + h.Dot(InGateHidden));
        Tensor g = Tanh(x.Dot(CandidateInput) + CandidateBias + h.Dot(CandidateHidden));
        return f * c + i * g;
    }

    private Tensor NextHidden(Tensor x, Tensor h, Tensor c) =>
        Sigmoid(x.Dot(OutGateInput) + OutGateBias + h.Dot(OutGateHidden)) * Tanh(c);
}

/// <summary>
/// <see cref="CharacterLstmSteps"/> as the compiler compiles it by default: its input products read from table products
/// (<c>Optimization/TableProducts</c>), which a run-time count leaves in place, its sums after the loop.
/// </summary>
[Model(typeof(double)), Size("Vocab", 7), Size("Hidden", 5)]
public partial class CharacterLstmStepsSummed
{
    public const int Steps = 8;

    [Param("Vocab", "Hidden"), InitZeros] public partial Tensor Embed { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor ForgetInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor ForgetBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor InGateInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor InGateBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor OutGateInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor OutGateBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor CandidateInput { get; }
    [Param("Hidden"), InitZeros] public partial Tensor CandidateBias { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor ForgetHidden { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor InGateHidden { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor OutGateHidden { get; }
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor CandidateHidden { get; }
    [Param("Hidden", "Vocab"), InitZeros] public partial Tensor Output { get; }

    [Loss]
    public Tensor Loss([Indices(Steps)] Tensor chars, [Indices(Steps)] Tensor targets, [Shape(1, "Hidden")] Tensor h0, [Shape(1, "Hidden")] Tensor c0, [MaxSteps(Steps)] int length)
    {
        Tensor h = h0;
        Tensor c = c0;
        Tensor loss = 0;
        for (int t = 0; t < length; t++)
        {
            Tensor x = EmbeddingSum(Embed, chars[t]);
            Tensor next = NextCell(x, h, c);
            h = NextHidden(x, h, next);
            c = next;
            loss += SoftmaxCrossEntropy(h[0].Dot(Output), targets[t]);
        }

        return loss;
    }

    [Forward]
    public Tensor FinalState([Indices(Steps)] Tensor chars, [Shape(1, "Hidden")] Tensor h0, [Shape(1, "Hidden")] Tensor c0, [MaxSteps(Steps)] int length)
    {
        Tensor h = h0;
        Tensor c = c0;
        for (int t = 0; t < length; t++)
        {
            Tensor x = EmbeddingSum(Embed, chars[t]);
            Tensor next = NextCell(x, h, c);
            h = NextHidden(x, h, next);
            c = next;
        }

        return Concat(h, c);
    }

    private Tensor NextCell(Tensor x, Tensor h, Tensor c)
    {
        Tensor f = Sigmoid(x.Dot(ForgetInput) + ForgetBias + h.Dot(ForgetHidden));
        Tensor i = Sigmoid(x.Dot(InGateInput) + InGateBias + h.Dot(InGateHidden));
        Tensor g = Tanh(x.Dot(CandidateInput) + CandidateBias + h.Dot(CandidateHidden));
        return f * c + i * g;
    }

    private Tensor NextHidden(Tensor x, Tensor h, Tensor c) =>
        Sigmoid(x.Dot(OutGateInput) + OutGateBias + h.Dot(OutGateHidden)) * Tanh(c);
}
