namespace Graph.Runtime;

/// <summary>
/// A training step's loss was not finite (NaN or an infinity), so training has diverged; the step left the
/// parameters as they were. It is an <see cref="ArithmeticException"/>, so code that handles arithmetic failures in
/// general catches it too, but a caller can tell divergence apart from every other arithmetic error by its type.
/// </summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception with a message that names the model and the loss.</summary>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }
}
