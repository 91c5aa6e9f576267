using System.Numerics;
using Graph.Distributed.Mpi;

namespace Graph.Distributed.Federated;

/// <summary>Federated averaging across ranks: each rank holds one party's trained model, and every rank gets their mean.</summary>
public static class FederatedAveraging
{
    /// <summary>
    /// Replaces <paramref name="weights"/> on every rank with the mean over the ranks: their sum (<paramref name="summation"/>;
    /// <see cref="Summation.RankOrder"/> gives <c>(w0 + w1 + w2) / 3</c> exactly as one process adding the three in
    /// order would) divided by the number of ranks.
    /// </summary>
    public static void Average<T>(Communicator ranks, Span<T> weights, Summation summation = Summation.Allreduce)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(ranks);
        ranks.Sum(weights, summation);
        var count = T.CreateChecked(ranks.Size);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] /= count;
        }
    }
}
