using ResNetKeras.Devices;

namespace ResNetKeras.Engine;

/// <summary>
/// Reverse-mode autodiff (TensorFlow's <c>tf.GradientTape</c>). While a tape is active on the current
/// thread, each op whose inputs include a watched tensor records its backward function; with no tape
/// active (inference) ops record nothing.
/// </summary>
/// <example><code>
/// using (var tape = new GradientTape())
/// {
///     tape.Watch(w.Value);
///     var loss = Op.Mean(Op.Relu(Op.MatMul(x, w.Value)));
///     var grads = tape.Gradient(loss, [w.Value]);
/// }
/// </code></example>
public sealed class GradientTape : IDisposable
{
    [ThreadStatic] private static GradientTape? current;

    private readonly GradientTape? previous;
    private readonly List<TapeEntry> records = new();
    private readonly HashSet<Tensor> tracked = new(ReferenceEqualityComparer.Instance);
    // How many recorded backward functions still read each buffer: a buffer nobody reads can go back to the pool.
    private readonly Dictionary<DeviceStorage, int> savedBuffers = new(ReferenceEqualityComparer.Instance);
    private bool disposed;
    private bool used;

    private sealed record TapeEntry(Tensor Output, Tensor[] Inputs, Tensor[] Saved, BackwardFunction Backward);

    /// <summary>Starts recording on the current thread (tapes nest; the innermost records).</summary>
    public GradientTape()
    {
        previous = current;
        current = this;
    }

    /// <summary>Whether an active tape exists on this thread.</summary>
    public static bool IsRecording => current is not null;

    /// <summary>Tracks <paramref name="tensor"/> so that gradients with respect to it can be taken.</summary>
    public void Watch(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        tracked.Add(tensor);
    }

    /// <summary>Tracks every tensor of <paramref name="tensors"/>.</summary>
    public void Watch(IEnumerable<Tensor> tensors)
    {
        foreach (var t in tensors) Watch(t);
    }

    /// <summary>
    /// Called by ops after computing <paramref name="output"/>: records the backward function when any
    /// input is tracked by the active tape. Cheap when no tape is active. <paramref name="saved"/> lists the tensors
    /// whose elements <paramref name="backward"/> reads (PyTorch's saved tensors; shapes do not count); null means
    /// the inputs and the output, the safe default. Buffers that no backward function reads can be recycled early.
    /// </summary>
    public static void Record(Tensor output, Tensor[] inputs, BackwardFunction backward, Tensor[]? saved = null)
    {
        var tape = current;
        if (tape is null) return;
        bool any = false;
        foreach (var t in inputs)
            if (t is not null && tape.tracked.Contains(t)) { any = true; break; }
        if (!any) return;
        saved ??= [.. inputs.Where(t => t is not null), output];
        foreach (var t in saved)
            tape.savedBuffers[t.Storage] = tape.savedBuffers.GetValueOrDefault(t.Storage) + 1;
        tape.tracked.Add(output);
        tape.records.Add(new TapeEntry(output, inputs, saved, backward));
    }

    /// <summary>Whether a backward function recorded by an active tape on this thread reads <paramref name="buffer"/>.</summary>
    internal static bool IsSaved(DeviceStorage buffer)
    {
        for (var tape = current; tape is not null; tape = tape.previous)
            if (tape.savedBuffers.ContainsKey(buffer)) return true;
        return false;
    }

    /// <summary>
    /// When set, <see cref="Gradient"/> returns each pooled buffer (<see cref="TensorScope"/>) to the pool as soon as
    /// the backward pass is done with it: gradients once consumed, forward buffers after the last backward function
    /// that reads them. The caller promises not to read tensors computed under the tape, other than the returned
    /// gradients, after <see cref="Gradient"/>. <c>Model</c>'s training step sets it; it roughly halves peak memory.
    /// </summary>
    internal bool RecyclesBuffers { get; set; }

    /// <summary>Whether the active tape (if any) tracks <paramref name="tensor"/>; ops use it to skip work.</summary>
    public static bool IsTracked(Tensor tensor) => current is { } tape && tape.tracked.Contains(tensor);

    /// <summary>
    /// Gradients of <paramref name="target"/> with respect to each source (a zero tensor for a source the
    /// target does not depend on). A non-scalar target is seeded with ones, as TensorFlow does.
    /// The tape can be asked once (TensorFlow's non-persistent tape). <paramref name="outputGradient"/>
    /// replaces the seed (TensorFlow's <c>output_gradients</c>).
    /// </summary>
    public Tensor[] Gradient(Tensor target, IReadOnlyList<Tensor> sources, Tensor? outputGradient = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sources);
        if (used) throw new InvalidOperationException("GradientTape.Gradient can only be called once on a non-persistent tape.");
        if (outputGradient is not null && !ShapeUtil.SameShape(outputGradient.ShapeSpan, target.ShapeSpan))
            throw new ArgumentException($"GradientTape.Gradient: outputGradient of shape {ShapeUtil.Format(outputGradient.ShapeSpan)} does not match the target of shape {ShapeUtil.Format(target.ShapeSpan)}.", nameof(outputGradient));
        used = true;
        // Stop recording while differentiating: backward functions run ops' kernels directly.
        var recording = current;
        current = null;
        try
        {
            var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance)
            {
                [target] = outputGradient ?? Tensor.Full(target.Device, target.Shape, 1f),
            };
            var sourceSet = new HashSet<Tensor>(sources, ReferenceEqualityComparer.Instance);
            // Buffers held by entries of grads: a gradient buffer may be shared (Add hands dy to every input).
            var gradBuffers = new Dictionary<DeviceStorage, int>(ReferenceEqualityComparer.Instance) { [grads[target].Storage] = 1 };
            var candidates = new List<DeviceStorage>();
            void Hold(DeviceStorage b) => gradBuffers[b] = gradBuffers.GetValueOrDefault(b) + 1;
            void Drop(DeviceStorage b)
            {
                if (--gradBuffers[b] == 0) gradBuffers.Remove(b);
                candidates.Add(b);
            }
            for (int r = records.Count - 1; r >= 0; r--)
            {
                var rec = records[r];
                if (!grads.TryGetValue(rec.Output, out var g)) continue;
                bool keep = sourceSet.Contains(rec.Output);
                if (!keep) grads.Remove(rec.Output);
                var needs = new bool[rec.Inputs.Length];
                for (int i = 0; i < needs.Length; i++) needs[i] = rec.Inputs[i] is not null && tracked.Contains(rec.Inputs[i]);
                var inGrads = rec.Backward(g, needs);
                for (int i = 0; i < rec.Inputs.Length; i++)
                {
                    if (!needs[i] || inGrads[i] is null) continue;
                    var input = rec.Inputs[i];
                    var gi = inGrads[i]!;
                    if (!ShapeUtil.SameShape(gi.ShapeSpan, input.ShapeSpan))
                        throw new InvalidOperationException($"GradientTape: gradient of shape {ShapeUtil.Format(gi.ShapeSpan)} for an input of shape {ShapeUtil.Format(input.ShapeSpan)}.");
                    if (grads.TryGetValue(input, out var existing))
                    {
                        var sum = Sum(existing, gi);
                        Drop(existing.Storage);
                        candidates.Add(gi.Storage);
                        gi = sum;
                    }
                    grads[input] = gi;
                    Hold(gi.Storage);
                }
                if (!keep) Drop(g.Storage);
                if (RecyclesBuffers)
                {
                    foreach (var t in rec.Saved)
                        if (--savedBuffers[t.Storage] == 0)
                        {
                            savedBuffers.Remove(t.Storage);
                            candidates.Add(t.Storage);
                        }
                    foreach (var b in candidates)
                        if (!gradBuffers.ContainsKey(b) && !savedBuffers.ContainsKey(b)) TensorScope.Release(b);
                }
                candidates.Clear();
            }
            var result = new Tensor[sources.Count];
            for (int i = 0; i < result.Length; i++)
                result[i] = grads.TryGetValue(sources[i], out var gs) ? gs : Tensor.Zeros(sources[i].Device, sources[i].Shape);
            return result;
        }
        finally
        {
            current = recording;
            records.Clear();
            savedBuffers.Clear();
        }
    }

    // Accumulation allocates a fresh tensor: a backward function may hand the same gradient
    // tensor to several inputs (Add does), so adding in place could corrupt a sibling's gradient.
    private static Tensor Sum(Tensor a, Tensor b)
    {
        var r = Tensor.Rent(a.Device, a.Shape, zeroed: false);
        a.Device.AddN([a.Storage, b.Storage], r.Storage, relu: false);
        return r;
    }

    /// <summary>Stops recording and restores the enclosing tape.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (ReferenceEquals(current, this)) current = previous;
        records.Clear();
        tracked.Clear();
        savedBuffers.Clear();
    }
}
