namespace ResNetKeras.Distributed;

/// <summary>
/// A collective operation waited longer than <see cref="ICollectives.Timeout"/> for the other workers: one of them
/// died, hangs, or is far slower than this one. The job cannot continue (the collective cannot be withdrawn), so the
/// MPI implementation also ends the whole job when this exception goes unhandled or its collectives are disposed.
/// </summary>
public sealed class CollectiveTimeoutException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public CollectiveTimeoutException(string message) : base(message) { }
}
