using System.Numerics;

namespace Graph.Runtime;

/// <summary>Max pooling over the non-overlapping windows of images stored <c>[h, w, c]</c> per sample, and its adjoint.</summary>
public static partial class Kernels
{
    /// <summary>
    /// The largest element of each <paramref name="windowHeight"/> × <paramref name="windowWidth"/> window of each of
    /// <paramref name="count"/> images, per channel; a window holding NaN pools to NaN.
    /// </summary>
    public static void MaxPool2d<T>(ReadOnlySpan<T> image, Span<T> pooled, int count, int height, int width, int channels, int windowHeight, int windowWidth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = WindowGeometry.Pooling(count, height, width, channels, windowHeight, windowWidth);
        CheckLength(image.Length, count, g.ImageSize, nameof(image));
        CheckLength(pooled.Length, count, g.PooledSize, nameof(pooled));
        for (int s = 0; s < count; s++)
        {
            var input = image.Slice(s * g.ImageSize, g.ImageSize);
            var output = pooled.Slice(s * g.PooledSize, g.PooledSize);
            for (int p = 0; p < g.PooledSize; p++)
            {
                output[p] = input[ArgMax(input, p, width, channels, windowHeight, windowWidth, g.PooledWidth)];
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="MaxPool2d{T}"/>: <paramref name="imageGradient"/> is zero except at the largest element
    /// of each window of <paramref name="image"/> (the first, on ties), which receives that window's element of
    /// <paramref name="pooledGradient"/>.
    /// </summary>
    public static void MaxUnpool2d<T>(ReadOnlySpan<T> image, ReadOnlySpan<T> pooledGradient, Span<T> imageGradient, int count, int height, int width, int channels, int windowHeight, int windowWidth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = WindowGeometry.Pooling(count, height, width, channels, windowHeight, windowWidth);
        CheckLength(image.Length, count, g.ImageSize, nameof(image));
        CheckLength(pooledGradient.Length, count, g.PooledSize, nameof(pooledGradient));
        CheckLength(imageGradient.Length, count, g.ImageSize, nameof(imageGradient));
        for (int s = 0; s < count; s++)
        {
            var input = image.Slice(s * g.ImageSize, g.ImageSize);
            var from = pooledGradient.Slice(s * g.PooledSize, g.PooledSize);
            var into = imageGradient.Slice(s * g.ImageSize, g.ImageSize);
            into.Clear();
            for (int p = 0; p < g.PooledSize; p++)
            {
                into[ArgMax(input, p, width, channels, windowHeight, windowWidth, g.PooledWidth)] = from[p];
            }
        }
    }

    /// <summary>
    /// The position in one image of the largest element of the window that pooled element <paramref name="pooled"/>
    /// covers: the first in row-major order on ties, the first NaN where there is one.
    /// </summary>
    private static int ArgMax<T>(ReadOnlySpan<T> image, int pooled, int width, int channels, int windowHeight, int windowWidth, int pooledWidth)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int channel = pooled % channels;
        int window = pooled / channels;
        int top = window / pooledWidth * windowHeight;
        int left = window % pooledWidth * windowWidth;
        int best = (((top * width) + left) * channels) + channel;
        for (int y = top; y < top + windowHeight; y++)
        {
            for (int x = left; x < left + windowWidth; x++)
            {
                int at = (((y * width) + x) * channels) + channel;
                if (!T.IsNaN(image[best]) && (T.IsNaN(image[at]) || image[at] > image[best]))
                {
                    best = at;
                }
            }
        }

        return best;
    }
}
