using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>Pads height and width with zeros (Keras's ZeroPadding2D).</summary>
    public static Tensor ZeroPad2D(Tensor x, int top, int bottom, int left, int right)
    {
        const string op = "ZeroPad2D";
        OpCheck.Rank(op, "x", x, 4, "(batch, height, width, channels)");
        if (top < 0 || bottom < 0 || left < 0 || right < 0)
            throw new ArgumentException($"{op}: expected non-negative padding; received top={top}, bottom={bottom}, left={left}, right={right}.", nameof(top));
        int n = x.Dim(0), h = x.Dim(1), w = x.Dim(2), c = x.Dim(3);
        var y = Tensor.Rent(x.Device, [n, h + top + bottom, w + left + right, c], zeroed: false);
        x.Device.ZeroPad2D(x.Storage, y.Storage, n, h, w, c, top, bottom, left, right);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.Crop2D(dy.Storage, dx.Storage, n, h, w, c, top, bottom, left, right);
            return [dx];
        }, saved: []);
        return y;
    }
}
