using System.Numerics;
using Graph.Samples.Examples;
using Graph.Samples.Formatting;

namespace Graph.Samples.Chapter04;

/// <summary>Chapter 4, gradient descent: one weight learns to turn one input into one goal.</summary>
public static class Chapter04Examples
{
    public const string ChapterId = "ch04";

    public const string ChapterTitle = "Introduction to neural learning: gradient descent";

    /// <summary>The chapter's examples in the book's order.</summary>
    public static IReadOnlyList<IExample> All { get; } =
    [
        new SquaredError(),
        new HotColdProbe(),
        new HotAndCold(),
        new DirectionAndAmount(),
        new GradientDescent(),
        new GradientDescentSteps(),
        new BreakingGradientDescent(),
        new Alpha(),
    ];

    /// <summary>A network with the book's starting weight.</summary>
    private static SingleWeightNetwork<T> Network<T>(double weight)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = new SingleWeightNetwork<T>();
        network.Parameters["Weight"].Value[0] = T.CreateChecked(weight);
        return network;
    }

    /// <summary>
    /// The book's gradient-descent loop: print the error and prediction, then <c>weight -= alpha * delta * input</c>
    /// (the compiled training step on half the squared error), <paramref name="iterations"/> times.
    /// </summary>
    private static void Learn<T>(SingleWeightNetwork<T> network, double input, double goal, T alpha, int iterations, string separator, TextWriter output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> x = [T.CreateChecked(input)];
        ReadOnlySpan<T> y = [T.CreateChecked(goal)];
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            T prediction = network.Predict(x);
            T error = network.Error(x, y);
            network.TrainStep(x, y, alpha);
            output.WriteLine("Error:" + PythonStr(error) + separator + "Prediction:" + PythonStr(prediction));
        }
    }

    private static string PythonStr<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T> => PythonFormat.Repr(value);

    /// <summary>E4.1: <c>error = (0.5 * 0.5 - 0.8) ** 2</c>.</summary>
    private sealed class SquaredError() : NetworkExample(ChapterId, "squared-error", "E4.1",
        "predict, compare: the squared error of input 0.5 times weight 0.5 against goal 0.8", ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) => "squared error, weight 0.5, input 0.5, goal 0.8" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = Network<T>(0.5);
            output.WriteLine(Str(network.Error(Values<T>(0.5), Values<T>(0.8))));
        }
    }

    /// <summary>B4.a: the error, then the error with the weight 0.01 higher and 0.01 lower (the notebook's cells).</summary>
    private sealed class HotColdProbe() : NetworkExample(ChapterId, "hot-cold-probe", "B4.a",
        "hot and cold, one probe each way: errors at weight 0.1, 0.1 + 0.01 and 0.1 - 0.01 (input 8.5, goal 1)", ExampleKnobs.None)
    {
        public override string Title(ExampleOptions options) => "hot and cold probes, weight 0.1, step 0.01, input 8.5, goal 1" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            T weight = Value<T>(0.1);
            T step = Value<T>(0.01);
            var network = Network<T>(0.1);
            var input = Values<T>(8.5);
            var goal = Values<T>(1);
            var value = network.Parameters["Weight"].Value;
            output.WriteLine(Str(network.Error(input, goal)));
            value[0] = weight + step;
            output.WriteLine(Str(network.Error(input, goal)));
            value[0] = weight - step;
            output.WriteLine(Str(network.Error(input, goal)));
        }
    }

    /// <summary>
    /// E4.2: hot and cold learning. No gradient: each iteration probes the error with the weight one step up and
    /// one step down, and moves the weight toward the smaller error.
    /// </summary>
    private sealed class HotAndCold() : NetworkExample(ChapterId, "hot-and-cold", "E4.2",
        "hot and cold learning: probe the weight ±0.001 and keep the better, 1101 iterations (weight 0.5, input 0.5, goal 0.8)",
        ExampleKnobs.Iterations)
    {
        public const int Iterations = 1101;

        public override string Title(ExampleOptions options) =>
            $"hot and cold learning, weight 0.5, input 0.5, goal 0.8, step 0.001, {Number(options.Iterations ?? Iterations)} iterations" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = Network<T>(0.5);
            var weightValue = network.Parameters["Weight"].Value;
            T weight = weightValue[0];
            var input = Values<T>(0.5);
            var goal = Values<T>(0.8);
            T stepAmount = Value<T>(0.001);
            int iterations = options.Iterations ?? Iterations;
            for (int i = 0; i < iterations; i++)
            {
                weightValue[0] = weight;
                T prediction = network.Predict(input);
                T error = network.Error(input, goal);
                output.WriteLine("Error:" + Str(error) + "    " + "Prediction:" + Str(prediction));
                output.WriteLine();

                weightValue[0] = weight + stepAmount;
                T upError = network.Error(input, goal);
                weightValue[0] = weight - stepAmount;
                T downError = network.Error(input, goal);

                if (downError < upError)
                {
                    weight -= stepAmount;
                }

                if (downError > upError)
                {
                    weight += stepAmount;
                }
            }

            weightValue[0] = weight;
        }
    }

    /// <summary>E4.3: <c>weight -= (pred - goal_pred) * input</c>, the gradient step without alpha.</summary>
    private sealed class DirectionAndAmount() : NetworkExample(ChapterId, "direction-and-amount", "E4.3",
        "direction and amount from the error: weight -= (pred - goal) * input, 20 iterations (weight 0.5, input 0.5, goal 0.8)",
        ExampleKnobs.Iterations)
    {
        public const int Iterations = 20;

        public override string Title(ExampleOptions options) =>
            $"direction and amount, weight 0.5, input 0.5, goal 0.8, {Number(options.Iterations ?? Iterations)} iterations" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output) =>
            Learn(Network<T>(0.5), 0.5, 0.8, T.One, options.Iterations ?? Iterations, "   ", output);
    }

    /// <summary>E4.4: gradient descent from weight 0.0 toward goal 0.8 with input 0.5.</summary>
    private sealed class GradientDescent() : NetworkExample(ChapterId, "gradient-descent", "E4.4",
        "gradient descent, (weight, goal, input) = (0.0, 0.8, 0.5), 4 iterations", ExampleKnobs.Iterations)
    {
        public const int Iterations = 4;

        public override string Title(ExampleOptions options) =>
            $"gradient descent, weight 0.0, goal 0.8, input 0.5, {Number(options.Iterations ?? Iterations)} iterations" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output) =>
            Learn(Network<T>(0.0), 0.5, 0.8, T.One, options.Iterations ?? Iterations, " ", output);
    }

    /// <summary>E4.5: gradient descent with input 1.1, printing the weight, delta and weight delta of every step.</summary>
    private sealed class GradientDescentSteps() : NetworkExample(ChapterId, "gradient-descent-steps", "E4.5",
        "several steps of learning with weight, delta and weight delta, (weight, goal, input) = (0.0, 0.8, 1.1), 4 iterations",
        ExampleKnobs.Iterations)
    {
        public const int Iterations = 4;

        public override string Title(ExampleOptions options) =>
            $"gradient descent steps, weight 0.0, goal 0.8, input 1.1, {Number(options.Iterations ?? Iterations)} iterations" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = Network<T>(0.0);
            var weight = network.Parameters["Weight"];
            var input = Values<T>(1.1);
            var goal = Values<T>(0.8);
            int iterations = options.Iterations ?? Iterations;
            for (int iteration = 0; iteration < iterations; iteration++)
            {
                output.WriteLine("-----\nWeight:" + Str(weight.Value[0]));
                T prediction = network.Predict(input);
                T error = network.Error(input, goal);
                T delta = network.Delta(input, goal);
                network.Backward(input, goal);
                network.ApplyGradients(T.One);
                output.WriteLine("Error:" + Str(error) + " Prediction:" + Str(prediction));
                output.WriteLine("Delta:" + Str(delta) + " Weight Delta:" + Str(weight.Gradient[0]));
            }
        }
    }

    /// <summary>E4.7: the same gradient descent with input 2 overcorrects and diverges.</summary>
    private sealed class BreakingGradientDescent() : NetworkExample(ChapterId, "breaking-gradient-descent", "E4.7",
        "breaking gradient descent: input 2 makes every step overshoot, 20 iterations (weight 0.5, goal 0.8)", ExampleKnobs.Iterations)
    {
        public const int Iterations = 20;

        public override string Title(ExampleOptions options) =>
            $"breaking gradient descent, weight 0.5, goal 0.8, input 2, {Number(options.Iterations ?? Iterations)} iterations" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output) =>
            Learn(Network<T>(0.5), 2, 0.8, T.One, options.Iterations ?? Iterations, " ", output);
    }

    /// <summary>E4.8: alpha 0.1 tames input 2: <c>weight -= alpha * input * (pred - goal)</c>.</summary>
    private sealed class Alpha() : NetworkExample(ChapterId, "alpha", "E4.8",
        "divergence and alpha: input 2 again, now with alpha 0.1, 20 iterations (weight 0.5, goal 0.8)",
        ExampleKnobs.Alpha | ExampleKnobs.Iterations)
    {
        public const double DefaultAlpha = 0.1;

        public const int Iterations = 20;

        public override string Title(ExampleOptions options) =>
            $"gradient descent with alpha {Number(options.Alpha ?? DefaultAlpha)}, weight 0.5, goal 0.8, input 2, {Number(options.Iterations ?? Iterations)} iterations" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output) =>
            Learn(Network<T>(0.5), 2, 0.8, Value<T>(options.Alpha ?? DefaultAlpha), options.Iterations ?? Iterations, "    ", output);
    }
}
