using System.Collections;
using System.Numerics;

namespace Graph.Runtime;

/// <summary>The parameters of a model, in declaration order, addressable by name.</summary>
public sealed class ParameterSet<T> : IReadOnlyList<Parameter<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] parameters;

    public ParameterSet(params Parameter<T>[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            if (!names.Add(parameter.Name))
            {
                throw new ArgumentException($"Two parameters are named '{parameter.Name}'.", nameof(parameters));
            }
        }

        this.parameters = (Parameter<T>[])parameters.Clone();
    }

    public int Count => parameters.Length;

    /// <summary>The total number of elements over all parameters.</summary>
    public long TotalSize => parameters.Sum(p => (long)p.Size);

    public Parameter<T> this[int index] => parameters[index];

    public Parameter<T> this[string name]
    {
        get
        {
            foreach (var parameter in parameters)
            {
                if (parameter.Name == name)
                {
                    return parameter;
                }
            }

            throw new KeyNotFoundException($"The model has no parameter '{name}'; it has {string.Join(", ", parameters.Select(p => p.Name))}.");
        }
    }

    public IEnumerator<Parameter<T>> GetEnumerator() => ((IEnumerable<Parameter<T>>)parameters).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
