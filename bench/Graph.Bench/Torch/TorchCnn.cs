using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Graph.Bench.Torch;

using Tensor = TorchSharp.torch.Tensor;

/// <summary>
/// Chapter 10's CNN in TorchSharp as a .NET user writes it: <c>nn.Conv2d(1, 16, 3)</c> without bias over 27 × 27
/// images, Tanh, Dropout(0.5), flatten, <c>nn.Linear(10000, 10)</c> without bias, <c>nn.CrossEntropyLoss</c>,
/// autograd and <c>optim.SGD</c>, a dispose scope per step.
/// </summary>
public sealed class TorchCnn : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d convolution = nn.Conv2d(1, 16, 3, bias: false);
    private readonly Tanh tanh = nn.Tanh();
    private readonly Dropout dropout = nn.Dropout(0.5);
    private readonly Linear output = nn.Linear(10000, 10, hasBias: false);

    public TorchCnn()
        : base("ch10")
    {
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) =>
        output.call(dropout.call(tanh.call(convolution.call(input))).flatten(1));
}

/// <summary>A TorchSharp training loop over batches of 27 × 27 images: one call to <see cref="Step"/> is one SGD step.</summary>
public sealed class TorchCnnTrainer : IDisposable
{
    private readonly TorchCnn model = new();
    private readonly optim.Optimizer optimizer;
    private readonly nn.Module<Tensor, Tensor, Tensor> crossEntropy = nn.CrossEntropyLoss();
    private readonly Tensor[] inputs;
    private readonly Tensor[] targets;
    private int next;

    /// <summary>One input and one class tensor per batch of <paramref name="batch"/> images.</summary>
    public TorchCnnTrainer(float[] images, long[] classes, int batch, double learningRate)
    {
        model.train();
        optimizer = optim.SGD(model.parameters(), learningRate);
        int steps = classes.Length / batch;
        inputs = new Tensor[steps];
        targets = new Tensor[steps];
        for (int i = 0; i < steps; i++)
        {
            inputs[i] = tensor(images.AsSpan(i * batch * 729, batch * 729).ToArray(), [batch, 1, 27, 27]);
            targets[i] = tensor(classes.AsSpan(i * batch, batch).ToArray(), [batch]);
        }
    }

    /// <summary>The number of batches.</summary>
    public int Batches => inputs.Length;

    /// <summary>One training step on the next batch.</summary>
    public void Step()
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        Tensor loss = crossEntropy.call(model.call(inputs[next]), targets[next]);
        loss.backward();
        optimizer.step();
        next = next + 1 == inputs.Length ? 0 : next + 1;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var t in inputs.Concat(targets))
        {
            t.Dispose();
        }

        optimizer.Dispose();
        crossEntropy.Dispose();
        model.Dispose();
    }
}
