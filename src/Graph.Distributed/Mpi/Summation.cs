namespace Graph.Distributed.Mpi;

/// <summary>How a sum over the ranks is formed.</summary>
public enum Summation
{
    /// <summary>
    /// One <c>MPI_Allreduce</c>: the fastest; MPI groups the terms as its algorithm does, so floating-point sums
    /// are exact against rank order for two ranks (<c>a + b</c> is <c>b + a</c>) and within rounding for more.
    /// </summary>
    Allreduce,

    /// <summary>
    /// One <c>MPI_Allgather</c>, then every rank adds the contributions itself in rank order: the same bits for
    /// any number of ranks and any MPI algorithm, for N - 1 times the buffer received.
    /// </summary>
    RankOrder,
}
