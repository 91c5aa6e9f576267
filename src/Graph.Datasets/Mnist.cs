namespace Graph.Datasets;

/// <summary>
/// The MNIST handwritten digits (LeCun, Cortes and Burges): 28×28 greyscale images of the digits 0 to 9, 60,000 for
/// training and 10,000 for testing, read from the official IDX files that <see cref="DataLocator"/> finds.
/// </summary>
/// <remarks>
/// The training images may be the full official file or <c>train-images-first10000-idx3-ubyte.gz</c>, which holds only
/// the first 10,000 (all the book needs: it trains on the first 1,000). Every load checks the files completely: a
/// truncated or corrupt file, a label count that does not match the image count, or a label above 9 raises a
/// <see cref="DatasetFormatException"/>.
/// </remarks>
public sealed class Mnist
{
    /// <summary>The dataset's folder name.</summary>
    public const string DatasetName = "mnist";

    /// <summary>The height and width of each image.</summary>
    public const int ImageSide = 28;

    /// <summary>The number of pixels in each image.</summary>
    public const int ImageSize = ImageSide * ImageSide;

    /// <summary>The number of classes: the digits 0 to 9.</summary>
    public const int ClassCount = 10;

    /// <summary>The number of images in the full official training set.</summary>
    public const int FullTrainingCount = 60_000;

    /// <summary>The name of the file that holds only the first 10,000 official training images.</summary>
    public const string FirstTrainingImagesFileName = "train-images-first10000-idx3-ubyte.gz";

    /// <summary>The uncompressed form of <see cref="FirstTrainingImagesFileName"/>.</summary>
    private const string FirstTrainingImagesPlainFileName = "train-images-first10000-idx3-ubyte";

    /// <summary>The folder of the canonical download mirror.</summary>
    private static readonly Uri Mirror = new("https://storage.googleapis.com/cvdf-datasets/mnist/");

    private readonly DataLocator locator;

    /// <summary>Reads MNIST from wherever the usual <see cref="DataLocator"/> finds it.</summary>
    public Mnist()
        : this(new DataLocator())
    {
    }

    /// <summary>Reads MNIST from wherever <paramref name="locator"/> finds it.</summary>
    public Mnist(DataLocator locator)
    {
        ArgumentNullException.ThrowIfNull(locator);
        this.locator = locator;
    }

    /// <summary>The training images: all 60,000, or the first 10,000 under <see cref="FirstTrainingImagesFileName"/>.</summary>
    public static DatasetFile TrainingImagesFile { get; } = new(
        "the training images (all 60,000, or only the first 10,000)",
        ["train-images-idx3-ubyte.gz", "train-images-idx3-ubyte", FirstTrainingImagesFileName, FirstTrainingImagesPlainFileName],
        new DatasetDownload(new Uri(Mirror, "train-images-idx3-ubyte.gz"), ContentChecksum.Md5("6bbc9ace898e44ae57da46a324031adb")),
        [ContentChecksum.Sha256("2889698e6bc3614913e76901316712919d1998fc2b44512451bfe65bc1e668b1")]);

    /// <summary>The 60,000 training labels.</summary>
    public static DatasetFile TrainingLabelsFile { get; } = new(
        "the 60,000 training labels",
        ["train-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte"],
        Download("train-labels-idx1-ubyte.gz", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"));

    /// <summary>The 10,000 test images.</summary>
    public static DatasetFile TestImagesFile { get; } = new(
        "the 10,000 test images",
        ["t10k-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte"],
        Download("t10k-images-idx3-ubyte.gz", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"));

    /// <summary>The 10,000 test labels.</summary>
    public static DatasetFile TestLabelsFile { get; } = new(
        "the 10,000 test labels",
        ["t10k-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte"],
        Download("t10k-labels-idx1-ubyte.gz", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"));

    /// <summary>
    /// The dataset's four files, with their download sources and checksums of the uncompressed content: SHA-256,
    /// computed from copies whose MD5s equal the official ones, except for the full training images, of which only the
    /// official MD5 is known here (no copy of that file was available to hash); its first 10,000 images, as
    /// <see cref="FirstTrainingImagesFileName"/>, have a SHA-256.
    /// </summary>
    public static DatasetDescription Dataset { get; } =
        new(DatasetName, [TrainingImagesFile, TrainingLabelsFile, TestImagesFile, TestLabelsFile]);

    /// <summary>Loads the first <paramref name="count"/> training images and their labels, in the official order.</summary>
    /// <param name="count">How many images to load; the book uses 1,000.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="count"/> is not positive, or is more than the training images file holds.
    /// </exception>
    /// <exception cref="DatasetNotFoundException">A file is missing and could not be downloaded.</exception>
    /// <exception cref="DatasetFormatException">A file is corrupt, or the files do not match.</exception>
    public MnistData LoadTraining(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        string imagesPath = locator.Locate(Dataset, TrainingImagesFile);
        string labelsPath = locator.Locate(Dataset, TrainingLabelsFile);
        IdxHeader images = ReadImagesHeader(imagesPath);
        IdxHeader labels = IdxReader.ReadHeader(labelsPath, IdxHeader.LabelsMagic);

        // The first-10,000 file is a prefix of the training set, so its labels are the first of the full label file.
        bool imagesArePrefix = Path.GetFileName(imagesPath) is FirstTrainingImagesFileName or FirstTrainingImagesPlainFileName;
        if (imagesArePrefix ? labels.Count < images.Count : labels.Count != images.Count)
        {
            throw MismatchedCounts(labelsPath, labels, imagesPath, images);
        }

        if (count > images.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count,
                $"{imagesPath} holds {images.Count} training images, fewer than the {count} requested. " +
                $"The full training set of {FullTrainingCount} images is {TrainingImagesFile.FileNames[0]} " +
                $"({TrainingImagesFile.Download?.Source}); put it in {SuggestedFolder(imagesPath)} " +
                $"(or any folder searched for '{DatasetName}'), where it takes precedence.");
        }

        return Load(imagesPath, labelsPath, count);
    }

    /// <summary>Loads the 10,000 test images and their labels.</summary>
    /// <exception cref="DatasetNotFoundException">A file is missing and could not be downloaded.</exception>
    /// <exception cref="DatasetFormatException">A file is corrupt, or the files do not match.</exception>
    public MnistData LoadTest()
    {
        string imagesPath = locator.Locate(Dataset, TestImagesFile);
        string labelsPath = locator.Locate(Dataset, TestLabelsFile);
        IdxHeader images = ReadImagesHeader(imagesPath);
        IdxHeader labels = IdxReader.ReadHeader(labelsPath, IdxHeader.LabelsMagic);
        if (labels.Count != images.Count)
        {
            throw MismatchedCounts(labelsPath, labels, imagesPath, images);
        }

        return Load(imagesPath, labelsPath, images.Count);
    }

    /// <summary>Where to put a better training images file: the GRAPH_DATA folder, else the cache, else beside the file found.</summary>
    private string SuggestedFolder(string imagesPath)
    {
        IReadOnlyList<DatasetLocation> locations = locator.SearchLocations(DatasetName);
        return locations.FirstOrDefault(location => location.Kind == DatasetLocationKind.EnvironmentVariable)?.Directory
            ?? locations.FirstOrDefault(location => location.Kind == DatasetLocationKind.UserCache)?.Directory
            ?? Path.GetDirectoryName(imagesPath)!;
    }

    private static DatasetDownload Download(string fileName, string uncompressedSha256) =>
        new(new Uri(Mirror, fileName), ContentChecksum.Sha256(uncompressedSha256));

    private static IdxHeader ReadImagesHeader(string path)
    {
        IdxHeader header = IdxReader.ReadHeader(path, IdxHeader.ImagesMagic);
        if (header.Dimensions[1] != ImageSide || header.Dimensions[2] != ImageSide)
        {
            throw new DatasetFormatException(path,
                $"holds images of {header.Dimensions[1]}x{header.Dimensions[2]} pixels, not MNIST's {ImageSide}x{ImageSide}");
        }

        if (header.Count == 0)
        {
            throw new DatasetFormatException(path, "holds no images (its header's count, at offset 4, is 0)");
        }

        return header;
    }

    private static DatasetFormatException MismatchedCounts(string labelsPath, IdxHeader labels, string imagesPath, IdxHeader images) =>
        new(labelsPath, $"holds {labels.Count} labels but {imagesPath} holds {images.Count} images");

    private static MnistData Load(string imagesPath, string labelsPath, int count)
    {
        byte[] pixels = IdxReader.ReadImages(imagesPath, count).Pixels;
        byte[] labels = IdxReader.ReadLabels(labelsPath, count);
        int invalid = labels.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)(ClassCount - 1));
        if (invalid >= 0)
        {
            throw new DatasetFormatException(labelsPath, $"label {labels[invalid]} at index {invalid} is not a digit from 0 to 9");
        }

        return new MnistData(pixels, labels);
    }
}
