namespace Graph.Generator.IR;

/// <summary>
/// Every function of the model language, by name: each <see cref="DslFunction"/> and each <see cref="IDirectOp"/>
/// defined in this assembly. An op's file declares its functions and nothing registers them by hand, so adding an op
/// touches only its own file; a test checks that the names match <c>Graph.Ops</c> and the operators Discovery reads.
/// </summary>
internal static class DslFunctions
{
    private static readonly IReadOnlyDictionary<string, DslFunction> ByName = Collect();

    /// <summary>The function named <paramref name="name"/>, or null for a name the generator does not compile.</summary>
    public static DslFunction? Find(string name) => ByName.TryGetValue(name, out var function) ? function : null;

    /// <summary>Every name, in ordinal order.</summary>
    public static IEnumerable<string> Names => ByName.Keys.OrderBy(n => n, StringComparer.Ordinal);

    private static IReadOnlyDictionary<string, DslFunction> Collect()
    {
        var functions = new Dictionary<string, DslFunction>(StringComparer.Ordinal);
        foreach (var type in typeof(DslFunction).Assembly.GetTypes().Where(t => !t.IsAbstract && !t.IsInterface && t.DeclaringType != typeof(DslFunctions)).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            DslFunction? function = typeof(DslFunction).IsAssignableFrom(type) ? (DslFunction)Activator.CreateInstance(type)
                : typeof(IDirectOp).IsAssignableFrom(type) ? new Direct((Op)Activator.CreateInstance(type))
                : null;
            if (function is null)
            {
                continue;
            }

            if (functions.ContainsKey(function.Name))
            {
                throw new InvalidOperationException($"Two definitions of the model function '{function.Name}'.");
            }

            functions.Add(function.Name, function);
        }

        return functions;
    }

    /// <summary>An op applied to the call's arguments.</summary>
    private sealed class Direct : DslFunction
    {
        private readonly Op op;

        public Direct(Op op) => this.op = op;

        public override string Name => op.Name;

        public override Node Lower(DslCall call) => call.At.Builder.Apply(op, call.At.Origin, call.Arguments);
    }
}
