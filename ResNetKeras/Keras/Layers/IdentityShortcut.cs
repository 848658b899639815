using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// The ResNet paper's option-A shortcut (He et al. 2015, Section 3.3): the identity, subsampled by <c>strides</c> and
/// padded with zero channels up to <c>filters</c>, so it adds no parameters. Keras has no such layer (users write a
/// Lambda); configs name it <c>IdentityShortcut</c>.
/// </summary>
public sealed class IdentityShortcut : Layer
{
    /// <summary>A shortcut to <paramref name="filters"/> channels with the given subsampling.</summary>
    public IdentityShortcut(int filters, int strides = 1, string? name = null) : base(name)
    {
        if (filters <= 0) throw new ArgumentException($"Invalid value for argument `filters`. Expected a strictly positive value. Received filters={filters}.", nameof(filters));
        if (strides <= 0) throw new ArgumentException($"Invalid value for argument `strides`. Expected a strictly positive value. Received strides={strides}.", nameof(strides));
        Filters = filters;
        Strides = strides;
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }
    /// <summary>Spatial subsampling.</summary>
    public int Strides { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 4) throw ShapeError("ndim=4 (batch, height, width, channels)", s);
        if (s[3] > Filters) throw ShapeError($"at most {Filters} channels", s);
        return [s[0], (s[1] + Strides - 1) / Strides, (s[2] + Strides - 1) / Strides, Filters];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var x = inputs[0];
        if (Strides > 1) x = Op.MaxPool2D(x, 1, 1, Strides, Strides, "same");
        int extra = Filters - x.Dim(3);
        if (extra == 0) return x;
        int n = x.Dim(0), h = x.Dim(1), w = x.Dim(2), c = x.Dim(3);
        // Channels padded through the 2-D zero-padding op by viewing each pixel's channels as one image row.
        var rows = Op.Reshape(x, n * h * w, 1, c, 1);
        var padded = Op.ZeroPad2D(rows, 0, 0, 0, extra);
        return Op.Reshape(padded, n, h, w, Filters);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["filters"] = Filters;
        c["strides"] = Strides;
        return c;
    }
}
