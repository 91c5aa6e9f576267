using System.Diagnostics;

namespace Graph.Distributed.Mpi;

/// <summary>
/// What one rank's collectives have cost so far: how many it took part in, the payload bytes it handed to MPI
/// (its own contribution to each: the whole buffer of an allreduce, its part of a gather, the whole buffer of a
/// broadcast it roots), and the wall-clock time from starting each until it completed (waiting for the other
/// ranks included).
/// </summary>
/// <remarks>
/// Payload bytes are what the algorithm asks to move, not what crosses the wire: a ring allreduce of P bytes sends
/// about 2P(N - 1)/N per rank, a two-rank exchange P, and the transport adds its headers (docs/distributed.md).
/// </remarks>
public sealed class CommunicationStatistics
{
    /// <summary>The collectives completed.</summary>
    public long Operations { get; private set; }

    /// <summary>The payload bytes this rank handed to MPI.</summary>
    public long PayloadBytes { get; private set; }

    /// <summary>The time spent inside collectives, from start to completion.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, elapsedTicks);

    private long elapsedTicks;

    internal void Record(long payloadBytes, long startTimestamp)
    {
        Operations++;
        PayloadBytes += payloadBytes;
        elapsedTicks += Stopwatch.GetTimestamp() - startTimestamp;
    }
}
