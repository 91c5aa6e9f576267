namespace Graph.Runtime;

/// <summary>The update rule of an <see cref="Optimizer"/>, which also says what state it keeps per parameter element.</summary>
public enum OptimizerKind
{
    /// <summary>Plain stochastic gradient descent: <c>w -= rate · g</c>; no state.</summary>
    Sgd,

    /// <summary>SGD with momentum (heavy ball or Nesterov): one velocity per element.</summary>
    Momentum,

    /// <summary>Adam: the first and second moment estimates per element.</summary>
    Adam,

    /// <summary>Adam with decoupled weight decay: Adam's moments per element.</summary>
    AdamW,
}
