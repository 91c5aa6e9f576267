using Graph.Distributed.Mpi;
using Graph.Distributed.Training;

namespace Graph.Samples.Cli;

/// <summary>
/// The MPI job a <c>--data-parallel</c> command line runs in: MPI is started before the examples run and ended after
/// them, rank 0 prints and the other ranks are quiet, and a failure on any rank ends every rank.
/// </summary>
public static class DataParallelJob
{
    private static Communicator? current;
    private static readonly List<DataParallelStatistics> Trainers = [];

    /// <summary>The job's communicator, while a <c>--data-parallel</c> command line runs.</summary>
    /// <exception cref="InvalidOperationException">No <c>--data-parallel</c> run is in progress.</exception>
    public static Communicator World => current ?? throw new InvalidOperationException("The ranks of an MPI job exist only while a --data-parallel command line runs.");

    /// <summary>The number of ranks while a <c>--data-parallel</c> command line runs, else null.</summary>
    public static int? RankCount => current?.Size;

    /// <summary>Records a trainer's statistics, which rank 0 writes to the error stream when the run ends.</summary>
    public static void Report(DataParallelStatistics statistics) => Trainers.Add(statistics);

    /// <summary>
    /// Starts MPI, runs <paramref name="run"/> with rank 0's writers (the other ranks write nowhere), ends MPI and
    /// returns the exit code. Ranks started with different models or settings are refused with rank 0's message;
    /// any other failure ends the whole job (<see cref="Communicator.Abort"/>), since the other ranks would wait for
    /// the failed one.
    /// </summary>
    public static int Run(TextWriter output, TextWriter error, Func<TextWriter, TextWriter, int> run)
    {
        Communicator ranks;
        try
        {
            ranks = Communicator.World();
        }
        catch (Exception unavailable) when (unavailable is MpiUnavailableException or ArgumentException)
        {
            error.WriteLine("error: --data-parallel: " + unavailable.Message);
            return ChaptersCli.UsageError;
        }

        current = ranks;
        int code;
        try
        {
            code = ranks.IsRoot ? run(output, error) : run(TextWriter.Null, TextWriter.Null);
        }
        catch (ModelMismatchException mismatch)
        {
            // Every rank found the same mismatch in the same collective, so each can end normally.
            if (ranks.IsRoot)
            {
                error.WriteLine("error: " + mismatch.Message);
            }

            code = ChaptersCli.UsageError;
        }
        catch (Exception failure)
        {
            output.Flush();
            ranks.Abort($"{failure.GetType().Name}: {failure.Message}", ChaptersCli.Failed);
            throw;
        }

        foreach (var statistics in Trainers)
        {
            // The exchange time includes waiting for the slowest rank, so every rank's is shown: the smallest is
            // nearest to the transfer itself.
            var exchange = new double[ranks.Size];
            ranks.Allgather<double>([statistics.Steps == 0 ? 0 : statistics.ExchangeTime.TotalMilliseconds / statistics.Steps], exchange);
            if (ranks.IsRoot)
            {
                error.WriteLine(statistics + "; exchange ms/step by rank: " + string.Join(", ", exchange.Select(ms => ms.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture))));
            }
        }

        if (ranks.IsRoot)
        {
            var total = ranks.Statistics;
            error.WriteLine(FormattableString.Invariant(
                $"MPI: {ranks.Size} ranks, rank 0 took part in {total.Operations} collectives, handed {total.PayloadBytes:N0} payload bytes to MPI, spent {total.Elapsed.TotalSeconds:0.000} s in them"));
        }

        ranks.Dispose();
        current = null;
        Trainers.Clear();
        return code;
    }
}
