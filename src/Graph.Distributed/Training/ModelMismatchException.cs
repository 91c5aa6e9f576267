namespace Graph.Distributed.Training;

/// <summary>The ranks of a job were started with different models or settings; the message lists each rank's.</summary>
public sealed class ModelMismatchException : Exception
{
    public ModelMismatchException(string message)
        : base(message)
    {
    }
}
