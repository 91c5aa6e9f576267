using System.Numerics;

namespace Graph.Datasets;

/// <summary>
/// Labelled MNIST digits: 28×28 greyscale images as bytes (0 is background, 255 full ink) and their digit labels.
/// </summary>
public sealed class MnistData
{
    /// <summary>Creates the set from pixels and labels.</summary>
    /// <param name="pixels">The images, <c>labels.Length × 784</c> bytes, each image row-major.</param>
    /// <param name="labels">The digit (0 to 9) of each image.</param>
    public MnistData(byte[] pixels, byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        if (pixels.Length != labels.Length * Mnist.ImageSize)
        {
            throw new ArgumentException(
                $"{pixels.Length} pixels are not {labels.Length} images of {Mnist.ImageSize} pixels.", nameof(pixels));
        }

        Pixels = pixels;
        Labels = labels;
    }

    /// <summary>The number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>The pixels, <see cref="Count"/> × 784 bytes: image after image, each row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>The digit shown by each image, 0 to 9.</summary>
    public byte[] Labels { get; }

    /// <summary>
    /// The images scaled to [0, 1] as the book does (<c>x / 255</c>): a row-major <see cref="Count"/> × 784 array.
    /// Each value is the correctly rounded quotient <c>pixel / 255</c> in <typeparamref name="T"/>.
    /// </summary>
    /// <typeparam name="T"><see cref="float"/> or <see cref="double"/> (any IEEE floating-point type).</typeparam>
    public T[] Images<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> scaled = stackalloc T[byte.MaxValue + 1];
        T maximum = T.CreateChecked(byte.MaxValue);
        for (int value = 0; value < scaled.Length; value++)
        {
            scaled[value] = T.CreateChecked(value) / maximum;
        }

        var images = new T[Pixels.Length];
        for (int i = 0; i < images.Length; i++)
        {
            images[i] = scaled[Pixels[i]];
        }

        return images;
    }

    /// <summary>The labels one-hot encoded: a row-major <see cref="Count"/> × 10 array.</summary>
    /// <typeparam name="T">The element type, for example <see cref="float"/> or <see cref="double"/>.</typeparam>
    public T[] OneHotLabels<T>()
        where T : INumberBase<T> =>
        OneHot.Encode<T>(Labels, Mnist.ClassCount);
}
