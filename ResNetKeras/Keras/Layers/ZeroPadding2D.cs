using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.ZeroPadding2D(padding=(1, 1))</c>: an int pads all sides, (h, w) pads symmetrically.</summary>
public sealed class ZeroPadding2D : Layer
{
    /// <summary>Symmetric padding: n, or (rows, cols).</summary>
    public ZeroPadding2D(IntPair? padding = null, string? name = null)
        : this(((padding ?? 1).First, (padding ?? 1).First), ((padding ?? 1).Second, (padding ?? 1).Second), name) { }

    /// <summary>((top, bottom), (left, right)) padding.</summary>
    public ZeroPadding2D((int Top, int Bottom) rows, (int Left, int Right) cols, string? name = null) : base(name)
    {
        if (rows.Top < 0 || rows.Bottom < 0 || cols.Left < 0 || cols.Right < 0)
            throw new ArgumentException($"Invalid value for argument `padding`. Expected non-negative values. Received padding=(({rows.Top}, {rows.Bottom}), ({cols.Left}, {cols.Right})).", "padding");
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
        return [s[0], s[1] + Rows.Top + Rows.Bottom, s[2] + Cols.Left + Cols.Right, s[3]];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) =>
        Op.ZeroPad2D(inputs[0], Rows.Top, Rows.Bottom, Cols.Left, Cols.Right);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["padding"] = new object[] { new object[] { Rows.Top, Rows.Bottom }, new object[] { Cols.Left, Cols.Right } };
        c["data_format"] = "channels_last";
        return c;
    }

    /// <summary>The layer from its Keras config (<c>ZeroPadding2D.from_config</c>): nested pairs, a pair or an int.</summary>
    internal static ZeroPadding2D FromConfig(LayerConfigReader c)
    {
        var (rows, cols) = c.SidePairs("padding");
        return new ZeroPadding2D(rows, cols, c.ChannelsLastName);
    }
}
