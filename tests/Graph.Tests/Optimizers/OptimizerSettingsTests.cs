using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Optimizers;

/// <summary>The optimizer settings, the learning-rate schedules and the state's bookkeeping.</summary>
public sealed class OptimizerSettingsTests
{
    public static TheoryData<string, string> InvalidSettings() => new()
    {
        { "learningRate", "sgd -1" },
        { "learningRate", "sgd NaN" },
        { "momentum", "momentum -0.1" },
        { "momentum", "nesterov 0" },
        { "beta1", "adam beta1 1" },
        { "beta2", "adam beta2 -0.5" },
        { "epsilon", "adam epsilon 0" },
        { "weightDecay", "adamw weightDecay -1" },
        { "MaxGradientNorm", "clip 0" },
        { "MaxGradientNorm", "clip inf" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void AnInvalidSettingIsRefusedByName(string setting, string how)
    {
        Action make = how switch
        {
            "sgd -1" => () => Optimizer.Sgd(-1),
            "sgd NaN" => () => Optimizer.Sgd(double.NaN),
            "momentum -0.1" => () => Optimizer.SgdWithMomentum(0.1, -0.1),
            "nesterov 0" => () => Optimizer.SgdWithMomentum(0.1, 0, nesterov: true),
            "adam beta1 1" => () => Optimizer.Adam(beta1: 1),
            "adam beta2 -0.5" => () => Optimizer.Adam(beta2: -0.5),
            "adam epsilon 0" => () => Optimizer.Adam(epsilon: 0),
            "adamw weightDecay -1" => () => Optimizer.AdamW(weightDecay: -1),
            "clip 0" => () => Optimizer.Adam().ClipGradientNorm(0),
            _ => () => Optimizer.Adam().ClipGradientNorm(double.PositiveInfinity),
        };

        var error = Assert.Throws<ArgumentOutOfRangeException>(make);
        Assert.Equal(setting, error.ParamName);
    }

    [Fact]
    public void StepDecayIsTheBooksRepeatedMultiplication()
    {
        var schedule = LearningRateSchedule.StepDecay(0.99, every: 3);
        double alpha = 0.05;
        for (int step = 0; step < 40; step++)
        {
            if (step > 0 && step % 3 == 0)
            {
                alpha *= 0.99;
            }

            Assert.Equal(alpha, schedule.RateAt(0.05, step));
        }
    }

    [Fact]
    public void CosineFallsFromTheRateToTheMinimumAndStays()
    {
        var schedule = LearningRateSchedule.Cosine(4, minimum: 0.01);
        Assert.Equal(0.1, schedule.RateAt(0.1, 0));
        Assert.Equal(0.01 + ((0.1 - 0.01) * (1 + Math.Cos(Math.PI / 4)) / 2), schedule.RateAt(0.1, 1));
        Assert.Equal(0.055, schedule.RateAt(0.1, 2), 15);
        Assert.Equal(0.01, schedule.RateAt(0.1, 4));
        Assert.Equal(0.01, schedule.RateAt(0.1, 1000));
        Assert.Equal(0.1, LearningRateSchedule.Constant.RateAt(0.1, 1000));
    }

    [Fact]
    public void AnInvalidScheduleIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.StepDecay(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.StepDecay(0.9, every: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(10, minimum: -1));
    }

    [Fact]
    public void TheStateCountsStepsAndForgetsThemOnReset()
    {
        var parameters = new ParameterSet<double>(new Parameter<double>("W", [2, 3]), new Parameter<double>("Fixed", [2], frozen: true));
        var state = new OptimizerState<double>(parameters);
        Assert.Null(state.Kind);
        Assert.True(state.Slot(0, 0).IsEmpty);

        var rule = state.Begin(Optimizer.Adam());
        Assert.Equal(0, state.Step);
        state.Complete(rule);

        Assert.Equal(OptimizerKind.Adam, state.Kind);
        Assert.Equal(1, state.Step);
        Assert.Equal(6, state.Slot(0, 1).Length);
        Assert.True(state.Slot(1, 0).IsEmpty);
        Assert.Equal(["exp_avg", "exp_avg_sq"], OptimizerState<double>.SlotNames(OptimizerKind.Adam));
        Assert.Equal(["momentum_buffer"], OptimizerState<double>.SlotNames(OptimizerKind.Momentum));

        state.Reset();
        Assert.Null(state.Kind);
        Assert.Equal(0, state.Step);
    }

    [Fact]
    public void ClippingANonFiniteNormIsDivergence()
    {
        var state = new OptimizerState<double>(new ParameterSet<double>(new Parameter<double>("W", [2])));
        var rule = state.Begin(Optimizer.Sgd(0.1).ClipGradientNorm(1));
        Assert.Throws<TrainingDivergedException>(() => rule.ClippedTo(double.PositiveInfinity));
        Assert.Throws<InvalidOperationException>(() => UpdateRule<double>.Sgd(0.1).ClippedTo(1));
        Assert.Equal(1 / (2 + 1e-6), rule.ClippedTo(4).GradientScale);
        Assert.Equal(2, rule.ClippedTo(4).GradientNorm);
        Assert.Equal(1.0, rule.ClippedTo(0.01).GradientScale);
    }
}
