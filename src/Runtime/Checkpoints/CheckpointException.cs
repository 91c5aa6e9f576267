namespace Graph.Runtime;

/// <summary>
/// A checkpoint file could not be read into a model, or written: it is not a valid safetensors file, or it does not
/// hold what the model needs (a missing, unknown or misshapen tensor, another element type, a truncated body, a
/// checksum that does not match). The message starts with the file's path and then says what is wrong. A load that
/// throws has changed nothing in the model.
/// </summary>
public sealed class CheckpointException : IOException
{
    /// <param name="filePath">The checkpoint file.</param>
    /// <param name="problem">What is wrong with it, without the path.</param>
    /// <param name="innerException">The low-level error (a JSON or I/O error), if there was one.</param>
    public CheckpointException(string filePath, string problem, Exception? innerException = null)
        : base($"{filePath}: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>The path of the checkpoint file.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with the file, without the path.</summary>
    public string Problem { get; }
}
