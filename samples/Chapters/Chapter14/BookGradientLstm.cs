using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter14;

/// <summary>
/// <see cref="ShakespeareLstm{T}"/> trained on the gradient that the book's framework computes (<c>ch14 lstm
/// --book-gradient</c>): the same cell, the same forward values, a loss whose true gradient is the book's.
/// </summary>
/// <remarks>
/// <para>The book's <c>Tensor.backward</c> passes a gradient on from a node only when every consumer has sent one, or
/// at once when the sender gave no <c>grad_origin</c>; <c>mm</c>, <c>sigmoid</c>, <c>tanh</c> and <c>cross_entropy</c>
/// give none, <c>add</c> and <c>mul</c> do, and a node that has already passed on the gradient of an origin returns at
/// the next. Walking the book's graph from <c>losses[-1]</c> (the last step's loss is the first creator of each sum)
/// gives, step by step:</para>
/// <list type="bullet">
/// <item>the last step's loss reaches h of the last step; the other steps' losses reach only the output layer, because
/// their h has already passed its gradient on when they arrive;</item>
/// <item>h of the step before receives first from the output gate's <c>ho</c> product (the first creator of
/// <c>h = o * c.tanh()</c> is <c>o</c>, whose sum's second term is <c>ho.forward(prev_hidden)</c>), passes that on and
/// drops what the forget, input and candidate products send later;</item>
/// <item>the cell state of the step before has already passed its gradient on (through h's tanh) when <c>f * prev_cell</c>
/// sends one, so the path along the cells is dropped;</item>
/// <item><c>cross_entropy</c> sends <c>softmax - target</c> for every sample undivided: the gradient of the batch sum.</item>
/// </list>
/// <para>So here the forget, input and candidate gates read <c>StopGradient(h)</c>, the forget gate multiplies
/// <c>StopGradient(c)</c>, the output layer reads <c>StopGradient(h)</c> at every step but the last, and the loss is
/// summed over the batch. <c>Oracles/ch14_book_framework.py</c> runs the book's framework on a small LSTM; the
/// gradients agree to rounding (Chapter14BookFrameworkTests).</para>
/// </remarks>
[Model, Size("Vocab", 62), Size("Hidden", 512)]
public partial class BookGradientLstm<T>
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
    /// The cross-entropy of each step's prediction of the next character, summed over the steps and the batch, with
    /// the book's gradient: only the output layer learns from the steps before the last.
    /// </summary>
    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(Steps)] Tensor chars, [Indices(Steps)] Tensor targets, [Shape(1, "Hidden")] Tensor h0, [Shape(1, "Hidden")] Tensor c0)
    {
        Tensor h = h0;
        Tensor c = c0;
        Tensor loss = 0;
        for (int t = 0; t < Steps - 1; t++)
        {
            Tensor x = EmbeddingSum(Embed, chars[t]);
            Tensor next = NextCell(x, h, c);
            h = NextHidden(x, h, next);
            c = next;
            loss += SoftmaxCrossEntropy(StopGradient(h[0]).Dot(Output), targets[t]);
        }

        Tensor last = EmbeddingSum(Embed, chars[Steps - 1]);
        Tensor lastCell = NextCell(last, h, c);
        Tensor lastHidden = NextHidden(last, h, lastCell);

        // The state the batch ends in, [2, Hidden] as FinalState gives it: the training step hands it to the next batch.
        var state = Prediction(Concat(lastHidden, lastCell));
        return loss + SoftmaxCrossEntropy(lastHidden[0].Dot(Output), targets[Steps - 1]);
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

    /// <summary>
    /// The new cell state <c>f·c + i·g</c>; the forget, input and candidate gates pass no gradient to h, and
    /// <c>f·c</c> none to the previous cell state.
    /// </summary>
    private Tensor NextCell(Tensor x, Tensor h, Tensor c)
    {
        Tensor held = StopGradient(h);
        Tensor f = Sigmoid(x.Dot(ForgetInput) + ForgetBias + held.Dot(ForgetHidden));
        Tensor i = Sigmoid(x.Dot(InGateInput) + InGateBias + held.Dot(InGateHidden));
        Tensor g = Tanh(x.Dot(CandidateInput) + CandidateBias + held.Dot(CandidateHidden));
        return f * StopGradient(c) + i * g;
    }

    /// <summary>The new hidden state <c>o·tanh(c)</c>; the output gate is the one path from h back to the step before.</summary>
    private Tensor NextHidden(Tensor x, Tensor h, Tensor c) =>
        Sigmoid(x.Dot(OutGateInput) + OutGateBias + h.Dot(OutGateHidden)) * Tanh(c);
}
