using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ResNetKeras.Distributed;

/// <summary>
/// <see cref="ICollectives"/> over MPI between the processes that <c>mpirun</c> started (one or many machines): the
/// engine Horovod runs on. Open MPI's <c>libmpi.so.40</c> is loaded only when <see cref="Initialize(TimeSpan?)"/> is called (a
/// single-process run never touches it) and called through a handful of entry points (init, rank/size, the
/// non-blocking all-reduce, broadcast and barrier, test, abort, finalize) in Open MPI's ABI, whose handles are the
/// addresses of exported objects (<c>ompi_mpi_comm_world</c>, <c>ompi_mpi_float</c>, ...).
/// <para>
/// Faults: every collective is started non-blocking and polled; when the others have not joined within
/// <see cref="Timeout"/> (a worker died, hangs or is stopped) it writes a clear error to standard error and throws
/// <see cref="CollectiveTimeoutException"/>, and the job is ended with <c>MPI_Abort</c> when that exception goes
/// unhandled or the collectives are disposed afterwards (an unfinished collective cannot be withdrawn, so the process
/// could not finalize). A worker that dies outright is also noticed by <c>mpirun</c>, which ends the others.
/// </para>
/// </summary>
public sealed unsafe class MpiCollectives : ICollectives
{
    /// <summary>Environment variable naming the MPI library to load instead of <c>libmpi.so.40</c>.</summary>
    public const string LibraryVariable = "RESNETKERAS_MPI_LIBRARY";

    /// <summary>Environment variable overriding the default <see cref="Timeout"/>, in seconds.</summary>
    public const string TimeoutVariable = "RESNETKERAS_COLLECTIVE_TIMEOUT";

    /// <summary>The default bound on one collective's wait for the other workers.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(45);

    /// <summary>What to install, named in the error when the library is missing.</summary>
    internal const string InstallHint =
        "Install Open MPI: `apt-get install openmpi-bin libopenmpi-dev` (Debian/Ubuntu), `dnf install openmpi` (Fedora), " +
        "or set " + LibraryVariable + " to the full path of libmpi.so; then launch with `mpirun -np N dotnet app.dll`.";

    private const int MpiThreadSerialized = 2; // Open MPI's MPI_THREAD_SERIALIZED
    private static readonly nint InPlace = 1;  // Open MPI's MPI_IN_PLACE

    private static readonly object Gate = new();
    private static MpiCollectives? instance;
    private static bool finalized;

    private readonly nint comm, mpiFloat, mpiByte, opSum;
    private readonly delegate* unmanaged<nint, nint, int, nint, nint, nint, nint*, int> iallreduce;
    private readonly delegate* unmanaged<nint, int, nint, int, nint, nint*, int> ibcast;
    private readonly delegate* unmanaged<nint, nint*, int> ibarrier;
    private readonly delegate* unmanaged<int, nint*, int*, nint, int> testall;
    private readonly delegate* unmanaged<nint, int, int> abort;
    private readonly delegate* unmanaged<int> finalize;
    private readonly delegate* unmanaged<int, byte*, int*, int> errorString;
    private TimeSpan timeout;
    private volatile bool faulted;
    private bool disposed;

    private MpiCollectives(nint lib, string libraryName, TimeSpan timeout)
    {
        T Export<T>(string name) where T : unmanaged
        {
            if (!NativeLibrary.TryGetExport(lib, name, out var p))
                throw new DllNotFoundException($"The MPI library '{libraryName}' has no '{name}': it is not Open MPI (ResNetKeras calls Open MPI's ABI; MPICH and Intel MPI use other handles). {InstallHint}");
            var v = p;
            return *(T*)&v;
        }
        comm = Export<nint>("ompi_mpi_comm_world");
        mpiFloat = Export<nint>("ompi_mpi_float");
        mpiByte = Export<nint>("ompi_mpi_byte");
        opSum = Export<nint>("ompi_mpi_op_sum");
        var errorsReturn = Export<nint>("ompi_mpi_errors_return");
        var initialized = Export<nint>("MPI_Initialized");
        var initThread = Export<nint>("MPI_Init_thread");
        var commRank = Export<nint>("MPI_Comm_rank");
        var commSize = Export<nint>("MPI_Comm_size");
        var setErrhandler = Export<nint>("MPI_Comm_set_errhandler");
        iallreduce = (delegate* unmanaged<nint, nint, int, nint, nint, nint, nint*, int>)Export<nint>("MPI_Iallreduce");
        ibcast = (delegate* unmanaged<nint, int, nint, int, nint, nint*, int>)Export<nint>("MPI_Ibcast");
        ibarrier = (delegate* unmanaged<nint, nint*, int>)Export<nint>("MPI_Ibarrier");
        testall = (delegate* unmanaged<int, nint*, int*, nint, int>)Export<nint>("MPI_Testall");
        abort = (delegate* unmanaged<nint, int, int>)Export<nint>("MPI_Abort");
        finalize = (delegate* unmanaged<int>)Export<nint>("MPI_Finalize");
        errorString = (delegate* unmanaged<int, byte*, int*, int>)Export<nint>("MPI_Error_string");

        int flag = 0, provided = 0, rank = 0, size = 0;
        Check(((delegate* unmanaged<int*, int>)initialized)(&flag), "MPI_Initialized");
        if (flag == 0)
            Check(((delegate* unmanaged<nint, nint, int, int*, int>)initThread)(0, 0, MpiThreadSerialized, &provided), "MPI_Init_thread");
        // Errors come back as return codes, so they surface as exceptions with MPI's message rather than an abort.
        Check(((delegate* unmanaged<nint, nint, int>)setErrhandler)(comm, errorsReturn), "MPI_Comm_set_errhandler");
        Check(((delegate* unmanaged<nint, int*, int>)commRank)(comm, &rank), "MPI_Comm_rank");
        Check(((delegate* unmanaged<nint, int*, int>)commSize)(comm, &size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
        LibraryName = libraryName;
        this.timeout = timeout;
    }

    /// <summary>
    /// Whether this process was started by an MPI launcher (<c>mpirun</c>/<c>mpiexec</c>, Open MPI or PMIx/PMI
    /// environments): what <c>MultiWorkerMirroredStrategy</c> checks before it loads MPI at all.
    /// </summary>
    public static bool IsLaunchedByMpirun =>
        Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null
        || Environment.GetEnvironmentVariable("PMIX_RANK") is not null
        || Environment.GetEnvironmentVariable("PMI_SIZE") is not null;

    /// <summary>Whether MPI was loaded and initialized in this process.</summary>
    public static bool IsInitialized
    {
        get { lock (Gate) return instance is not null; }
    }

    /// <summary>
    /// Loads Open MPI (<c>libmpi.so.40</c>, or the library named by <c>RESNETKERAS_MPI_LIBRARY</c>) and initializes it
    /// once per process (<c>MPI_Init_thread</c>, serialized calls); later calls return the same instance until it is
    /// disposed. <paramref name="timeout"/> bounds every collective's wait (default 45 s, or
    /// <c>RESNETKERAS_COLLECTIVE_TIMEOUT</c> seconds). A missing library is a <see cref="DllNotFoundException"/> that says
    /// what to install.
    /// </summary>
    public static MpiCollectives Initialize(TimeSpan? timeout = null) => Initialize(null, timeout);

    internal static MpiCollectives Initialize(string? library, TimeSpan? timeout)
    {
        lock (Gate)
        {
            if (instance is not null) return instance;
            if (finalized)
                throw new InvalidOperationException("MPI was already finalized in this process (the MpiCollectives were disposed); MPI cannot be initialized twice. Keep one strategy for the life of the process.");
            var t = timeout ?? EnvironmentTimeout() ?? DefaultTimeout;
            CheckTimeout(t, nameof(timeout));
            var candidates = library is not null ? [library]
                : Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } env ? [env]
                : new[] { "libmpi.so.40", "libmpi.so" };
            nint lib = 0;
            string? loaded = null;
            var errors = new List<string>();
            foreach (var name in candidates)
            {
                try
                {
                    lib = NativeLibrary.Load(name);
                    loaded = name;
                    break;
                }
                catch (DllNotFoundException e) { errors.Add(e.Message); }
                catch (BadImageFormatException e) { errors.Add(e.Message); }
            }
            if (loaded is null)
                throw new DllNotFoundException($"MPI is needed for multi-worker training but the Open MPI library ({string.Join(" or ", candidates)}) could not be loaded. {InstallHint} (Loader: {string.Join(" | ", errors.Select(e => e.ReplaceLineEndings(" ")))})");
            instance = new MpiCollectives(lib, loaded, t);
            // An unhandled exception (a timeout, or any error on this worker) would leave the other workers waiting in a
            // collective until their own timeout; aborting the job ends them at once.
            AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
            AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
            return instance;
        }
    }

    private static TimeSpan? EnvironmentTimeout()
    {
        var s = Environment.GetEnvironmentVariable(TimeoutVariable);
        if (string.IsNullOrEmpty(s)) return null;
        if (!double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var sec) || !(sec > 0) || double.IsInfinity(sec))
            throw new ArgumentException($"Invalid value for the environment variable {TimeoutVariable}: '{s}'. Expected a positive number of seconds.", TimeoutVariable);
        return TimeSpan.FromSeconds(sec);
    }

    private static void CheckTimeout(TimeSpan t, string param)
    {
        if (t <= TimeSpan.Zero || t == System.Threading.Timeout.InfiniteTimeSpan)
            throw new ArgumentException($"Invalid value for argument `{param}`. Expected a positive, finite time span. Received {param}={t}.", param);
    }

    private static void OnUnhandledException(object? sender, UnhandledExceptionEventArgs e)
    {
        MpiCollectives? mpi;
        lock (Gate) mpi = instance;
        if (mpi is null) return;
        Console.Error.WriteLine($"[rank {mpi.Rank}] unhandled {e.ExceptionObject.GetType().Name}: ending the MPI job (MPI_Abort) so that the other workers do not wait for this one.");
        Console.Error.Flush();
        mpi.Abort(1);
    }

    private static void OnProcessExit(object? sender, EventArgs e)
    {
        MpiCollectives? mpi;
        lock (Gate) mpi = instance;
        mpi?.Dispose();
    }

    /// <inheritdoc/>
    public int Rank { get; }

    /// <inheritdoc/>
    public int Size { get; }

    /// <inheritdoc/>
    public string Name => "mpi";

    /// <summary>The MPI library that was loaded.</summary>
    public string LibraryName { get; }

    /// <summary>Whether a collective timed out: the job can only be aborted from here on.</summary>
    public bool Faulted => faulted;

    /// <inheritdoc/>
    public TimeSpan Timeout
    {
        get => timeout;
        set
        {
            CheckTimeout(value, nameof(Timeout));
            timeout = value;
        }
    }

    /// <inheritdoc/>
    public void AllReduce(IReadOnlyList<float[]> buffers, ReduceOp op = ReduceOp.Sum)
    {
        ArgumentNullException.ThrowIfNull(buffers);
        EnsureUsable();
        if (buffers.Count == 0) return;
        var handles = new GCHandle[buffers.Count];
        var requests = new nint[buffers.Count];
        int started = 0;
        try
        {
            for (int i = 0; i < buffers.Count; i++)
            {
                var b = buffers[i] ?? throw new ArgumentNullException(nameof(buffers), $"buffers[{i}] is null.");
                handles[i] = GCHandle.Alloc(b, GCHandleType.Pinned);
                nint req = 0;
                Check(iallreduce(InPlace, handles[i].AddrOfPinnedObject(), b.Length, mpiFloat, opSum, comm, &req), "MPI_Iallreduce");
                requests[i] = req;
                started++;
            }
            Wait(requests, started, $"all-reduce of {buffers.Count} bucket(s), {buffers.Sum(b => (long)b.Length) * 4:N0} bytes");
        }
        finally
        {
            // Buffers of a collective that never finished stay pinned: MPI may still write into them.
            if (!faulted)
                foreach (var h in handles) if (h.IsAllocated) h.Free();
        }
        if (op == ReduceOp.Mean)
            foreach (var b in buffers) System.Numerics.Tensors.TensorPrimitives.Divide(b, Size, b);
    }

    /// <inheritdoc/>
    public void Broadcast<T>(T[] buffer, int root = 0) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (root < 0 || root >= Size)
            throw new ArgumentOutOfRangeException(nameof(root), root, $"Broadcast: root must be a worker index in [0, {Size}).");
        EnsureUsable();
        long bytes = (long)buffer.Length * sizeof(T);
        const int chunk = 1 << 30;
        int n = (int)((bytes + chunk - 1) / chunk);
        if (n == 0) return;
        var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
        try
        {
            var requests = new nint[n];
            byte* p = (byte*)handle.AddrOfPinnedObject();
            for (int i = 0; i < n; i++)
            {
                nint req = 0;
                int count = (int)Math.Min(chunk, bytes - (long)i * chunk);
                Check(ibcast((nint)(p + (long)i * chunk), count, mpiByte, root, comm, &req), "MPI_Ibcast");
                requests[i] = req;
            }
            Wait(requests, n, $"broadcast of {bytes:N0} bytes from rank {root}");
        }
        finally
        {
            if (!faulted) handle.Free();
        }
    }

    /// <inheritdoc/>
    public void Barrier()
    {
        EnsureUsable();
        nint req = 0;
        Check(ibarrier(comm, &req), "MPI_Ibarrier");
        var requests = new[] { req };
        Wait(requests, 1, "barrier");
    }

    /// <summary>
    /// Polls the started requests until all complete (MPI progresses them inside the test calls), yielding the CPU
    /// between polls; past <see cref="Timeout"/> the worker reports the fault and gives up.
    /// </summary>
    private void Wait(nint[] requests, int count, string what)
    {
        var clock = Stopwatch.StartNew();
        int flag = 0;
        long polls = 0;
        fixed (nint* r = requests)
        {
            while (true)
            {
                Check(testall(count, r, &flag, 0), "MPI_Testall");
                if (flag != 0) return;
                var elapsed = clock.Elapsed;
                if (elapsed > timeout)
                {
                    faulted = true;
                    var message = $"[rank {Rank} of {Size}] {what}: the other workers did not join within {timeout.TotalSeconds:0.#} s; " +
                        "a worker died, hangs or is stopped (see mpirun's messages for which). Ending the job instead of waiting forever. " +
                        $"Raise the bound with MultiWorkerMirroredStrategy(timeout: ...) or {TimeoutVariable} if workers are legitimately this far apart.";
                    Console.Error.WriteLine(message);
                    Console.Error.Flush();
                    throw new CollectiveTimeoutException(message);
                }
                // Open MPI moves a large message fragment by fragment, each only inside a test call, so the poll must
                // not sleep while the transfer runs (a 1 ms sleep per fragment made a 1 MB all-reduce take 60 ms).
                // Yielding keeps the core available to other threads; after a second the peer is late, not
                // transferring, and the poll backs off a little.
                if (++polls % 1024 == 0 && elapsed.TotalSeconds > 1) Thread.Sleep(1);
                else Thread.Yield();
            }
        }
    }

    private void EnsureUsable()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (faulted) throw new InvalidOperationException("A collective of this job timed out before; the MPI job cannot continue and is being aborted.");
    }

    private void Check(int rc, string function)
    {
        if (rc == 0) return;
        var buf = stackalloc byte[512];
        int len = 0;
        string text = errorString is not null && errorString(rc, buf, &len) == 0 ? System.Text.Encoding.ASCII.GetString(buf, Math.Clamp(len, 0, 512)) : "unknown error";
        throw new InvalidOperationException($"[rank {Rank} of {Size}] {function} failed with MPI error {rc}: {text}.");
    }

    /// <summary>Ends every process of the job (<c>MPI_Abort</c>); does not return.</summary>
    public void Abort(int errorCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        abort(comm, errorCode);
    }

    /// <summary>
    /// Finalizes MPI (<c>MPI_Finalize</c>), or aborts the job when a collective timed out; MPI cannot be initialized
    /// again in this process.
    /// </summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (disposed) return;
            if (faulted) Abort(1);
            disposed = true;
            instance = null;
            finalized = true;
            AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;
            AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
            finalize();
        }
    }
}
