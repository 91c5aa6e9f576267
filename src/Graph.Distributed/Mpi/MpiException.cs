namespace Graph.Distributed.Mpi;

/// <summary>An MPI call returned an error: the call, the error code and Open MPI's text for it.</summary>
public sealed class MpiException : Exception
{
    public MpiException(string operation, int errorCode, string description)
        : base($"{operation} failed: {description} (MPI error {errorCode}).")
    {
        Operation = operation;
        ErrorCode = errorCode;
        Description = description;
    }

    /// <summary>The MPI function that failed, e.g. <c>MPI_Iallreduce</c>.</summary>
    public string Operation { get; }

    /// <summary>The MPI error code it returned.</summary>
    public int ErrorCode { get; }

    /// <summary>Open MPI's text for the code (<c>MPI_Error_string</c>).</summary>
    public string Description { get; }
}
