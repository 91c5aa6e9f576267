namespace Graph.Datasets;

/// <summary>Greyscale images read from an IDX file: one byte per pixel, images one after another, each row-major.</summary>
public sealed class IdxImages
{
    /// <summary>Creates the set from its pixels.</summary>
    /// <param name="rows">The height of each image.</param>
    /// <param name="columns">The width of each image.</param>
    /// <param name="pixels">The pixels, <c>count × rows × columns</c> bytes.</param>
    public IdxImages(int rows, int columns, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length % (rows * columns) != 0)
        {
            throw new ArgumentException($"{pixels.Length} pixels are not a whole number of {rows}x{columns} images.", nameof(pixels));
        }

        Rows = rows;
        Columns = columns;
        Pixels = pixels;
    }

    /// <summary>The number of images.</summary>
    public int Count => Pixels.Length / ImageSize;

    /// <summary>The height of each image.</summary>
    public int Rows { get; }

    /// <summary>The width of each image.</summary>
    public int Columns { get; }

    /// <summary>The number of pixels in one image.</summary>
    public int ImageSize => Rows * Columns;

    /// <summary>The pixels, image after image, each row-major; 0 is background.</summary>
    public byte[] Pixels { get; }
}
