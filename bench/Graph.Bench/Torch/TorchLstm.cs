using Graph.Bench.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graph.Bench.Torch;

using Tensor = TorchSharp.torch.Tensor;

/// <summary>
/// Chapter 14's character LSTM in TorchSharp as a .NET user writes it: <c>nn.Embedding(vocab, hidden)</c>,
/// <c>nn.LSTM(hidden, hidden)</c> over the whole sequence, <c>nn.Linear(hidden, vocab)</c> without bias, the
/// cross-entropy summed over the steps and averaged over the batch, autograd and <c>optim.SGD</c>, a dispose scope per step.
/// </summary>
public sealed class TorchCharacterLstm : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Embedding embed;
    private readonly LSTM lstm;
    private readonly Linear output;

    public TorchCharacterLstm(int vocab, int hidden)
        : base("ch14")
    {
        embed = nn.Embedding(vocab, hidden);
        lstm = nn.LSTM(hidden, hidden);
        output = nn.Linear(hidden, vocab, hasBias: false);
        RegisterComponents();
    }

    /// <summary>The logits <c>[steps, batch, vocab]</c> of characters <c>[steps, batch]</c> from the state h0, c0 (<c>[1, batch, hidden]</c> each).</summary>
    public override Tensor forward(Tensor chars, Tensor h0, Tensor c0)
    {
        var (states, _, _) = lstm.call(embed.call(chars), (h0, c0));
        return output.call(states);
    }

    /// <summary>
    /// Sets the weights from the Graph model's (<c>x·W</c> layout, gates forget, input, output, candidate): nn.LSTM's
    /// <c>weight_ih_l0</c> and <c>weight_hh_l0</c> are <c>[4·hidden, in]</c> in gate order input, forget, candidate,
    /// output, each block the transpose of Graph's matrix; the gate biases go to <c>bias_ih_l0</c> and
    /// <c>bias_hh_l0</c> is zero (nn.LSTM adds both).
    /// </summary>
    public void Load(LstmWeights w)
    {
        ArgumentNullException.ThrowIfNull(w);
        int hidden = (int)Weight("weight_hh_l0").shape[1];
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Tensor Matrix(float[] values, int rows, int columns) => tensor(values, [rows, columns]);
        Tensor Gates(float[][] blocks) => cat(blocks.Select(b => Matrix(b, hidden, hidden).t()).ToArray(), 0);
        embed.weight!.copy_(Matrix(w.Embed, w.Embed.Length / hidden, hidden));
        Weight("weight_ih_l0").copy_(Gates([w.InGateInput, w.ForgetInput, w.CandidateInput, w.OutGateInput]));
        Weight("weight_hh_l0").copy_(Gates([w.InGateHidden, w.ForgetHidden, w.CandidateHidden, w.OutGateHidden]));
        Weight("bias_ih_l0").copy_(tensor([.. w.InGateBias, .. w.ForgetBias, .. w.CandidateBias, .. w.OutGateBias]));
        Weight("bias_hh_l0").zero_();
        output.weight!.copy_(Matrix(w.Output, hidden, w.Output.Length / hidden).t());
    }

    /// <summary>The output layer's weights in Graph's <c>[hidden, vocab]</c> layout.</summary>
    public float[] OutputWeights() => output.weight!.t().contiguous().data<float>().ToArray();

    /// <summary>The forget gate's recurrent weights in Graph's <c>[hidden, hidden]</c> layout (rows hidden..2·hidden of weight_hh_l0, transposed).</summary>
    public float[] ForgetHiddenWeights()
    {
        Tensor weights = Weight("weight_hh_l0");
        int hidden = (int)weights.shape[1];
        using var block = weights.narrow(0, hidden, hidden).t().contiguous();
        return block.data<float>().ToArray();
    }

    /// <summary>nn.LSTM's parameter of that name (layer 0).</summary>
    private Parameter Weight(string name) =>
        lstm.get_parameter(name) ?? throw new InvalidOperationException($"nn.LSTM has no parameter {name}");
}

/// <summary>The Graph model's weights, row-major in its <c>x·W</c> layout, by its parameter names.</summary>
public sealed record LstmWeights(float[] Embed, float[] ForgetInput, float[] ForgetBias, float[] InGateInput, float[] InGateBias,
    float[] OutGateInput, float[] OutGateBias, float[] CandidateInput, float[] CandidateBias, float[] ForgetHidden, float[] InGateHidden,
    float[] OutGateHidden, float[] CandidateHidden, float[] Output)
{
    /// <summary>A copy of the weights of a model with the character LSTM's parameter names.</summary>
    public static LstmWeights From(Graph.Runtime.ParameterSet<float> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        float[] Get(string name) => [.. parameters[name].Value];
        return new(Get("Embed"), Get("ForgetInput"), Get("ForgetBias"), Get("InGateInput"), Get("InGateBias"), Get("OutGateInput"),
            Get("OutGateBias"), Get("CandidateInput"), Get("CandidateBias"), Get("ForgetHidden"), Get("InGateHidden"), Get("OutGateHidden"),
            Get("CandidateHidden"), Get("Output"));
    }
}

/// <summary>A TorchSharp training loop of <see cref="TorchCharacterLstm"/> over fixed batches: one call to <see cref="Step"/> is one SGD step.</summary>
public sealed class TorchLstmTrainer : IDisposable
{
    private readonly TorchCharacterLstm model;
    private readonly optim.Optimizer optimizer;
    private readonly Tensor[] chars;
    private readonly Tensor[] targets;
    private readonly Tensor h0;
    private readonly Tensor c0;
    private readonly int batch;
    private int next;

    /// <summary>A model with <paramref name="weights"/> training on the batches of <paramref name="data"/> in turn, each from its h0 and c0, at the book's learning rate.</summary>
    public TorchLstmTrainer(LstmWeights weights, LstmData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        batch = data.Batch;
        int hidden = LstmData.Hidden, steps = LstmData.Steps;
        model = new TorchCharacterLstm(LstmData.Vocab, hidden);
        model.Load(weights);
        model.train();
        optimizer = optim.SGD(model.parameters(), LstmData.LearningRate);
        Tensor StepMajor(int[] sampleMajor)
        {
            using var bySample = tensor(sampleMajor.Select(i => (long)i).ToArray(), [batch, steps]);
            return bySample.t().contiguous();
        }

        chars = data.Chars.Select(StepMajor).ToArray();
        targets = data.Targets.Select(StepMajor).ToArray();
        h0 = tensor(data.H0, [1, batch, hidden]);
        c0 = tensor(data.C0, [1, batch, hidden]);
    }

    /// <summary>The model, for reading its weights after a step.</summary>
    public TorchCharacterLstm Model => model;

    /// <summary>One training step on the next batch; returns the loss before the step.</summary>
    public float Step()
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        Tensor logits = model.call(chars[next], h0, c0);
        Tensor loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[2]), targets[next].view(-1), reduction: nn.Reduction.Sum) / batch;
        loss.backward();
        optimizer.step();
        next = next + 1 == chars.Length ? 0 : next + 1;
        return loss.item<float>();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var t in chars.Concat(targets).Append(h0).Append(c0))
        {
            t.Dispose();
        }

        optimizer.Dispose();
        model.Dispose();
    }
}
