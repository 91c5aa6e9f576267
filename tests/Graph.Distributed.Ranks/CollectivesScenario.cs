using System.Globalization;
using System.Text;
using Graph.Distributed.Mpi;

namespace Graph.Distributed.Ranks;

/// <summary>
/// Every collective of the binding on known values, for each element type it takes; each rank writes what it
/// received to <c>rank{r}.txt</c>, one line per call, for the test to compare with the values it expects.
/// </summary>
public static class CollectivesScenario
{
    public static void Run(Communicator ranks, string folder)
    {
        int r = ranks.Rank, n = ranks.Size;
        var lines = new List<string> { $"rank {r} of {n}" };

        double[] broadcast = r == n - 1 ? [1.5, -2.25, 1e300] : new double[3];
        ranks.Broadcast<double>(broadcast, root: n - 1);
        lines.Add("broadcast double: " + Join(broadcast));

        float[] floats = [r + 1, 0.5f * r, -r];
        ranks.AllreduceSum<float>(floats);
        lines.Add("allreduce float: " + Join(floats));

        int[] ints = [r, 10 * r];
        ranks.AllreduceSum<int>(ints);
        lines.Add("allreduce int: " + Join(ints));

        double[] ordered = [Term(r), 0.1 * (r + 1)];
        ranks.AllreduceSumInRankOrder<double>(ordered);
        lines.Add("rank-order sum double: " + Join(ordered));

        var gathered = new int[2 * n];
        ranks.Allgather<int>([r, r * r], gathered);
        lines.Add("allgather int: " + Join(gathered));

        int[] counts = Enumerable.Range(1, n).ToArray();
        var mine = Enumerable.Range(0, r + 1).Select(k => r + (0.25 * k)).ToArray();
        var all = new double[counts.Sum()];
        ranks.AllgatherVariable<double>(mine, all, counts);
        lines.Add("allgatherv double: " + Join(all));

        byte[] text = Encoding.UTF8.GetBytes($"<rank {r}>");
        int[] lengths = ranks.AllgatherCounts(text.Length);
        var atRoot = new byte[r == 0 ? lengths.Sum() : 0];
        ranks.GatherVariable<byte>(text, atRoot, lengths);
        lines.Add("gatherv byte: " + Encoding.UTF8.GetString(atRoot));

        var scattered = new int[r + 1];
        ranks.ScatterVariable<int>(r == 0 ? Enumerable.Range(0, counts.Sum()).ToArray() : [], counts, scattered);
        lines.Add("scatterv int: " + Join(scattered));

        ranks.Barrier();

        // A call MPI itself rejects: rank 0 broadcasts four values where the others expect two.
        try
        {
            ranks.Broadcast<int>(new int[r == 0 ? 4 : 2]);
            lines.Add("mismatched broadcast: no error");
        }
        catch (MpiException error)
        {
            lines.Add("mismatched broadcast: " + error.Message);
        }

        File.WriteAllLines(Path.Combine(folder, $"rank{r}.txt"), lines);
    }

    /// <summary>Terms whose sum depends on the order of addition: 1e16, then 3, then -1e16, then 0.5 for each further rank.</summary>
    public static double Term(int rank) => rank switch { 0 => 1e16, 1 => 3, 2 => -1e16, _ => 0.5 };

    public static string Join<T>(IEnumerable<T> values)
        where T : IFormattable => string.Join(" ", values.Select(v => v.ToString(null, CultureInfo.InvariantCulture)));
}
