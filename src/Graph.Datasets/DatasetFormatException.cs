namespace Graph.Datasets;

/// <summary>
/// A dataset file is corrupt, truncated or not in the expected format. The message starts with the file's path
/// and then says what is wrong with it, for example
/// <c>/data/mnist/t10k-images-idx3-ubyte.gz: header promises 10000 images of 28x28 (7840000 bytes) but the file holds 1234 bytes of pixels</c>.
/// It is an <see cref="IOException"/> (as <see cref="InvalidDataException"/> is sealed), so code that handles unreadable
/// files in general catches it too.
/// </summary>
public sealed class DatasetFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> with a description of the <paramref name="problem"/>.</summary>
    /// <param name="filePath">The file that failed to read.</param>
    /// <param name="problem">What is wrong with the file, as a sentence fragment without the path.</param>
    /// <param name="innerException">The low-level error (a gzip or JSON error), if there was one.</param>
    public DatasetFormatException(string filePath, string problem, Exception? innerException = null)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The path of the file that failed to read.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with the file, without the path.</summary>
    public string Problem { get; }
}
