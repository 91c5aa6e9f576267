using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Graph.Distributed.Mpi;
using Graph.Runtime;

namespace Graph.Distributed.Training;

/// <summary>
/// The model every rank trains, reduced to a hash compared across the ranks before training starts, so that a rank
/// started with another network size, element type or setting is refused at once instead of exchanging gradients
/// that do not line up.
/// </summary>
public static class ModelFingerprint
{
    private const int HashInts = SHA256.HashSizeInBytes / sizeof(int);

    /// <summary>The element type, each parameter's name, shape and kind, and the settings, as one line.</summary>
    public static string Describe<T>(ParameterSet<T> parameters, string settings)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(settings);
        var text = new StringBuilder(typeof(T).Name);
        foreach (var parameter in parameters)
        {
            text.Append(' ').Append(parameter.Name).Append('[').AppendJoin(',', parameter.Shape.ToArray()).Append(']');
            if (parameter.IsFrozen)
            {
                text.Append(" frozen");
            }
            else if (parameter.FrozenElements.Length > 0)
            {
                text.Append(" frozen ").AppendJoin(',', parameter.FrozenElements.ToArray());
            }

            if (parameter.TouchedRows is not null)
            {
                text.Append(" row-sparse");
            }
        }

        return settings.Length == 0 ? text.ToString() : text.Append("; ").Append(settings).ToString();
    }

    /// <summary>
    /// Compares the SHA-256 of <paramref name="description"/> across the ranks (one allgather); when any differs,
    /// gathers every rank's description and throws on every rank.
    /// </summary>
    /// <exception cref="ModelMismatchException">Some rank's description differs from rank 0's; the message lists them.</exception>
    public static void Verify(Communicator ranks, string description)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        ArgumentNullException.ThrowIfNull(description);
        byte[] text = Encoding.UTF8.GetBytes(description);
        var hash = new int[HashInts];
        SHA256.HashData(text, System.Runtime.InteropServices.MemoryMarshal.AsBytes(hash.AsSpan()));
        var hashes = new int[HashInts * ranks.Size];
        ranks.Allgather<int>(hash, hashes);

        var differing = Enumerable.Range(1, ranks.Size - 1)
            .Where(rank => !hashes.AsSpan(rank * HashInts, HashInts).SequenceEqual(hashes.AsSpan(0, HashInts)))
            .ToArray();
        if (differing.Length == 0)
        {
            return;
        }

        int[] lengths = ranks.AllgatherCounts(text.Length);
        var all = new byte[lengths.Sum()];
        ranks.AllgatherVariable<byte>(text, all, lengths);
        var descriptions = new string[ranks.Size];
        for (int rank = 0, offset = 0; rank < ranks.Size; offset += lengths[rank], rank++)
        {
            descriptions[rank] = Encoding.UTF8.GetString(all, offset, lengths[rank]);
        }

        throw new ModelMismatchException(
            $"The ranks were started with different models or settings: rank 0 has '{descriptions[0]}', " +
            string.Join(", ", differing.Select(rank => $"rank {rank} has '{descriptions[rank]}'")) +
            ". Start every rank with the same command line.");
    }
}
