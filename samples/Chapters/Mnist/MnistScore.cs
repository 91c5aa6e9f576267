using System.Numerics;

namespace Graph.Samples.Mnist;

/// <summary>The book's two numbers for a pass over a set: the summed squared error per image and the accuracy.</summary>
public sealed class MnistScore<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private const int Classes = 10;

    private double error;
    private int correct;
    private int count;

    public double Error => error / count;

    public double Accuracy => (double)correct / count;

    /// <summary>How many images were classified correctly.</summary>
    public int Correct => correct;

    /// <summary>Adds a batch of outputs (rows of 10) against one-hot labels and their classes.</summary>
    public void Add(ReadOnlySpan<T> outputs, ReadOnlySpan<T> labels, ReadOnlySpan<byte> classes)
    {
        for (int s = 0; s < classes.Length; s++)
        {
            var output = outputs.Slice(s * Classes, Classes);
            var label = labels.Slice(s * Classes, Classes);
            int best = 0;
            for (int c = 0; c < Classes; c++)
            {
                double difference = double.CreateChecked(label[c] - output[c]);
                error += difference * difference;
                if (output[c] > output[best])
                {
                    best = c;
                }
            }

            correct += best == classes[s] ? 1 : 0;
            count++;
        }
    }

    /// <summary>Scores a network on every image of a set, predicting in batches.</summary>
    public static MnistScore<T> Of(IMnistNetwork<T> network, ReadOnlySpan<T> images, ReadOnlySpan<T> labels, ReadOnlySpan<byte> classes)
    {
        const int batch = 500;
        int imageSize = images.Length / classes.Length;
        var score = new MnistScore<T>();
        var outputs = new T[batch * Classes];
        for (int start = 0; start < classes.Length; start += batch)
        {
            int n = Math.Min(batch, classes.Length - start);
            network.Predict(images.Slice(start * imageSize, n * imageSize), outputs.AsSpan(0, n * Classes), n);
            score.Add(outputs.AsSpan(0, n * Classes), labels.Slice(start * Classes, n * Classes), classes.Slice(start, n));
        }

        return score;
    }
}
