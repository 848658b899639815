namespace ResNetKeras.Kernels;

/// <summary>How an affine transform reads outside the image (TensorFlow's ImageProjectiveTransformV3 <c>fill_mode</c>).</summary>
public enum AffineFillMode
{
    /// <summary>d c b a | a b c d | d c b a: reflected about the edge of the last pixel.</summary>
    Reflect,
    /// <summary>a b c d | a b c d | a b c d.</summary>
    Wrap,
    /// <summary>k k k k | a b c d | k k k k with k the fill value.</summary>
    Constant,
    /// <summary>a a a a | a b c d | d d d d.</summary>
    Nearest,
}
