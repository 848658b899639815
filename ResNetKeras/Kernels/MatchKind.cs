namespace ResNetKeras.Kernels;

/// <summary>The comparisons behind Keras's accuracy metrics, each giving 1 where a prediction counts as right, else 0.</summary>
public enum MatchKind
{
    /// <summary>Per row: argmax of the prediction equals argmax of the one-hot label (first maximum wins, as np.argmax).</summary>
    Argmax,
    /// <summary>Per row: argmax of the prediction equals the class index label.</summary>
    SparseArgmax,
    /// <summary>Per row: the labelled class is among the k largest predictions; ties at the boundary count as in (<c>tf.math.in_top_k</c>).</summary>
    SparseInTopK,
    /// <summary>Per element: prediction equals label (Keras's <c>Accuracy</c>).</summary>
    Equal,
    /// <summary>Per element: (prediction &gt; threshold) equals the label (Keras's <c>binary_accuracy</c>).</summary>
    Threshold,
}
