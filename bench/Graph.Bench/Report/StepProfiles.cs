using Graph.Runtime;

namespace Graph.Bench.Report;

/// <summary>
/// The <c>profile</c> command: each network's generated training step (the table's N1-N6, on the same records) with a
/// <see cref="StepProfile"/> set, at each thread count, so each step's time is measured where it runs, after the steps
/// before it, rather than alone (the <c>breakdown</c> command). The step with and without the profile is timed in
/// interleaved rounds (<see cref="StepTable.Interleaved"/>), and both medians are printed beside the profile: the
/// difference is what the profile's own readings cost.
/// </summary>
internal static class StepProfiles
{
    public static void Run(TextWriter output, IReadOnlyList<int> threadCounts, double seconds, IReadOnlySet<string>? nets)
    {
        var (mnist, corpus, reviews, vocabulary) = StepTable.LoadData();
        foreach (var net in StepTable.Cases(mnist, corpus, reviews, vocabulary, torch: false).Where(n => nets is null || nets.Contains(n.Id)))
        {
            foreach (int threads in threadCounts)
            {
                var profile = new StepProfile();
                var plain = new LocalSteps("without the profile", net.Graph, () => { Parallelism.Threads = threads; net.Profile(null); });
                var profiled = new LocalSteps("with the profile", net.Graph, () => { Parallelism.Threads = threads; net.Profile(profile); });

                // .NET compiles the kernels fully while the first second runs: the profile keeps only the steps after it
                // (the profiled rounds and the warm-up that sizes them).
                plain.WarmUp();
                profiled.WarmUp();
                profile.Reset();
                Timing[] medians = StepTable.Interleaved([plain, profiled], seconds * 2);
                net.Profile(null);
                output.WriteLine($"{net.Id} {net.Description}, {threads} thread{(threads == 1 ? "" : "s")}: the step {medians[0].Wall:0.###} µs without the profile, {medians[1].Wall:0.###} µs with it (median rounds, in turn)");
                output.WriteLine();
                output.WriteLine(profile.ToString());
            }

            net.Release();
        }
    }
}
