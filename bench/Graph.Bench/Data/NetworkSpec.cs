namespace Graph.Bench.Data;

/// <summary>The hidden layer's activation.</summary>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>tanh(x).</summary>
    Tanh,
}

/// <summary>The loss a network trains on; both are averaged over the batch.</summary>
public enum LossKind
{
    /// <summary>Half the squared error, Σ(prediction − target)²/2 per sample (Graph's <c>L2Loss</c>).</summary>
    HalfSquaredError,

    /// <summary>Softmax cross-entropy over one-hot targets (Graph's <c>SoftmaxCrossEntropy</c>).</summary>
    SoftmaxCrossEntropy,
}

/// <summary>
/// One benchmarked network: a two-layer perceptron without biases (the book's), <c>inputs → hidden → outputs</c>,
/// with its activation, optional dropout (rate 0.5, kept units scaled by 2) on the hidden layer, its loss, the batch
/// a step trains on and the learning rate of the SGD step (on the loss averaged over the batch).
/// </summary>
public sealed record NetworkSpec(
    string Id,
    string Description,
    int Inputs,
    int Hidden,
    int Outputs,
    Activation Activation,
    bool Dropout,
    LossKind Loss,
    int Batch,
    float LearningRate,
    int Seed,
    double TargetMicroseconds,
    double TargetSpeedupOverTorch)
{
    /// <summary>N1: the streetlights network, 3-4-1 relu, one record per step, alpha 0.2.</summary>
    public static NetworkSpec N1 { get; } = new("N1", "streetlights 3-4-1 relu, batch 1", 3, 4, 1,
        Activation.Relu, false, LossKind.HalfSquaredError, 1, 0.2f, 1, 0.5, 20);

    /// <summary>N2: chapter 8's MNIST network, 784-40-10 relu, batch 1, alpha 0.005.</summary>
    public static NetworkSpec N2 { get; } = new("N2", "MNIST 784-40-10 relu, batch 1", 784, 40, 10,
        Activation.Relu, false, LossKind.HalfSquaredError, 1, 0.005f, 1, 4, 20);

    /// <summary>
    /// N3: chapter 8's dropout network on batches of 100; the book's alpha 0.001 applied once per sample of the batch
    /// is one step of 0.1 on the batch's mean loss (as samples/Chapters does).
    /// </summary>
    public static NetworkSpec N3 { get; } = new("N3", "MNIST 784-100-10 relu + dropout, batch 100", 784, 100, 10,
        Activation.Relu, true, LossKind.HalfSquaredError, 100, 0.1f, 1, 380, 2);

    /// <summary>N4: chapter 9's network on batches of 100; the book's alpha 2 over the batch of 100 is 0.02 on the mean loss.</summary>
    public static NetworkSpec N4 { get; } = new("N4", "MNIST 784-100-10 tanh + dropout + softmax CE, batch 100", 784, 100, 10,
        Activation.Tanh, true, LossKind.SoftmaxCrossEntropy, 100, 0.02f, 1, 380, 2);

    /// <summary>The four networks in order.</summary>
    public static IReadOnlyList<NetworkSpec> All { get; } = [N1, N2, N3, N4];
}
