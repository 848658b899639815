using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>Average pooling over NHWC (<c>tf.nn.avg_pool2d</c>); with "same", only in-bounds cells are averaged.</summary>
    public static Tensor AvgPool2D(Tensor x, int poolH, int poolW, int strideH, int strideW, string padding) =>
        Pool("AvgPool2D", false, x, poolH, poolW, strideH, strideW, padding);

    /// <summary>Max pooling over NHWC (<c>tf.nn.max_pool2d</c>); padding never wins the max.</summary>
    public static Tensor MaxPool2D(Tensor x, int poolH, int poolW, int strideH, int strideW, string padding) =>
        Pool("MaxPool2D", true, x, poolH, poolW, strideH, strideW, padding);

    /// <summary>Mean over height and width: (N, H, W, C) → (N, C) (Keras's GlobalAveragePooling2D).</summary>
    public static Tensor GlobalAvgPool2D(Tensor x)
    {
        OpCheck.Rank("GlobalAvgPool2D", "x", x, 4, "(batch, height, width, channels)");
        return Reshape(Pool("GlobalAvgPool2D", false, x, x.Dim(1), x.Dim(2), 1, 1, "valid"), x.Dim(0), x.Dim(3));
    }

    /// <summary>Max over height and width: (N, H, W, C) → (N, C) (Keras's GlobalMaxPooling2D).</summary>
    public static Tensor GlobalMaxPool2D(Tensor x)
    {
        OpCheck.Rank("GlobalMaxPool2D", "x", x, 4, "(batch, height, width, channels)");
        return Reshape(Pool("GlobalMaxPool2D", true, x, x.Dim(1), x.Dim(2), 1, 1, "valid"), x.Dim(0), x.Dim(3));
    }

    private static Tensor Pool(string op, bool max, Tensor x, int poolH, int poolW, int strideH, int strideW, string padding)
    {
        OpCheck.Rank(op, "x", x, 4, "(batch, height, width, channels)");
        OpCheck.Positive(op, "poolH", poolH);
        OpCheck.Positive(op, "poolW", poolW);
        OpCheck.Positive(op, "strideH", strideH);
        OpCheck.Positive(op, "strideW", strideW);
        bool same = OpCheck.IsSame(op, padding);
        int n = x.Dim(0), h = x.Dim(1), w = x.Dim(2), c = x.Dim(3);
        if (!same && (poolH > h || poolW > w))
            throw new ArgumentException($"{op}: pool size ({poolH}, {poolW}) is larger than the input of shape {ShapeUtil.Format(x.ShapeSpan)} with padding \"valid\"; expected pool sizes <= ({h}, {w}).", nameof(poolH));
        var g = ConvGeometry.Create(n, h, w, c, poolH, poolW, c, strideH, strideW, same);
        var y = Tensor.Rent(x.Device, [n, g.OutH, g.OutW, c], zeroed: false);
        x.Device.Pool2DForward(max, x.Storage, y.Storage, g);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.Pool2DBackward(max, x.Storage, dy.Storage, dx.Storage, g);
            return [dx];
        }, saved: [x]);
        return y;
    }
}
