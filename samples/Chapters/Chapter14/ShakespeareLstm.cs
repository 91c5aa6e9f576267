using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter14;

/// <summary>
/// E14.5, the book's character LSTM: <c>Embedding(62, 512)</c> feeding <c>LSTMCell(512, 512, 62)</c>. Each step takes a
/// character x, the previous hidden state h and cell state c, and computes the gates
/// <c>f, i, o = sigmoid(x·Wx + b + h·Wh)</c> and <c>g = tanh(x·Wxc + bc + h·Whc)</c>, then <c>c = f·c + i·g</c>,
/// <c>h = o·tanh(c)</c> and the logits <c>h·Output</c> of the next character.
/// </summary>
/// <remarks>
/// Truncated backpropagation: the state a batch starts from is an input (<c>h0</c>, <c>c0</c>, each a <c>[1, Hidden]</c>
/// row per sample), so no gradient flows into the batch before, and <see cref="FinalState"/> gives the state the batch
/// ends in, which the training loop feeds to the next batch. The embedding width equals <c>Hidden</c>, as the book's
/// 512 and 512. Every parameter starts at zero here; the training code fills them with the book's
/// <c>np.random.seed(0)</c> draws (<see cref="BookInitialisation"/>), and <see cref="Output"/> stays zero, the book's
/// <c>model.w_ho.weight.data *= 0</c>. The element type <typeparamref name="T"/> is double (the book's float64 digits)
/// or float (<c>--precision float</c>).
/// </remarks>
/// <typeparam name="T">The element type of the weights, states and gradients.</typeparam>
[Model, Size("Vocab", 62), Size("Hidden", 512)]
public partial class ShakespeareLstm<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The characters per batch, the book's <c>bptt = 25</c>.</summary>
    public const int Steps = 25;

    /// <summary>The embedding, <c>(rand - 0.5) / dim</c> in the book.</summary>
    [Param("Vocab", "Hidden"), InitZeros] public partial Tensor Embed { get; }

    /// <summary>The forget gate's input weights (<c>xf</c>).</summary>
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor ForgetInput { get; }

    /// <summary>The forget gate's bias (<c>xf.bias</c>).</summary>
    [Param("Hidden"), InitZeros] public partial Tensor ForgetBias { get; }

    /// <summary>The input gate's input weights (<c>xi</c>).</summary>
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor InGateInput { get; }

    /// <summary>The input gate's bias (<c>xi.bias</c>).</summary>
    [Param("Hidden"), InitZeros] public partial Tensor InGateBias { get; }

    /// <summary>The output gate's input weights (<c>xo</c>).</summary>
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor OutGateInput { get; }

    /// <summary>The output gate's bias (<c>xo.bias</c>).</summary>
    [Param("Hidden"), InitZeros] public partial Tensor OutGateBias { get; }

    /// <summary>The candidate's input weights (<c>xc</c>).</summary>
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor CandidateInput { get; }

    /// <summary>The candidate's bias (<c>xc.bias</c>).</summary>
    [Param("Hidden"), InitZeros] public partial Tensor CandidateBias { get; }

    /// <summary>The forget gate's recurrent weights (<c>hf</c>, no bias).</summary>
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor ForgetHidden { get; }

    /// <summary>The input gate's recurrent weights (<c>hi</c>, no bias).</summary>
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor InGateHidden { get; }

    /// <summary>The output gate's recurrent weights (<c>ho</c>, no bias).</summary>
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor OutGateHidden { get; }

    /// <summary>The candidate's recurrent weights (<c>hc</c>, no bias).</summary>
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor CandidateHidden { get; }

    /// <summary>The output layer (<c>w_ho</c>, no bias), zero at the start as the book's.</summary>
    [Param("Hidden", "Vocab"), InitZeros] public partial Tensor Output { get; }

    /// <summary>
    /// The cross-entropy of each step's prediction of the next character, summed over the <see cref="Steps"/> steps
    /// and averaged over the batch: the book's <c>loss</c>, whose true gradient each step follows.
    /// </summary>
    /// <remarks>
    /// The book's framework steps differently: its <c>cross_entropy</c> back-propagates <c>softmax - target</c> for
    /// every sample undivided (the batch sum), and its autograd passes on only the first gradient that reaches each
    /// hidden state (<c>mm</c> calls <c>backward</c> without an origin, so a state back-propagates at every arrival,
    /// and the gates it came from drop all but the first), so most of the recurrent gradient never arrives. The true
    /// gradient of the batch sum diverges at alpha 0.05; this mean's does not.
    /// </remarks>
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

        // The state the batch ends in, [2, Hidden] as FinalState gives it: the training step hands it to the next batch.
        var state = Prediction(Concat(h, c));
        return loss;
    }

    /// <summary>The state after the <see cref="Steps"/> characters, <c>[2, Hidden]</c>: row 0 is h, row 1 is c.</summary>
    [Forward]
    public Tensor FinalState([Indices(Steps)] Tensor chars, [Shape(1, "Hidden")] Tensor h0, [Shape(1, "Hidden")] Tensor c0)
    {
        Tensor h = h0;
        Tensor c = c0;
        for (int t = 0; t < Steps; t++)
        {
            Tensor x = EmbeddingSum(Embed, chars[t]);
            Tensor next = NextCell(x, h, c);
            h = NextHidden(x, h, next);
            c = next;
        }

        return Concat(h, c);
    }

    /// <summary>One step of text generation: the state after one character, <c>[2, Hidden]</c> (rows h and c).</summary>
    [Forward]
    public Tensor StepState([Indices(1)] Tensor chars, [Shape(1, "Hidden")] Tensor h0, [Shape(1, "Hidden")] Tensor c0)
    {
        Tensor x = EmbeddingSum(Embed, chars[0]);
        Tensor c = NextCell(x, h0, c0);
        return Concat(NextHidden(x, h0, c), c);
    }

    /// <summary>The logits of the character after a hidden state: <c>h·Output</c>.</summary>
    [Forward]
    public Tensor StepLogits([Shape(1, "Hidden")] Tensor h) => h[0].Dot(Output);

    /// <summary>The new cell state <c>f·c + i·g</c> from the character x and the previous h and c.</summary>
    private Tensor NextCell(Tensor x, Tensor h, Tensor c)
    {
        Tensor f = Sigmoid(x.Dot(ForgetInput) + ForgetBias + h.Dot(ForgetHidden));
        Tensor i = Sigmoid(x.Dot(InGateInput) + InGateBias + h.Dot(InGateHidden));
        Tensor g = Tanh(x.Dot(CandidateInput) + CandidateBias + h.Dot(CandidateHidden));
        return f * c + i * g;
    }

    /// <summary>The new hidden state <c>o·tanh(c)</c> from the character x, the previous h and the new cell state c.</summary>
    private Tensor NextHidden(Tensor x, Tensor h, Tensor c) =>
        Sigmoid(x.Dot(OutGateInput) + OutGateBias + h.Dot(OutGateHidden)) * Tanh(c);
}
