using Graph.Bench.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graph.Bench.Torch;

using Tensor = TorchSharp.torch.Tensor;

/// <summary>
/// The network in TorchSharp as a .NET user writes it: <c>torch.nn</c> modules (Linear without bias, ReLU or Tanh,
/// Dropout(0.5)), autograd, <c>torch.optim.SGD</c>, a dispose scope per step.
/// </summary>
public sealed class TorchMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear layer1;
    private readonly nn.Module<Tensor, Tensor> activation;
    private readonly Dropout? dropout;
    private readonly Linear layer2;

    /// <summary>Creates the modules; the weights start as TorchSharp's defaults until <see cref="CopyWeights"/>.</summary>
    public TorchMlp(NetworkSpec spec)
        : base(spec.Id)
    {
        layer1 = nn.Linear(spec.Inputs, spec.Hidden, hasBias: false);
        activation = spec.Activation == Activation.Relu ? nn.ReLU() : nn.Tanh();
        dropout = spec.Dropout ? nn.Dropout(0.5) : null;
        layer2 = nn.Linear(spec.Hidden, spec.Outputs, hasBias: false);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        Tensor hidden = activation.call(layer1.call(input));
        if (dropout is not null)
        {
            hidden = dropout.call(hidden);
        }

        return layer2.call(hidden);
    }

    /// <summary>The forward pass with a given dropout mask (0 or 2 per hidden unit) in place of <c>nn.Dropout</c>: for the check.</summary>
    public Tensor ForwardWithMask(Tensor input, Tensor? mask)
    {
        Tensor hidden = activation.call(layer1.call(input));
        if (mask is not null)
        {
            hidden = hidden.mul(mask);
        }

        return layer2.call(hidden);
    }

    /// <summary>Sets the weights from Graph's row-major [inputs, hidden] and [hidden, outputs] (Linear stores Wᵀ).</summary>
    public void CopyWeights(float[] weights01, float[] weights12)
    {
        using var noGrad = no_grad();
        using var w1 = tensor(weights01, [layer1.in_features, layer1.out_features]);
        using var w2 = tensor(weights12, [layer2.in_features, layer2.out_features]);
        using var w1t = w1.t();
        using var w2t = w2.t();
        layer1.weight!.copy_(w1t);
        layer2.weight!.copy_(w2t);
    }

    /// <summary>The weights back in Graph's layout: [inputs, hidden] and [hidden, outputs], row-major.</summary>
    public (float[] Weights01, float[] Weights12) ReadWeights()
    {
        using var noGrad = no_grad();
        using var w1 = layer1.weight!.t().contiguous();
        using var w2 = layer2.weight!.t().contiguous();
        return (w1.data<float>().ToArray(), w2.data<float>().ToArray());
    }

    /// <summary>The trainable parameters, for the optimizer.</summary>
    public IEnumerable<Parameter> Trainable() => parameters();
}

/// <summary>A TorchSharp training loop over the bench's data: one call to <see cref="Step"/> is one SGD step.</summary>
public sealed class TorchTrainer : IDisposable
{
    private readonly NetworkSpec spec;
    private readonly TorchMlp model;
    private readonly optim.Optimizer optimizer;
    private readonly nn.Module<Tensor, Tensor, Tensor>? crossEntropy;
    private readonly Tensor[] inputs;
    private readonly Tensor[] targets;
    private int next;

    /// <summary>Builds the model with Graph's initial weights and one input/target tensor per step of <paramref name="data"/>.</summary>
    public TorchTrainer(NetworkSpec spec, BenchData data, float[] weights01, float[] weights12)
    {
        this.spec = spec;
        model = new TorchMlp(spec);
        model.CopyWeights(weights01, weights12);
        model.train();
        optimizer = optim.SGD(model.Trainable(), spec.LearningRate);
        crossEntropy = spec.Loss == LossKind.SoftmaxCrossEntropy ? nn.CrossEntropyLoss() : null;

        int steps = data.Records / spec.Batch;
        inputs = new Tensor[steps];
        targets = new Tensor[steps];
        for (int i = 0; i < steps; i++)
        {
            int first = i * spec.Batch;
            inputs[i] = tensor(data.InputBatch(first, spec.Batch).ToArray(), [spec.Batch, spec.Inputs]);
            targets[i] = crossEntropy is null
                ? tensor(data.TargetBatch(first, spec.Batch).ToArray(), [spec.Batch, spec.Outputs])
                : tensor(data.Classes.AsSpan(first, spec.Batch).ToArray(), [spec.Batch]);
        }
    }

    /// <summary>The model, for the check.</summary>
    public TorchMlp Model => model;

    /// <summary>One training step on the next batch, as a .NET user writes it.</summary>
    public void Step()
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        Tensor prediction = model.call(inputs[next]);
        Tensor loss = Loss(prediction, targets[next]);
        loss.backward();
        optimizer.step();
        next = next + 1 == inputs.Length ? 0 : next + 1;
    }

    /// <summary>One step on batch <paramref name="index"/> with a given dropout mask; returns the loss before the step.</summary>
    public float StepWithMask(int index, float[]? mask)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        Tensor? maskTensor = mask is null ? null : tensor(mask, [spec.Batch, spec.Hidden]);
        Tensor prediction = model.ForwardWithMask(inputs[index], maskTensor);
        Tensor loss = Loss(prediction, targets[index]);
        loss.backward();
        optimizer.step();
        return loss.item<float>();
    }

    private Tensor Loss(Tensor prediction, Tensor target) =>
        crossEntropy is not null
            ? crossEntropy.call(prediction, target)
            : nn.functional.mse_loss(prediction, target, nn.Reduction.Sum).mul(0.5 / spec.Batch);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var t in inputs.Concat(targets))
        {
            t.Dispose();
        }

        optimizer.Dispose();
        crossEntropy?.Dispose();
        model.Dispose();
    }
}
