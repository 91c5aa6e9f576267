using System.Globalization;
using System.Text;
using Graph.Datasets;
using Xunit;

namespace Graph.Tests.Datasets;

public sealed class MnistNpmDigitsReaderTests : IDisposable
{
    private readonly TemporaryDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public void ReadsTheDigitFilesGroupedByDigitAndRecoversThePixelBytes()
    {
        // Digit d has (d % 3) + 1 images; image j of digit d has every pixel (31 d + 7 j + i) mod 256.
        for (int digit = 0; digit < 10; digit++)
        {
            IEnumerable<int> pixels = Enumerable.Range(0, (digit % 3) + 1)
                .SelectMany(image => Enumerable.Range(0, Mnist.ImageSize).Select(i => ((31 * digit) + (7 * image) + i) % 256));
            WriteDigit(digit, $"{{ \"data\": [{string.Join(',', pixels.Select(FormatLikeThePackage))}] }}\n");
        }

        MnistData data = MnistNpmDigitsReader.Read(directory.Path);

        byte[] expectedLabels = Enumerable.Range(0, 10).SelectMany(d => Enumerable.Repeat((byte)d, (d % 3) + 1)).ToArray();
        Assert.Equal(expectedLabels, data.Labels);
        Assert.Equal(expectedLabels.Length * Mnist.ImageSize, data.Pixels.Length);
        int firstSevenIndex = Array.IndexOf(data.Labels, (byte)7);
        ReadOnlySpan<byte> secondSeven = data.Pixels.AsSpan((firstSevenIndex + 1) * Mnist.ImageSize, Mnist.ImageSize);
        for (int i = 0; i < Mnist.ImageSize; i++)
        {
            Assert.Equal(((31 * 7) + 7 + i) % 256, secondSeven[i]);
        }
    }

    [Fact]
    public void RejectsMalformedJson()
    {
        string path = WriteValidDigitsExcept(4, "{ \"data\": [0, 0.5");

        var error = Assert.Throws<DatasetFormatException>(() => MnistNpmDigitsReader.Read(directory.Path));

        Assert.StartsWith($"{path}: malformed JSON (", error.Message);
    }

    [Fact]
    public void RejectsAnImageOfTheWrongLength()
    {
        string path = WriteValidDigitsExcept(2, $"{{\"data\":[{string.Join(',', Enumerable.Repeat("0", Mnist.ImageSize + 1))}]}}");

        var error = Assert.Throws<DatasetFormatException>(() => MnistNpmDigitsReader.Read(directory.Path));

        Assert.Equal($"{path}: the data array holds 785 values, not a whole number of 784-pixel images (785 = 1 × 784 + 1)", error.Message);
    }

    [Theory]
    [InlineData("{\"data\":[0,\"0\"]}", "element 1 of \"data\" is a JSON String, not a number")]
    [InlineData("{\"data\":[0,1.5]}", "element 1 of \"data\" is 1.5, not a pixel value")]
    [InlineData("{\"data\":[0.5]}", "element 0 of \"data\" is 0.5, not a pixel value")]
    [InlineData("{\"pixels\":[]}", "the object has no \"data\" array")]
    [InlineData("{\"data\":{}}", "\"data\" is a JSON StartObject, not an array")]
    [InlineData("[0, 1]", "the file does not hold a JSON object")]
    public void RejectsContentThatIsNotPixelData(string json, string problem)
    {
        string path = WriteValidDigitsExcept(9, json);

        var error = Assert.Throws<DatasetFormatException>(() => MnistNpmDigitsReader.Read(directory.Path));

        Assert.StartsWith($"{path}: {problem}", error.Message);
    }

    [Fact]
    public void ReportsAMissingDigitFile()
    {
        WriteValidDigitsExcept(3, "{\"data\":[]}");
        File.Delete(Path.Combine(directory.Path, "3.json"));

        var error = Assert.Throws<FileNotFoundException>(() => MnistNpmDigitsReader.Read(directory.Path));

        Assert.Contains(Path.Combine(directory.Path, "3.json"), error.Message);
    }

    /// <summary>A pixel as the package stores it: divided by 255 and rounded to 3 decimals, without trailing zeros.</summary>
    private static string FormatLikeThePackage(int pixel) =>
        Math.Round(pixel / 255.0, 3).ToString(CultureInfo.InvariantCulture);

    /// <summary>Writes one valid black image for every digit but <paramref name="digit"/>, which gets <paramref name="json"/>.</summary>
    private string WriteValidDigitsExcept(int digit, string json)
    {
        string blackImage = $"{{\"data\":[{string.Join(',', Enumerable.Repeat("0", Mnist.ImageSize))}]}}";
        for (int other = 0; other < 10; other++)
        {
            WriteDigit(other, other == digit ? json : blackImage);
        }

        return Path.Combine(directory.Path, $"{digit}.json");
    }

    private void WriteDigit(int digit, string json) =>
        File.WriteAllText(Path.Combine(directory.Path, $"{digit}.json"), json, Encoding.ASCII);
}
