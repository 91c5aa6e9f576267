using System.Numerics;
using Graph;
using static Graph.Ops;

namespace Graph.Samples.Chapter14;

/// <summary>
/// E14.2, the book's character RNN: <c>Embedding(62, 512)</c> feeding <c>RNNCell(512, 512, 62)</c> with a sigmoid. Each
/// step is the cell's <c>forward</c>, <c>h = sigmoid(w_ih(x) + w_hh(h))</c>, every <c>Linear</c> with its bias, and
/// <c>w_ho(h)</c> gives the logits of the next character.
/// </summary>
/// <remarks>
/// The book's loss is the last step's alone: its <c>for loss in losses: ""</c> rebinds <c>loss</c> to the last
/// step's cross-entropy, which <c>backward</c> then differentiates through all <see cref="Steps"/> steps, exactly (the
/// cell's autograd graph reaches each node once). <c>cross_entropy</c> sends <c>softmax - target</c> for every sample
/// undivided, so the step follows the batch sum. As in <see cref="ShakespeareLstm"/>, the state a batch starts from is
/// an input and <see cref="FinalState"/> the state it ends in. Every parameter starts at zero here; the training
/// code fills them with the book's draws (<see cref="BookInitialisation"/>).
/// </remarks>
[Model, Size("Vocab", 62), Size("Hidden", 512)]
public partial class ShakespeareRnn<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The characters per batch, the book's <c>bptt = 16</c>.</summary>
    public const int Steps = 16;

    /// <summary>The embedding, <c>(rand - 0.5) / dim</c> in the book.</summary>
    [Param("Vocab", "Hidden"), InitZeros] public partial Tensor Embed { get; }

    /// <summary>The input's weights (<c>w_ih</c>).</summary>
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor InputWeight { get; }

    /// <summary>The input's bias (<c>w_ih.bias</c>).</summary>
    [Param("Hidden"), InitZeros] public partial Tensor InputBias { get; }

    /// <summary>The recurrent weights (<c>w_hh</c>).</summary>
    [Param("Hidden", "Hidden"), InitZeros] public partial Tensor HiddenWeight { get; }

    /// <summary>The recurrent bias (<c>w_hh.bias</c>).</summary>
    [Param("Hidden"), InitZeros] public partial Tensor HiddenBias { get; }

    /// <summary>The output layer (<c>w_ho</c>).</summary>
    [Param("Hidden", "Vocab"), InitZeros] public partial Tensor OutputWeight { get; }

    /// <summary>The output layer's bias (<c>w_ho.bias</c>).</summary>
    [Param("Vocab"), InitZeros] public partial Tensor OutputBias { get; }

    /// <summary>The cross-entropy of the last step's prediction, summed over the batch: the book's loss and gradient.</summary>
    [Loss(Reduction = Reduction.Sum)]
    public Tensor Loss([Indices(Steps)] Tensor chars, [Indices(Steps)] Tensor targets, [Shape("Hidden")] Tensor h0)
    {
        // The hidden state the batch ends in, as FinalState gives it: the training step hands it to the next batch.
        var last = Prediction(Run(chars, h0));
        return SoftmaxCrossEntropy(Logits(last), targets[Steps - 1]);
    }

    /// <summary>The hidden state after the <see cref="Steps"/> characters.</summary>
    [Forward]
    public Tensor FinalState([Indices(Steps)] Tensor chars, [Shape("Hidden")] Tensor h0) => Run(chars, h0);

    /// <summary>One step of text generation: the hidden state after one character.</summary>
    [Forward]
    public Tensor StepState([Indices(1)] Tensor chars, [Shape("Hidden")] Tensor h0) => Next(EmbeddingSum(Embed, chars[0]), h0);

    /// <summary>The logits of the character after a hidden state.</summary>
    [Forward]
    public Tensor StepLogits([Shape("Hidden")] Tensor h) => Logits(h);

    /// <summary>The hidden state after each of the characters in turn.</summary>
    private Tensor Run(Tensor chars, Tensor h0)
    {
        Tensor h = h0;
        for (int t = 0; t < Steps; t++)
        {
            h = Next(EmbeddingSum(Embed, chars[t]), h);
        }

        return h;
    }

    /// <summary>The cell's <c>sigmoid(w_ih.forward(x) + w_hh.forward(h))</c>, summed in the book's order.</summary>
    private Tensor Next(Tensor x, Tensor h) => Sigmoid(x.Dot(InputWeight) + InputBias + (h.Dot(HiddenWeight) + HiddenBias));

    /// <summary><c>w_ho.forward(h)</c>.</summary>
    private Tensor Logits(Tensor h) => h.Dot(OutputWeight) + OutputBias;
}
