using ResNetKeras.Devices;
using ResNetKeras.Engine;

namespace ResNetKeras.Ops;

/// <summary>Argument checks shared by the ops; messages name the op, the parameter and the shapes.</summary>
internal static class OpCheck
{
    public static void NotNull(string op, string param, object? value)
    {
        if (value is null) throw new ArgumentNullException(param, $"{op}: `{param}` must not be null.");
    }

    public static void Rank(string op, string param, Tensor t, int rank, string layout)
    {
        NotNull(op, param, t);
        if (t.Rank != rank)
            throw new ArgumentException($"{op}: expected `{param}` of rank {rank} {layout}; received shape {ShapeUtil.Format(t.ShapeSpan)} (rank {t.Rank}).", param);
    }

    public static void SameShape(string op, string pa, Tensor a, string pb, Tensor b)
    {
        if (!ShapeUtil.SameShape(a.ShapeSpan, b.ShapeSpan))
            throw new ArgumentException($"{op}: `{pa}` of shape {ShapeUtil.Format(a.ShapeSpan)} and `{pb}` of shape {ShapeUtil.Format(b.ShapeSpan)} must have the same shape.", pb);
    }

    public static void Positive(string op, string param, int value)
    {
        if (value <= 0)
            throw new ArgumentException($"{op}: invalid value for argument `{param}`. Expected a strictly positive value. Received {param}={value}.", param);
    }

    /// <summary>Parses Keras's padding strings (case-insensitive, as Keras normalizes them).</summary>
    public static bool IsSame(string op, string padding)
    {
        NotNull(op, "padding", padding);
        return padding.ToLowerInvariant() switch
        {
            "same" => true,
            "valid" => false,
            _ => throw new ArgumentException($"{op}: invalid value for argument `padding`. Expected one of {{\"valid\", \"same\"}}. Received padding={padding}.", nameof(padding)),
        };
    }

    /// <summary>An output buffer of t's shape on t's device; uninitialized, because every kernel writing into it overwrites it whole.</summary>
    public static Tensor Like(Tensor t) => Tensor.Rent(t.Device, t.Shape, zeroed: false);

    /// <summary>The one device holding every given tensor (nulls skipped); tensors on different devices are an error, as in TensorFlow.</summary>
    public static IDevice SameDevice(string op, params Tensor?[] tensors) => SameDevice(op, (IReadOnlyList<Tensor?>)tensors);

    /// <inheritdoc cref="SameDevice(string, Tensor?[])"/>
    public static IDevice SameDevice(string op, IReadOnlyList<Tensor?> tensors)
    {
        IDevice? device = null;
        foreach (var t in tensors)
        {
            if (t is null) continue;
            if (device is null) device = t.Device;
            else if (!ReferenceEquals(device, t.Device))
                throw new ArgumentException($"{op}: expected all tensors on one device; received tensors on '{device.Name}' and '{t.Device.Name}'. Move them with Tensor.To(device).");
        }
        return device ?? DeviceRegistry.Current;
    }
}
