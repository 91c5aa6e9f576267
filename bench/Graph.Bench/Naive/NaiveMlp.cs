using Graph.Bench.Data;
using Graph.Runtime;

namespace Graph.Bench.Naive;

/// <summary>
/// The baseline: the network written by hand with plain C# loops over float arrays, as someone porting the book's
/// numpy code would: forward, the hand-derived deltas, and the book's in-place update
/// (<c>w -= alpha * x.T.dot(delta)</c>, each weight matrix updated once its delta is known). Loops run in row-major
/// order (the innermost loop walks a contiguous row) but use no SIMD, no unsafe code and no blocking. The dropout
/// mask is drawn like Graph's (numpy's <c>randint(2)</c> from the generator passed in), so with the same generator
/// state the two compute the same step.
/// </summary>
public sealed class NaiveMlp
{
    private readonly NetworkSpec spec;
    private readonly NumpyRandom random;
    private readonly float[] z1;
    private readonly float[] activated;
    private readonly float[] hidden;
    private readonly float[] mask;
    private readonly float[] output;
    private readonly float[] delta2;
    private readonly float[] delta1;

    /// <summary>Creates the network with copies of the given weights (row-major [inputs, hidden] and [hidden, outputs]).</summary>
    public NaiveMlp(NetworkSpec spec, ReadOnlySpan<float> weights01, ReadOnlySpan<float> weights12, NumpyRandom random)
    {
        this.spec = spec;
        this.random = random;
        Weights01 = weights01.ToArray();
        Weights12 = weights12.ToArray();
        int b = spec.Batch;
        z1 = new float[b * spec.Hidden];
        activated = new float[b * spec.Hidden];
        hidden = new float[b * spec.Hidden];
        mask = new float[b * spec.Hidden];
        output = new float[b * spec.Outputs];
        delta2 = new float[b * spec.Outputs];
        delta1 = new float[b * spec.Hidden];
    }

    /// <summary>[inputs, hidden], row-major.</summary>
    public float[] Weights01 { get; }

    /// <summary>[hidden, outputs], row-major.</summary>
    public float[] Weights12 { get; }

    /// <summary>One SGD step on <c>spec.Batch</c> records; returns the batch's mean loss before the step.</summary>
    public float TrainStep(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int batch = spec.Batch, inputs = spec.Inputs, hiddenSize = spec.Hidden, outputs = spec.Outputs;
        float[] w01 = Weights01, w12 = Weights12;

        // layer_1 = act(x · w01), then dropout.
        Array.Clear(z1);
        for (int s = 0; s < batch; s++)
        {
            for (int p = 0; p < inputs; p++)
            {
                float xp = x[(s * inputs) + p];
                for (int j = 0; j < hiddenSize; j++)
                {
                    z1[(s * hiddenSize) + j] += xp * w01[(p * hiddenSize) + j];
                }
            }
        }

        for (int i = 0; i < batch * hiddenSize; i++)
        {
            activated[i] = spec.Activation == Activation.Relu ? MathF.Max(z1[i], 0) : MathF.Tanh(z1[i]);
        }

        for (int i = 0; i < batch * hiddenSize; i++)
        {
            mask[i] = spec.Dropout ? (random.RandInt(2) == 1 ? 2f : 0f) : 1f;
            hidden[i] = activated[i] * mask[i];
        }

        // layer_2 = layer_1 · w12.
        Array.Clear(output);
        for (int s = 0; s < batch; s++)
        {
            for (int j = 0; j < hiddenSize; j++)
            {
                float h = hidden[(s * hiddenSize) + j];
                for (int o = 0; o < outputs; o++)
                {
                    output[(s * outputs) + o] += h * w12[(j * outputs) + o];
                }
            }
        }

        // The loss and layer_2_delta = dLoss/dlayer_2 (the mean over the batch: every delta / batch).
        float loss = 0;
        float perSample = 1f / batch;
        for (int s = 0; s < batch; s++)
        {
            int row = s * outputs;
            if (spec.Loss == LossKind.HalfSquaredError)
            {
                for (int o = 0; o < outputs; o++)
                {
                    float d = output[row + o] - y[row + o];
                    loss += 0.5f * d * d;
                    delta2[row + o] = d * perSample;
                }
            }
            else
            {
                float max = output[row];
                for (int o = 1; o < outputs; o++)
                {
                    max = MathF.Max(max, output[row + o]);
                }

                float sum = 0;
                for (int o = 0; o < outputs; o++)
                {
                    delta2[row + o] = MathF.Exp(output[row + o] - max);
                    sum += delta2[row + o];
                }

                float logSum = MathF.Log(sum) + max;
                for (int o = 0; o < outputs; o++)
                {
                    loss -= y[row + o] * (output[row + o] - logSum);
                    delta2[row + o] = ((delta2[row + o] / sum) - y[row + o]) * perSample;
                }
            }
        }

        // layer_1_delta = layer_2_delta · w12ᵀ · act'(layer_1) · mask, with the weights before the update.
        for (int s = 0; s < batch; s++)
        {
            for (int j = 0; j < hiddenSize; j++)
            {
                float sum = 0;
                for (int o = 0; o < outputs; o++)
                {
                    sum += delta2[(s * outputs) + o] * w12[(j * outputs) + o];
                }

                int i = (s * hiddenSize) + j;
                float derivative = spec.Activation == Activation.Relu
                    ? (z1[i] > 0 ? 1f : 0f)
                    : 1f - (activated[i] * activated[i]);
                delta1[i] = sum * derivative * mask[i];
            }
        }

        // w12 -= alpha · layer_1ᵀ · layer_2_delta; w01 -= alpha · xᵀ · layer_1_delta.
        float alpha = spec.LearningRate;
        for (int s = 0; s < batch; s++)
        {
            for (int j = 0; j < hiddenSize; j++)
            {
                float h = alpha * hidden[(s * hiddenSize) + j];
                for (int o = 0; o < outputs; o++)
                {
                    w12[(j * outputs) + o] -= h * delta2[(s * outputs) + o];
                }
            }

            for (int p = 0; p < inputs; p++)
            {
                float xp = alpha * x[(s * inputs) + p];
                for (int j = 0; j < hiddenSize; j++)
                {
                    w01[(p * hiddenSize) + j] -= xp * delta1[(s * hiddenSize) + j];
                }
            }
        }

        return loss * perSample;
    }
}
