namespace ResNetKeras.Distributed;

/// <summary>How <see cref="ICollectives.AllReduce"/> combines the workers' buffers (TensorFlow's <c>tf.distribute.ReduceOp</c>).</summary>
public enum ReduceOp
{
    /// <summary>Elementwise sum over workers.</summary>
    Sum,

    /// <summary>Elementwise sum over workers divided by the number of workers.</summary>
    Mean,
}
