using System.Diagnostics;
using System.Numerics;
using Graph.Bench.Torch;
using Graph.Runtime;
using Graph.Samples.Chapter11;

namespace Graph.Bench.Report;

/// <summary>
/// Stopwatch timings of chapter 11's compiled training steps on the real IMDB reviews: the sentiment step (one
/// review's distinct words summed from a 100-wide embedding of the whole vocabulary) over the book's 24,000 training
/// reviews, and the fill-in-the-blank step (3 context rows, 6 output rows) over the blanks of the first shuffled
/// reviews. Each is warmed up first; the time per step is the whole pass divided by its steps, as wall-clock time and
/// as the process's CPU time (which leaves out the time the thread waited for a core on a busy machine).
/// </summary>
public static class EmbeddingSteps
{
    public static void Run(TextWriter output)
    {
        var corpus = ImdbCorpus.Load();
        var (vocabulary, reviews) = SentimentTraining.Prepare(corpus);
        output.WriteLine($"IMDB: {corpus.Count} reviews; sentiment vocabulary {vocabulary.Count} words, {reviews.Take(24000).Average(r => r.Length):0.0} distinct words per training review on average");
        Sentiment<double>(output, reviews, corpus, vocabulary.Count);
        double graph = Sentiment<float>(output, reviews, corpus, vocabulary.Count);
        TorchSentiment(output, reviews, corpus, vocabulary.Count, graph);

        // The same reviews with every index folded into the first 1,000 rows: the embedding then stays in cache.
        var folded = reviews.Select(r => r.Select(i => i % 1000).Distinct().ToArray()).ToArray();
        output.WriteLine($"the same with indices folded into 1000 rows ({folded.Take(24000).Average(r => r.Length):0.0} distinct per review), so the table stays in cache:");
        Sentiment<double>(output, folded, corpus, 1000);
        Sentiment<float>(output, folded, corpus, 1000);

        var (fillVocabulary, shuffled, concatenated) = FillBlankTraining.Prepare(corpus, 1);
        output.WriteLine($"fill in the blank: vocabulary {fillVocabulary.Count} words, {concatenated.Length} tokens");
        FillBlank<double>(output, shuffled, concatenated, fillVocabulary.Count);
        FillBlank<float>(output, shuffled, concatenated, fillVocabulary.Count);
    }

    private static void TorchSentiment(TextWriter output, int[][] reviews, ImdbCorpus corpus, int vocabulary, double graphMicroseconds)
    {
        if (!TorchRuntime.IsAvailable)
        {
            output.WriteLine($"TorchSharp not run: {TorchRuntime.Status}");
            return;
        }

        const int steps = 4000;
        using var trainer = new TorchSentimentTrainer(reviews.Take(steps).ToArray(), corpus.Labels, vocabulary, 100, 0.01);
        for (int i = 0; i < 500; i++)
        {
            trainer.Step();
        }

        var (wall, cpu) = Time(() =>
        {
            for (int i = 0; i < steps; i++)
            {
                trainer.Step();
            }

            return steps;
        });
        output.WriteLine($"sentiment step in TorchSharp (Single, EmbeddingBag sum, hidden 100, one thread): {wall:0.00} us wall, {cpu:0.00} us CPU per review over {steps} reviews; TorchSharp/Graph {wall / graphMicroseconds:0.0}x");
    }

    private static double Sentiment<T>(TextWriter output, int[][] reviews, ImdbCorpus corpus, int vocabulary)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = new SentimentNetwork<T>(1, vocabulary, 100);
        var rate = T.CreateChecked(0.01);
        T[][] labels = [[T.Zero], [T.One]];
        for (int i = 0; i < 2000; i++)
        {
            network.TrainStep(reviews[i], labels[corpus.Labels[i]], rate);
        }

        var (wall, cpu) = Time(() =>
        {
            for (int i = 0; i < 24000; i++)
            {
                network.TrainStep(reviews[i], labels[corpus.Labels[i]], rate);
            }

            return 24000;
        });
        output.WriteLine($"sentiment TrainStep ({typeof(T).Name}, hidden 100, batch 1): {wall:0.00} us wall, {cpu:0.00} us CPU per review over 24000 reviews");
        return wall;
    }

    private static void FillBlank<T>(TextWriter output, List<int[]> reviews, int[] concatenated, int vocabulary)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = NumpyRandom.FromSeed(1);
        var network = new FillBlankNetwork<T>(random, vocabulary, 50);
        var blanks = new FillBlankTraining.Blanks(concatenated, random);
        var rate = T.CreateChecked(0.05);
        var labels = new T[FillBlankNetwork<T>.Samples];
        labels[0] = T.One;
        long Pass(int from, int count)
        {
            long steps = 0;
            foreach (var review in reviews.Skip(from).Take(count))
            {
                for (int target = 0; target < review.Length; target++)
                {
                    if (blanks.Next(review, target, out var context, out var targets))
                    {
                        network.TrainStep(context, targets, labels, rate);
                        steps++;
                    }
                }
            }

            return steps;
        }

        Pass(0, 200);
        long steps = 0;
        var (wall, cpu) = Time(() => steps = Pass(200, 2000));
        output.WriteLine($"fill-blank TrainStep ({typeof(T).Name}, hidden 50, 6 output rows): {wall:0.000} us wall, {cpu:0.000} us CPU per blank over {steps} blanks (negative sampling included)");
    }

    /// <summary>Microseconds per step of <paramref name="pass"/> (which returns its step count): wall-clock and process CPU time.</summary>
    private static (double Wall, double Cpu) Time(Func<long> pass)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        long steps = pass();
        watch.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        return (watch.Elapsed.TotalMicroseconds / steps, cpu.TotalMicroseconds / steps);
    }
}
