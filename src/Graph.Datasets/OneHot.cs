using System.Numerics;

namespace Graph.Datasets;

/// <summary>One-hot encoding of class labels.</summary>
public static class OneHot
{
    /// <summary>
    /// Encodes each label as a row of <paramref name="classCount"/> values that are all zero but for a one at the
    /// label's index. The rows are stored one after another (row-major, <c>labels.Length × classCount</c>).
    /// </summary>
    /// <typeparam name="T">The element type, for example <see cref="float"/> or <see cref="double"/>.</typeparam>
    /// <param name="labels">The class of each sample, each less than <paramref name="classCount"/>.</param>
    /// <param name="classCount">The number of classes, 10 for digits.</param>
    /// <exception cref="ArgumentOutOfRangeException">A label is not less than <paramref name="classCount"/>.</exception>
    public static T[] Encode<T>(ReadOnlySpan<byte> labels, int classCount)
        where T : INumberBase<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        var encoded = new T[labels.Length * classCount];
        Array.Fill(encoded, T.Zero);
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classCount)
            {
                throw new ArgumentOutOfRangeException(nameof(labels),
                    $"Label {labels[i]} at index {i} is not less than the class count {classCount}.");
            }

            encoded[(i * classCount) + labels[i]] = T.One;
        }

        return encoded;
    }
}
