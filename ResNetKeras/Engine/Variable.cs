namespace ResNetKeras.Engine;

/// <summary>
/// A named, mutable weight (TensorFlow's <c>tf.Variable</c>): a layer's kernel, bias, BN statistics,
/// an optimizer slot. Its <see cref="Value"/> tensor keeps its identity for the variable's life, so a
/// tape that watched it sees every in-place update.
/// </summary>
public sealed class Variable
{
    /// <summary>A variable holding <paramref name="value"/>.</summary>
    public Variable(string name, Tensor value, bool trainable = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        Value = value;
        Trainable = trainable;
    }

    /// <summary>Full variable name as Keras writes it, e.g. <c>conv2d/kernel:0</c>.</summary>
    public string Name { get; set; }

    /// <summary>The current value; updated in place.</summary>
    public Tensor Value { get; }

    /// <summary>Whether optimizers update it (BN moving statistics are not trainable).</summary>
    public bool Trainable { get; set; }

    /// <summary>Shape of the value.</summary>
    public int[] Shape => Value.Shape;

    /// <summary>Copies <paramref name="values"/> into the variable (shape must match).</summary>
    public void Assign(ReadOnlySpan<float> values)
    {
        if (values.Length != Value.Size)
            throw new ArgumentException($"Variable '{Name}': cannot assign {values.Length} values to a variable of shape {ShapeUtil.Format(Value.ShapeSpan)} ({Value.Size} values).", nameof(values));
        Value.Device.CopyFromHost(values, Value.Storage);
    }

    /// <summary>Copies an array of the same shape into the variable.</summary>
    public void Assign(NDArray value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var shape = value.IntShape;
        if (!ShapeUtil.SameShape(shape, Value.ShapeSpan))
            throw new ArgumentException($"Variable '{Name}': expected shape {ShapeUtil.Format(Value.ShapeSpan)}, found shape {ShapeUtil.Format(shape)}.", nameof(value));
        if (value.typecode == NumSharp.NPTypeCode.Single)
        {
            Value.Device.CopyFromHost(value.ReadSpan<float>(), Value.Storage);
            return;
        }
        var f = new float[value.Count];
        value.CopyToFloat32(f);
        Value.Device.CopyFromHost(f, Value.Storage);
    }

    /// <summary>A host copy of the current value (waits for the device).</summary>
    public NDArray Numpy() => Value.ToNDArray();

    /// <inheritdoc/>
    public override string ToString() => $"Variable('{Name}', shape={ShapeUtil.Format(Value.ShapeSpan)}, trainable={Trainable})";
}
