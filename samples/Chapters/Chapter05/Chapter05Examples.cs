using System.Numerics;
using Graph.Samples.Examples;
using Graph.Samples.Formatting;

namespace Graph.Samples.Chapter05;

/// <summary>Chapter 5, generalised gradient descent: several weights learn at once.</summary>
public static class Chapter05Examples
{
    public const string ChapterId = "ch05";

    public const string ChapterTitle = "Generalizing gradient descent: learning multiple weights at a time";

    /// <summary>The chapter's examples in the book's order.</summary>
    public static IReadOnlyList<IExample> All { get; } =
    [
        new MultiInputGradientDescent(),
        new FrozenWeight(),
        new MultiOutputGradientDescent(),
        new MultiInMultiOutGradientDescent(),
    ];

    /// <summary>The first game: toes, win/loss record, fans.</summary>
    private static readonly double[] FirstGame = [8.5, 0.65, 1.2];

    /// <summary>
    /// The loop of E5.1 and E5.2: print the iteration, prediction, error, delta, the weights before the step and
    /// the weight deltas (the compiled gradient), then step.
    /// </summary>
    private static void Learn<T>(IThreeInputLearner<T> network, T alpha, int iterations, TextWriter output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var input = FirstGame.Select(T.CreateChecked).ToArray();
        T[] goal = [T.One];
        var weights = network.Parameters["Weights"];
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            T prediction = network.Predict(input);
            T error = network.Error(input, goal);
            T delta = network.Delta(input, goal);
            var before = weights.Value.ToArray();
            network.Backward(input, goal);
            network.ApplyGradients(alpha);

            output.WriteLine("Iteration:" + (iteration + 1));
            output.WriteLine("Pred:" + PythonFormat.Repr(prediction));
            output.WriteLine("Error:" + PythonFormat.Repr(error));
            output.WriteLine("Delta:" + PythonFormat.Repr(delta));
            output.WriteLine("Weights:" + PythonFormat.List<T>(before));
            output.WriteLine("Weight_Deltas:");

            // The book zeroes a frozen weight's delta with the int 0, which Python prints as 0.
            output.WriteLine(PythonFormat.List<T>(weights.Gradient, weights.FrozenElements));
            output.WriteLine();
        }
    }

    /// <summary>E5.1: three inputs, one output, 3 iterations; the book's alpha 0.01 (the notes ran 0.1).</summary>
    private sealed class MultiInputGradientDescent() : NetworkExample(ChapterId, "multi-input-gd", "E5.1",
        "gradient descent with three inputs: weights [0.1, 0.2, -0.1], goal 1, alpha 0.01 (the notes' log: --alpha 0.1), 3 iterations",
        ExampleKnobs.Alpha | ExampleKnobs.Iterations)
    {
        public const double DefaultAlpha = 0.01;

        public const int Iterations = 3;

        public override string Title(ExampleOptions options) =>
            $"three-input gradient descent, alpha {Number(options.Alpha ?? DefaultAlpha)}, {Number(options.Iterations ?? Iterations)} iterations" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output) =>
            Learn(new MultiInputLearner<T>(), Value<T>(options.Alpha ?? DefaultAlpha), options.Iterations ?? Iterations, output);
    }

    /// <summary>E5.2: as E5.1 with the first weight frozen and alpha 0.3.</summary>
    private sealed class FrozenWeight() : NetworkExample(ChapterId, "frozen-weight", "E5.2",
        "freezing one weight: E5.1 with weight 0 frozen ([Frozen(0)]), alpha 0.3, 3 iterations",
        ExampleKnobs.Alpha | ExampleKnobs.Iterations)
    {
        public const double DefaultAlpha = 0.3;

        public const int Iterations = 3;

        public override string Title(ExampleOptions options) =>
            $"three-input gradient descent with weight 0 frozen, alpha {Number(options.Alpha ?? DefaultAlpha)}, {Number(options.Iterations ?? Iterations)} iterations" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output) =>
            Learn(new FrozenWeightLearner<T>(), Value<T>(options.Alpha ?? DefaultAlpha), options.Iterations ?? Iterations, output);
    }

    /// <summary>E5.3: one input, three outputs, one step.</summary>
    private sealed class MultiOutputGradientDescent() : NetworkExample(ChapterId, "multi-output-gd", "E5.3",
        "gradient descent with three outputs: input 0.65, weights [0.3, 0.2, 0.9], goals [0.1, 1, 0.1], alpha 0.1, one step",
        ExampleKnobs.Alpha)
    {
        public const double DefaultAlpha = 0.1;

        public override string Title(ExampleOptions options) =>
            $"three-output gradient descent, alpha {Number(options.Alpha ?? DefaultAlpha)}, one step" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = new MultiOutputLearner<T>();
            network.Backward(Values<T>(0.65), Values<T>(0.1, 1, 0.1));
            network.ApplyGradients(Value<T>(options.Alpha ?? DefaultAlpha));
            var weights = network.Parameters["Weights"];
            output.WriteLine("Weights:" + StrList<T>(weights.Value));
            output.WriteLine("Weight Deltas:" + StrList<T>(weights.Gradient));
        }
    }

    /// <summary>E5.4: three inputs, three outputs, one step; the deltas are the book's outer(delta, input).</summary>
    private sealed class MultiInMultiOutGradientDescent() : NetworkExample(ChapterId, "multi-in-multi-out-gd", "E5.4",
        "gradient descent with three inputs and three outputs: weight deltas outer(delta, input), alpha 0.01, one step",
        ExampleKnobs.Alpha)
    {
        public const double DefaultAlpha = 0.01;

        public override string Title(ExampleOptions options) =>
            $"3x3 gradient descent, alpha {Number(options.Alpha ?? DefaultAlpha)}, one step" + PrecisionSuffix(options);

        protected override void Execute<T>(ExampleOptions options, TextWriter output)
        {
            var network = new MultiInMultiOutLearner<T>();
            network.Backward(Values<T>(FirstGame), Values<T>(0.1, 1, 0.1));
            network.ApplyGradients(Value<T>(options.Alpha ?? DefaultAlpha));
            var weights = network.Parameters["Weights"];
            output.WriteLine("Weights:" + PythonFormat.NestedList<T>(weights.Value, 3, 3));
            output.WriteLine("Weight_deltas:" + PythonFormat.NumpyArray<T>(weights.Gradient, 3, 3));
        }
    }
}
