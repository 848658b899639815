using ResNetKeras.Engine;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>Removes rows and columns at the borders of NHWC <paramref name="x"/> (Keras's Cropping2D); the gradient zero-pads back.</summary>
    public static Tensor Crop2D(Tensor x, int top, int bottom, int left, int right)
    {
        const string op = "Crop2D";
        OpCheck.Rank(op, "x", x, 4, "(batch, height, width, channels)");
        if (top < 0 || bottom < 0 || left < 0 || right < 0)
            throw new ArgumentException($"{op}: expected non-negative cropping; received top={top}, bottom={bottom}, left={left}, right={right}.", nameof(top));
        int n = x.Dim(0), h = x.Dim(1) - top - bottom, w = x.Dim(2) - left - right, c = x.Dim(3);
        if (h <= 0 || w <= 0)
            throw new ArgumentException($"{op}: cropping ({top}, {bottom}), ({left}, {right}) leaves nothing of the input of shape {ShapeUtil.Format(x.ShapeSpan)}.", nameof(top));
        var y = Tensor.Rent(x.Device, [n, h, w, c], zeroed: false);
        x.Device.Crop2D(x.Storage, y.Storage, n, h, w, c, top, bottom, left, right);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.ZeroPad2D(dy.Storage, dx.Storage, n, h, w, c, top, bottom, left, right);
            return [dx];
        }, saved: []);
        return y;
    }
}
