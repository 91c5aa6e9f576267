using Graph.Runtime;
using Graph.Samples.Examples;
using Graph.Samples.Formatting;

namespace Graph.Samples.Chapter06;

/// <summary>Chapter 6, backpropagation: the streetlight problem, first without and then with a hidden layer.</summary>
public static class Chapter06Examples
{
    public const string ChapterId = "ch06";

    public const string ChapterTitle = "Building your first deep neural network: introduction to backpropagation";

    /// <summary>The chapter's examples in the book's order.</summary>
    public static IReadOnlyList<IExample> All { get; } =
    [
        new OneStreetlight(),
        new AllStreetlights(),
        new PythonRandomSeed(),
        new Backprop(),
    ];

    /// <summary>The six streetlight patterns (rows: lights left, middle, right).</summary>
    private static readonly double[] Streetlights =
    [
        1, 0, 1,
        0, 1, 1,
        0, 0, 1,
        1, 1, 1,
        0, 1, 1,
        1, 0, 1,
    ];

    /// <summary>Whether people walked (1) or stopped (0) at each pattern.</summary>
    private static readonly double[] WalkVsStop = [0, 1, 0, 1, 1, 0];

    /// <summary>E6.1: learn streetlight record 0 alone.</summary>
    private sealed class OneStreetlight() : NetworkExample(ChapterId, "one-streetlight", "E6.1",
        "learn streetlight record 0 only: weights [0.5, 0.48, -0.7], input [1, 0, 1], goal 0, alpha 0.1, 20 iterations",
        ExampleKnobs.Alpha | ExampleKnobs.Iterations)
    {
        public const double DefaultAlpha = 0.1;

        public const int Iterations = 20;

        public override string Title(ExampleOptions options) =>
            $"3-1 linear network on streetlight record 0, alpha {Number(options.Alpha ?? DefaultAlpha)}, {Number(options.Iterations ?? Iterations)} iterations" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = new WalkStopNetwork<T>();
            var input = Values<T>(Streetlights.AsSpan(0, 3).ToArray());
            var goal = Values<T>(WalkVsStop[0]);
            T alpha = Value<T>(options.Alpha ?? DefaultAlpha);
            int iterations = options.Iterations ?? Iterations;
            for (int iteration = 0; iteration < iterations; iteration++)
            {
                T prediction = network.Predict(input);
                T error = network.Error(input, goal);
                network.TrainStep(input, goal, alpha);
                output.WriteLine("Error:" + Str(error) + "    " + " Prediction:" + Str(prediction));
            }
        }
    }

    /// <summary>E6.2: learn all six records, one update per record, 40 iterations.</summary>
    private sealed class AllStreetlights() : NetworkExample(ChapterId, "all-streetlights", "E6.2",
        "learn the whole streetlight data set: 6 records, one update per record, alpha 0.1, 40 iterations",
        ExampleKnobs.Alpha | ExampleKnobs.Iterations)
    {
        public const double DefaultAlpha = 0.1;

        public const int Iterations = 40;

        public override string Title(ExampleOptions options) =>
            $"3-1 linear network on all 6 streetlight records, alpha {Number(options.Alpha ?? DefaultAlpha)}, {Number(options.Iterations ?? Iterations)} iterations" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = new WalkStopNetwork<T>();
            var lights = Values<T>(Streetlights);
            var walk = Values<T>(WalkVsStop);
            T alpha = Value<T>(options.Alpha ?? DefaultAlpha);
            int iterations = options.Iterations ?? Iterations;
            for (int iteration = 0; iteration < iterations; iteration++)
            {
                T errorForAllLights = T.Zero;
                for (int row = 0; row < walk.Length; row++)
                {
                    var input = lights.AsSpan(row * 3, 3);
                    var goal = walk.AsSpan(row, 1);
                    T prediction = network.Predict(input);
                    errorForAllLights += network.Error(input, goal);
                    network.TrainStep(input, goal, alpha);
                    output.WriteLine("Prediction:" + Str(prediction));
                }

                output.WriteLine("Error:" + Str(errorForAllLights) + "\n");
            }
        }
    }

    /// <summary>E6.3: Python's <c>random.seed(5)</c>, reseeded before each draw and then seeded once.</summary>
    private sealed class PythonRandomSeed() : Example(ChapterId, "python-random-seed", "E6.3",
        "what a seed does: Python's random.seed(5) before each of 5 random() calls, then once before 5 calls",
        ExampleKnobs.Seed)
    {
        public const int DefaultSeed = 5;

        public override string Title(ExampleOptions options) =>
            $"Python random.seed({Number(options.Seed ?? DefaultSeed)}) demo, reseeded each draw, then seeded once";

        protected override void Execute(ExampleOptions options, TextWriter output)
        {
            int seed = options.Seed ?? DefaultSeed;
            var random = new PythonRandom(seed);
            for (int i = 0; i < 5; i++)
            {
                random.Seed(seed);
                output.WriteLine(PythonFormat.Repr(random.Random()));
            }

            output.WriteLine();
            random.Seed(seed);
            for (int i = 0; i < 5; i++)
            {
                output.WriteLine(PythonFormat.Repr(random.Random()));
            }
        }
    }

    /// <summary>
    /// E6.5: the first deep network, 3-4-1 with a relu hidden layer, trained per record by the compiled backward
    /// pass; prints the summed error every 10 iterations.
    /// </summary>
    private sealed class Backprop() : NetworkExample(ChapterId, "backprop", "E6.5",
        "backpropagation: 3-4-1 relu network on 4 streetlight records, np.random.seed(1), alpha 0.2, 60 iterations",
        ExampleKnobs.Seed | ExampleKnobs.Alpha | ExampleKnobs.Iterations | ExampleKnobs.Hidden)
    {
        public const int DefaultSeed = 1;

        public const double DefaultAlpha = 0.2;

        public const int Iterations = 60;

        /// <summary>The chapter's streetlights network is this one.</summary>
        public override IReadOnlyList<string> Aliases => ["streetlights"];

        /// <summary>The book's hidden size.</summary>
        public const int BookHiddenSize = 4;

        /// <summary>The records E6.5 trains on: the first four patterns, with their own walk/stop labels.</summary>
        private static readonly double[] Lights = [1, 0, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1];

        private static readonly double[] Walk = [1, 1, 0, 0];

        public override string Title(ExampleOptions options)
        {
            int hidden = options.Hidden ?? BookHiddenSize;
            string seed = options.Seed is { } s ? ", seed " + Number(s) : string.Empty;
            return $"3-{Number(hidden)}-1 relu network on the streetlights, alpha {Number(options.Alpha ?? DefaultAlpha)}, {Number(options.Iterations ?? Iterations)} iterations{seed}" + PrecisionSuffix(options);
        }

        protected override string? CheckValues(ExampleOptions options) =>
            options.Hidden is { } hidden && hidden < 1 ? $"--hidden must be at least 1, not {hidden}." : null;

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            // np.random.seed(seed), then 2*np.random.random((3, hidden)) - 1 and 2*np.random.random((hidden, 1)) - 1.
            var network = new StreetlightsNetwork<T>(options.Seed ?? DefaultSeed, options.Hidden ?? BookHiddenSize);
            var lights = Values<T>(Lights);
            var walk = Values<T>(Walk);
            T alpha = Value<T>(options.Alpha ?? DefaultAlpha);
            int iterations = options.Iterations ?? Iterations;
            for (int iteration = 0; iteration < iterations; iteration++)
            {
                T layer2Error = T.Zero;
                for (int i = 0; i < walk.Length; i++)
                {
                    var input = lights.AsSpan(i * 3, 3);
                    var goal = walk.AsSpan(i, 1);
                    layer2Error += network.Error(input, goal);
                    network.TrainStep(input, goal, alpha);
                }

                if (iteration % 10 == 9)
                {
                    output.WriteLine("Error:" + Str(layer2Error));
                }
            }
        }
    }

}
