namespace Graph.Runtime;

/// <summary>
/// Work split into numbered parts that may run on different threads at once, each part touching only what no other
/// part touches. A kernel describes its work as a struct of pointers and sizes, and <see cref="WorkerPool.Run{TWork}"/>
/// calls <see cref="Run"/> once per part.
/// </summary>
internal interface IParallelWork
{
    /// <summary>Computes part <paramref name="part"/>.</summary>
    void Run(int part);
}
