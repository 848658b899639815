namespace ResNetKeras.Keras;

/// <summary>
/// Which Keras's numerics a layer follows where the two generations differ (README: "Keras 3 and tf.keras 2.x").
/// There is no Keras equivalent: each Keras release simply has its own behaviour.
/// </summary>
public enum KerasGeneration
{
    /// <summary>tf.keras 2.x (the tutorial's Keras): BatchNormalization's moving variance takes the n/(n-1)-corrected batch variance of 4-D inputs (TensorFlow's fused kernel).</summary>
    TfKeras2,

    /// <summary>Keras 3: BatchNormalization's moving variance takes the biased batch variance.</summary>
    Keras3,
}
