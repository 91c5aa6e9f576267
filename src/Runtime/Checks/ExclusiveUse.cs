namespace Graph.Runtime;

/// <summary>
/// Keeps a model instance to one thread at a time. A compiled model's buffers, gradients and optimizer state belong
/// to its instance, so two threads inside one instance would overwrite each other's values: every generated public
/// method enters here first, and a thread that enters while another thread is inside the instance gets an
/// <see cref="InvalidOperationException"/> before anything is read or written. One interlocked operation per call;
/// the thread inside may enter again (one generated method calling another). Instances share nothing, so each thread
/// may train its own.
/// </summary>
public sealed class ExclusiveUse
{
    private readonly string model;
    private int holder;

    /// <param name="model">The model's class name, for the message.</param>
    public ExclusiveUse(string model)
    {
        ArgumentException.ThrowIfNullOrEmpty(model);
        this.model = model;
    }

    /// <summary>Takes the instance for the calling thread until the lease is disposed.</summary>
    /// <exception cref="InvalidOperationException">Another thread is inside the instance.</exception>
    public Lease Enter()
    {
        int thread = Environment.CurrentManagedThreadId;
        int held = Interlocked.CompareExchange(ref holder, thread, 0);
        if (held == 0)
        {
            return new Lease(this);
        }

        if (held == thread)
        {
            return default;
        }

        throw new InvalidOperationException(
            $"This {model} is in use by another thread (managed thread {held}). A model instance is not thread-safe: its buffers, gradients and optimizer state are its own, so give each thread its own instance (instances are independent).");
    }

    private void Release() => Volatile.Write(ref holder, 0);

    /// <summary>The calling thread's hold on the instance; disposing it lets other threads in (a re-entry's lease releases nothing).</summary>
    public readonly ref struct Lease
    {
        private readonly ExclusiveUse? owner;

        internal Lease(ExclusiveUse owner) => this.owner = owner;

        public void Dispose() => owner?.Release();
    }
}
