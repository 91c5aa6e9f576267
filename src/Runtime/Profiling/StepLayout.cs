namespace Graph.Runtime;

/// <summary>
/// The steps of a compiled model's generated methods, in the order each method runs them: what a
/// <see cref="StepProfile"/> times. The generator writes one per model class (each step named by its node and the
/// source expression it computes, as the comment above the step's code says); the layout fixes what a profile's
/// <see cref="StepProfile.Record"/> calls mean.
/// </summary>
public sealed class StepLayout
{
    /// <param name="model">The model's class name.</param>
    /// <param name="methods">Each method's name and its steps' names, in the order the method runs them.</param>
    /// <exception cref="ArgumentException">The model's name is empty, a method has no name, or a step's name is null.</exception>
    public StepLayout(string model, params (string Name, string[] Steps)[] methods)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        ArgumentNullException.ThrowIfNull(methods);
        foreach (var (name, steps) in methods)
        {
            ArgumentException.ThrowIfNullOrEmpty(name, nameof(methods));
            ArgumentNullException.ThrowIfNull(steps, nameof(methods));
            if (Array.IndexOf(steps, null) >= 0)
            {
                throw new ArgumentException($"A step of {model}.{name} has no name.", nameof(methods));
            }
        }

        Model = model;
        Methods = [.. methods.Select(m => (m.Name, (IReadOnlyList<string>)[.. m.Steps]))];
    }

    /// <summary>The model's class name.</summary>
    public string Model { get; }

    /// <summary>Each method's name and its steps' names, in the order the method runs them.</summary>
    public IReadOnlyList<(string Name, IReadOnlyList<string> Steps)> Methods { get; }
}
