using Graph;
using static Graph.Ops;

namespace Graph.Bench.Models;

/// <summary>
/// The character LSTM of chapter 14 (the samples' <c>ShakespeareLstm</c>) in float: an embedding of the 62 characters
/// feeding an LSTM cell of 512, whose gates are <c>f, i, o = sigmoid(x·Wx + b + h·Wh)</c> and
/// <c>g = tanh(x·Wxc + bc + h·Whc)</c>, <c>c = f·c + i·g</c>, <c>h = o·tanh(c)</c>, and the logits <c>h·Output</c> of the
/// next character at every one of the 25 steps.
/// </summary>
/// <remarks>
/// The same Loss as the sample's, so the bench times the step that <c>ch14 lstm</c> trains. The weights start uniform in
/// ±0.05 (the sample fills them with the book's draws instead, and its Output starts at zero), so that every product of
/// the step, the output layer's included, carries non-zero values when the bench compares it with TorchSharp.
/// </remarks>
[Model, Size("Vocab", 62), Size("Hidden", 512)]
public partial class CharacterLstm
{
    /// <summary>The characters per batch, the book's <c>bptt = 25</c>.</summary>
    public const int Steps = 25;

    [Param("Vocab", "Hidden"), InitUniform(-0.05, 0.05)] public partial Tensor Embed { get; }

    [Param("Hidden", "Hidden"), InitUniform(-0.05, 0.05)] public partial Tensor ForgetInput { get; }

    [Param("Hidden"), InitUniform(-0.05, 0.05)] public partial Tensor ForgetBias { get; }

    [Param("Hidden", "Hidden"), InitUniform(-0.05, 0.05)] public partial Tensor InGateInput { get; }

    [Param("Hidden"), InitUniform(-0.05, 0.05)] public partial Tensor InGateBias { get; }

    [Param("Hidden", "Hidden"), InitUniform(-0.05, 0.05)] public partial Tensor OutGateInput { get; }

    [Param("Hidden"), InitUniform(-0.05, 0.05)] public partial Tensor OutGateBias { get; }

    [Param("Hidden", "Hidden"), InitUniform(-0.05, 0.05)] public partial Tensor CandidateInput { get; }

    [Param("Hidden"), InitUniform(-0.05, 0.05)] public partial Tensor CandidateBias { get; }

    [Param("Hidden", "Hidden"), InitUniform(-0.05, 0.05)] public partial Tensor ForgetHidden { get; }

    [Param("Hidden", "Hidden"), InitUniform(-0.05, 0.05)] public partial Tensor InGateHidden { get; }

    [Param("Hidden", "Hidden"), InitUniform(-0.05, 0.05)] public partial Tensor OutGateHidden { get; }

    [Param("Hidden", "Hidden"), InitUniform(-0.05, 0.05)] public partial Tensor CandidateHidden { get; }

    [Param("Hidden", "Vocab"), InitUniform(-0.05, 0.05)] public partial Tensor Output { get; }

    /// <summary>The cross-entropy of each step's prediction of the next character, summed over the steps and averaged over the batch.</summary>
    [Loss]
    public Tensor Loss([Indices(Steps)] Tensor chars, [Indices(Steps)] Tensor targets, [Shape(1, "Hidden")] Tensor h0, [Shape(1, "Hidden")] Tensor c0)
    {
        Tensor h = h0;
        Tensor c = c0;
        Tensor loss = 0;
        for (int t = 0; t < Steps; t++)
        {
            Tensor x = EmbeddingSum(Embed, chars[t]);
            Tensor next = NextCell(x, h, c);
            h = NextHidden(x, h, next);
            c = next;
            loss += SoftmaxCrossEntropy(h[0].Dot(Output), targets[t]);
        }

        return loss;
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
