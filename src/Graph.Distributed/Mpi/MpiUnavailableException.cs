namespace Graph.Distributed.Mpi;

/// <summary>No usable Open MPI library is installed: the message says what to install or set.</summary>
public sealed class MpiUnavailableException : Exception
{
    public MpiUnavailableException(string message)
        : base(message)
    {
    }
}
