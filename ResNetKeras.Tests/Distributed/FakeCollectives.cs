using ResNetKeras.Distributed;

namespace ResNetKeras.Tests.Distributed;

/// <summary>
/// A worker of a pretend job, for testing the strategy without MPI: rank and size as given; the all-reduce adds what
/// <see cref="Peers"/> says the other workers contributed; a broadcast hands the buffer to <see cref="Root"/>, which
/// may overwrite it with the root's values (by default it keeps this worker's).
/// </summary>
internal sealed class FakeCollectives(int rank, int size) : ICollectives
{
    public int Rank => rank;
    public int Size => size;
    public string Name => "fake";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(1);
    public Func<int, int, float>? Peers { get; set; }
    public Action<Array>? Root { get; set; }
    public List<int[]> ReducedBucketLengths { get; } = [];

    public void AllReduce(IReadOnlyList<float[]> buffers, ReduceOp op = ReduceOp.Sum)
    {
        ReducedBucketLengths.Add(buffers.Select(b => b.Length).ToArray());
        for (int b = 0; b < buffers.Count; b++)
            for (int i = 0; i < buffers[b].Length; i++)
            {
                buffers[b][i] += Peers?.Invoke(b, i) ?? 0;
                if (op == ReduceOp.Mean) buffers[b][i] /= size;
            }
    }

    public void Broadcast<T>(T[] buffer, int root = 0) where T : unmanaged => Root?.Invoke(buffer);

    public void Barrier() { }

    public void Dispose() { }
}
