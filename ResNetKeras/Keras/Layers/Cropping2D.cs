using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.Cropping2D(cropping=((0, 0), (0, 0)))</c>: removes rows at the top/bottom and columns at the
/// left/right; an int crops every side, (h, w) crops symmetrically.
/// </summary>
public sealed class Cropping2D : Layer
{
    /// <summary>Symmetric cropping: n, or (rows, cols); Keras's default crops nothing.</summary>
    public Cropping2D(IntPair? cropping = null, string? name = null)
        : this(((cropping ?? 0).First, (cropping ?? 0).First), ((cropping ?? 0).Second, (cropping ?? 0).Second), name) { }

    /// <summary>((top, bottom), (left, right)) cropping.</summary>
    public Cropping2D((int Top, int Bottom) rows, (int Left, int Right) cols, string? name = null) : base(name)
    {
        if (rows.Top < 0 || rows.Bottom < 0 || cols.Left < 0 || cols.Right < 0)
            throw new ArgumentException($"Invalid value for argument `cropping`. Expected non-negative values. Received cropping=(({rows.Top}, {rows.Bottom}), ({cols.Left}, {cols.Right})).", "cropping");
        Rows = rows;
        Cols = cols;
    }

    /// <summary>(top, bottom).</summary>
    public (int Top, int Bottom) Rows { get; }
    /// <summary>(left, right).</summary>
    public (int Left, int Right) Cols { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 4) throw ShapeError("ndim=4 (batch, height, width, channels)", s);
        if ((s[1] >= 0 && Rows.Top + Rows.Bottom >= s[1]) || (s[2] >= 0 && Cols.Left + Cols.Right >= s[2]))
            throw new ArgumentException("Values in `cropping` argument should be smaller than the corresponding spatial dimension of the input. " +
                $"Received: input_shape={KerasTensor.FormatShape(s)}, cropping=(({Rows.Top}, {Rows.Bottom}), ({Cols.Left}, {Cols.Right}))", "inputs");
        return [s[0], s[1] < 0 ? -1 : s[1] - Rows.Top - Rows.Bottom, s[2] < 0 ? -1 : s[2] - Cols.Left - Cols.Right, s[3]];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) =>
        Op.Crop2D(inputs[0], Rows.Top, Rows.Bottom, Cols.Left, Cols.Right);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["cropping"] = new object[] { new object[] { Rows.Top, Rows.Bottom }, new object[] { Cols.Left, Cols.Right } };
        c["data_format"] = "channels_last";
        return c;
    }

    /// <summary>The layer from its Keras config (<c>Cropping2D.from_config</c>): nested pairs, a pair or an int.</summary>
    internal static Cropping2D FromConfig(LayerConfigReader c)
    {
        var (rows, cols) = c.SidePairs("cropping");
        return new Cropping2D(rows, cols, c.ChannelsLastName);
    }
}
