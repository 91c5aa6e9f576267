using System.Runtime.InteropServices;

namespace Graph.Distributed.Mpi;

/// <summary>
/// Open MPI's <c>libmpi</c>: the entry points the <see cref="Communicator"/> calls and the predefined handles it
/// passes. Open MPI's handles are not constants: <c>MPI_COMM_WORLD</c>, <c>MPI_DOUBLE</c> and <c>MPI_SUM</c> are the
/// addresses of the library's global objects <c>ompi_mpi_comm_world</c>, <c>ompi_mpi_double</c> and
/// <c>ompi_mpi_op_sum</c>, so they are looked up by name when the library is loaded.
/// </summary>
/// <remarks>
/// The library is opened with <c>RTLD_GLOBAL</c>, as <c>mpicc</c>-linked programs see it: Open MPI loads its
/// transports and collectives as plug-ins that resolve <c>libmpi</c>'s symbols from the global scope.
/// Handle types (communicator, datatype, operation, request, error handler) are pointers in Open MPI's ABI.
/// </remarks>
internal sealed unsafe class MpiLibrary
{
    /// <summary>The environment variable that names the library's path, to use another installation.</summary>
    public const string PathVariable = "GRAPH_MPI_LIBRARY";

    /// <summary><c>MPI_SUCCESS</c>.</summary>
    public const int Success = 0;

    /// <summary><c>MPI_THREAD_SERIALIZED</c>: any thread may call, one at a time.</summary>
    public const int ThreadSerialized = 2;

    /// <summary><c>MPI_MAX_ERROR_STRING</c> in Open MPI.</summary>
    public const int MaxErrorString = 256;

    /// <summary><c>MPI_IN_PLACE</c> in Open MPI's <c>mpi.h</c>: <c>((void *) 1)</c>.</summary>
    public static readonly void* InPlace = (void*)1;

    private const int RtldNow = 0x2;
    private const int RtldGlobal = 0x100;

    /// <summary>The names tried in turn: Open MPI 3 to 5 all ship <c>libmpi.so.40</c>.</summary>
    private static readonly string[] LibraryNames = ["libmpi.so.40", "libmpi.so"];

    private static readonly Lazy<MpiLibrary> Loaded = new(Load);

    private readonly nint handle;

    private MpiLibrary(nint handle, string name)
    {
        this.handle = handle;
        Name = name;
        Initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        Finalized = (delegate* unmanaged<int*, int>)Export("MPI_Finalized");
        InitThread = (delegate* unmanaged<int*, byte***, int, int*, int>)Export("MPI_Init_thread");
        Finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        CommRank = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)Export("MPI_Comm_size");
        CommSetErrhandler = (delegate* unmanaged<nint, nint, int>)Export("MPI_Comm_set_errhandler");
        ErrorString = (delegate* unmanaged<int, byte*, int*, int>)Export("MPI_Error_string");
        Abort = (delegate* unmanaged<nint, int, int>)Export("MPI_Abort");
        Ibarrier = (delegate* unmanaged<nint, nint*, int>)Export("MPI_Ibarrier");
        Ibcast = (delegate* unmanaged<void*, int, nint, int, nint, nint*, int>)Export("MPI_Ibcast");
        Iallreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, nint*, int>)Export("MPI_Iallreduce");
        Iallgather = (delegate* unmanaged<void*, int, nint, void*, int, nint, nint, nint*, int>)Export("MPI_Iallgather");
        Iallgatherv = (delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, nint*, int>)Export("MPI_Iallgatherv");
        Igatherv = (delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, int, nint, nint*, int>)Export("MPI_Igatherv");
        Iscatterv = (delegate* unmanaged<void*, int*, int*, nint, void*, int, nint, int, nint, nint*, int>)Export("MPI_Iscatterv");
        Test = (delegate* unmanaged<nint*, int*, void*, int>)Export("MPI_Test");

        CommWorld = Export("ompi_mpi_comm_world");
        Float = Export("ompi_mpi_float");
        Double = Export("ompi_mpi_double");
        Int = Export("ompi_mpi_int");
        Byte = Export("ompi_mpi_byte");
        Sum = Export("ompi_mpi_op_sum");
        ErrorsReturn = Export("ompi_mpi_errors_return");
    }

    /// <summary>The file the library was loaded from (as given to the loader).</summary>
    public string Name { get; }

    public delegate* unmanaged<int*, int> Initialized { get; }

    public delegate* unmanaged<int*, int> Finalized { get; }

    public delegate* unmanaged<int*, byte***, int, int*, int> InitThread { get; }

    public delegate* unmanaged<int> Finalize { get; }

    public delegate* unmanaged<nint, int*, int> CommRank { get; }

    public delegate* unmanaged<nint, int*, int> CommSize { get; }

    public delegate* unmanaged<nint, nint, int> CommSetErrhandler { get; }

    public delegate* unmanaged<int, byte*, int*, int> ErrorString { get; }

    public delegate* unmanaged<nint, int, int> Abort { get; }

    public delegate* unmanaged<nint, nint*, int> Ibarrier { get; }

    public delegate* unmanaged<void*, int, nint, int, nint, nint*, int> Ibcast { get; }

    public delegate* unmanaged<void*, void*, int, nint, nint, nint, nint*, int> Iallreduce { get; }

    public delegate* unmanaged<void*, int, nint, void*, int, nint, nint, nint*, int> Iallgather { get; }

    public delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, nint, nint*, int> Iallgatherv { get; }

    public delegate* unmanaged<void*, int, nint, void*, int*, int*, nint, int, nint, nint*, int> Igatherv { get; }

    public delegate* unmanaged<void*, int*, int*, nint, void*, int, nint, int, nint, nint*, int> Iscatterv { get; }

    public delegate* unmanaged<nint*, int*, void*, int> Test { get; }

    /// <summary><c>MPI_COMM_WORLD</c>.</summary>
    public nint CommWorld { get; }

    /// <summary><c>MPI_FLOAT</c>.</summary>
    public nint Float { get; }

    /// <summary><c>MPI_DOUBLE</c>.</summary>
    public nint Double { get; }

    /// <summary><c>MPI_INT</c>.</summary>
    public nint Int { get; }

    /// <summary><c>MPI_BYTE</c>.</summary>
    public nint Byte { get; }

    /// <summary><c>MPI_SUM</c>.</summary>
    public nint Sum { get; }

    /// <summary><c>MPI_ERRORS_RETURN</c>: failing calls return an error code instead of ending the process.</summary>
    public nint ErrorsReturn { get; }

    /// <summary>The library, loaded on first use.</summary>
    /// <exception cref="MpiUnavailableException">No Open MPI library could be loaded.</exception>
    public static MpiLibrary Get() => Loaded.Value;

    /// <summary>The datatype handle for <typeparamref name="T"/>: float, double, int or byte.</summary>
    public nint Datatype<T>()
        where T : unmanaged =>
        typeof(T) == typeof(double) ? Double
        : typeof(T) == typeof(float) ? Float
        : typeof(T) == typeof(int) ? Int
        : typeof(T) == typeof(byte) ? Byte
        : throw new NotSupportedException($"MPI transfers of {typeof(T).Name} are not supported; use double, float, int or byte.");

    /// <summary>The text Open MPI gives for an error code, e.g. <c>MPI_ERR_COUNT: invalid count argument</c>.</summary>
    public string Describe(int code)
    {
        byte* text = stackalloc byte[MaxErrorString + 1];
        int length = 0;
        if (ErrorString(code, text, &length) != Success || length <= 0)
        {
            return $"MPI error {code}";
        }

        return System.Text.Encoding.UTF8.GetString(text, Math.Min(length, MaxErrorString));
    }

    private nint Export(string name)
    {
        if (!NativeLibrary.TryGetExport(handle, name, out nint address))
        {
            throw new MpiUnavailableException(
                $"{Name} has no symbol '{name}': it is not Open MPI's libmpi (the handles such as MPI_COMM_WORLD are Open MPI's global objects). " +
                $"Install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev) or set {PathVariable} to Open MPI's libmpi.so.");
        }

        return address;
    }

    private static MpiLibrary Load()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new MpiUnavailableException($"Training across processes needs Open MPI on Linux; this is {RuntimeInformation.OSDescription}.");
        }

        var open = Dlopen();
        string? requested = Environment.GetEnvironmentVariable(PathVariable);
        string[] names = string.IsNullOrWhiteSpace(requested) ? LibraryNames : [requested];
        var problems = new List<string>();
        foreach (string name in names)
        {
            nint handle;
            fixed (byte* path = System.Text.Encoding.UTF8.GetBytes(name + "\0"))
            {
                handle = open.Open(path, RtldNow | RtldGlobal);
            }

            if (handle != 0)
            {
                return new MpiLibrary(handle, name);
            }

            problems.Add(open.LastError());
        }

        throw new MpiUnavailableException(
            $"Open MPI's libmpi could not be loaded ({string.Join("; ", problems)}). Install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev) " +
            $"or set {PathVariable} to the path of libmpi.so.");
    }

    /// <summary>The C library's <c>dlopen</c> and <c>dlerror</c> (in libc from glibc 2.34, in libdl before).</summary>
    private static DynamicLoader Dlopen()
    {
        foreach (string library in new[] { "libc.so.6", "libdl.so.2" })
        {
            if (NativeLibrary.TryLoad(library, out nint loader)
                && NativeLibrary.TryGetExport(loader, "dlopen", out nint open)
                && NativeLibrary.TryGetExport(loader, "dlerror", out nint error))
            {
                return new DynamicLoader((delegate* unmanaged<byte*, int, nint>)open, (delegate* unmanaged<byte*>)error);
            }
        }

        throw new MpiUnavailableException("The C library's dlopen was not found (looked in libc.so.6 and libdl.so.2), so libmpi cannot be loaded.");
    }

    private readonly struct DynamicLoader(delegate* unmanaged<byte*, int, nint> open, delegate* unmanaged<byte*> error)
    {
        public nint Open(byte* path, int flags) => open(path, flags);

        public string LastError()
        {
            byte* text = error();
            return text is null ? "dlopen failed" : Marshal.PtrToStringUTF8((nint)text) ?? "dlopen failed";
        }
    }
}
