namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>apply_brightness_shift</c>: the image goes through a PIL image (<c>array_to_img</c>, uint8),
/// <c>ImageEnhance.Brightness(img).enhance(factor)</c> and back (<c>img_to_array</c>, float32), with NumPy's float32
/// arithmetic for the scaling. Every step is element-wise given the image's global minimum and maximum.
/// </summary>
internal static class PilBrightness
{
    /// <summary>
    /// Applies the shift in place. <paramref name="keras29"/> selects Keras 2.9+ (scale only when the image leaves
    /// [0, 255], by subtracting the minimum, and map back afterwards); otherwise keras_preprocessing 1.1 (always scale:
    /// add max(−min, 0), divide by the maximum, times 255; the original range is lost).
    /// </summary>
    public static void Apply(Span<float> x, int channels, int channelStride, double factor, bool keras29)
    {
        // array_to_img accepts grayscale, RGB and RGBA only.
        if (channels is not (1 or 3 or 4))
            throw new ArgumentException($"Unsupported channel number: {channels}. Brightness shifts go through a PIL image, which needs 1, 3 or 4 channels.", nameof(channels));
        if (x.Length == 0) return;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in x)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        bool localScale = min < 0 || max > 255;
        bool scale = !keras29 || localScale;
        if (scale)
        {
            // 1.1: x + max(-min, 0); 2.9+: x - min. Both in float32, then /= max and *= 255 in float32.
            float shift = keras29 ? -min : Math.Max(-min, 0f);
            float scaledMax = float.NegativeInfinity;
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = keras29 ? x[i] - min : x[i] + shift;
                if (x[i] > scaledMax) scaledMax = x[i];
            }
            for (int i = 0; i < x.Length; i++)
            {
                float v = x[i];
                if (scaledMax != 0) v /= scaledMax;
                x[i] = v * 255f;
            }
        }
        // PIL's ImagingBlend with a black image and a C float alpha: (UINT8)(0 + alpha·in2), clipped when extrapolating.
        float alpha = (float)factor;
        bool interpolate = alpha >= 0 && alpha <= 1.0;
        for (int i = 0; i < x.Length; i++)
        {
            byte u8 = ToUInt8(x[i]);
            // ImageEnhance.Brightness puts the image's own alpha band into its black image, so alpha is only quantized.
            if (channels == 4 && i / channelStride % channels == 3)
            {
                x[i] = u8;
                continue;
            }
            float temp = alpha * u8;
            x[i] = interpolate ? (byte)temp : temp <= 0 ? 0 : temp >= 255 ? 255 : (byte)temp;
        }
        if (keras29 && localScale)
        {
            float range = max - min;
            for (int i = 0; i < x.Length; i++) x[i] = x[i] / 255f * range + min;
        }
    }

    /// <summary>NumPy's float32 → uint8 <c>astype</c> for values in [0, 255]: truncation.</summary>
    private static byte ToUInt8(float v) => v >= 0 && v < 256 ? (byte)v : unchecked((byte)(int)v);
}
