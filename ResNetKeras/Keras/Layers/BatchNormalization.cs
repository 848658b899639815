using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.BatchNormalization</c> over the last axis: batch statistics and a moving-average
/// update in training (Bessel-corrected variance for 4-D inputs, Keras's fused path), moving statistics
/// in inference. Weights gamma, beta (trainable), moving_mean, moving_variance (non-trainable).
/// </summary>
public sealed class BatchNormalization : Layer
{
    private Variable? gamma, beta, movingMean, movingVariance;

    /// <summary>Keras's signature with its defaults (momentum 0.99, epsilon 1e-3).</summary>
    public BatchNormalization(int axis = -1, double momentum = 0.99, double epsilon = 1e-3, bool center = true, bool scale = true,
        Initializer? betaInitializer = null, Initializer? gammaInitializer = null,
        Initializer? movingMeanInitializer = null, Initializer? movingVarianceInitializer = null,
        string? name = null, bool trainable = true)
        : base(name, trainable)
    {
        if (axis != -1 && axis != 3)
            throw new ArgumentException($"Invalid value for argument `axis`. Expected -1 (channels_last; 3 for 4-D inputs). Received axis={axis}.", nameof(axis));
        if (!(momentum >= 0 && momentum <= 1))
            throw new ArgumentException($"Invalid value for argument `momentum`. Expected a float in [0, 1]. Received momentum={momentum}.", nameof(momentum));
        if (!(epsilon > 0))
            throw new ArgumentException($"Invalid value for argument `epsilon`. Expected a strictly positive float. Received epsilon={epsilon}.", nameof(epsilon));
        Axis = axis;
        Momentum = momentum;
        Epsilon = epsilon;
        Center = center;
        Scale = scale;
        BetaInitializer = betaInitializer ?? new Zeros();
        GammaInitializer = gammaInitializer ?? new Ones();
        MovingMeanInitializer = movingMeanInitializer ?? new Zeros();
        MovingVarianceInitializer = movingVarianceInitializer ?? new Ones();
    }

    /// <summary>Normalized axis (channels).</summary>
    public int Axis { get; }
    /// <summary>Moving-average momentum.</summary>
    public double Momentum { get; }
    /// <summary>Variance epsilon.</summary>
    public double Epsilon { get; }
    /// <summary>Whether beta is used.</summary>
    public bool Center { get; }
    /// <summary>Whether gamma is used.</summary>
    public bool Scale { get; }
    /// <summary>Beta initializer.</summary>
    public Initializer BetaInitializer { get; }
    /// <summary>Gamma initializer.</summary>
    public Initializer GammaInitializer { get; }
    /// <summary>Moving mean initializer.</summary>
    public Initializer MovingMeanInitializer { get; }
    /// <summary>Moving variance initializer.</summary>
    public Initializer MovingVarianceInitializer { get; }

    /// <summary>
    /// Whose moving-variance update training follows: tf.keras 2.x (default; n/(n-1)-corrected batch variance for 4-D
    /// inputs, as TensorFlow's fused kernel) or Keras 3 (biased batch variance). Not part of the Keras config.
    /// </summary>
    public KerasGeneration Generation { get; set; } = KerasGeneration.TfKeras2;

    /// <inheritdoc/>
    protected override void Build(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length < 2 || s[^1] < 0) throw ShapeError("min_ndim=2 with a defined channel axis", s);
        int c = s[^1];
        if (Scale) gamma = AddWeight("gamma", [c], GammaInitializer);
        if (Center) beta = AddWeight("beta", [c], BetaInitializer);
        movingMean = AddWeight("moving_mean", [c], MovingMeanInitializer, trainable: false);
        movingVariance = AddWeight("moving_variance", [c], MovingVarianceInitializer, trainable: false);
    }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length < 2 || s[^1] != movingMean!.Value.Size) throw ShapeError($"axis -1 of input shape to have value {movingMean!.Value.Size}", s);
        return s;
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Normalize(inputs[0], training, relu: false);

    internal override bool FusesRelu => true;

    internal override Tensor ForwardRelu(IReadOnlyList<Tensor> inputs, bool training) => Normalize(inputs[0], training, relu: true);

    private Tensor Normalize(Tensor x, bool training, bool relu)
    {
        // A frozen BN layer runs in inference mode even inside fit, as in TF2 Keras.
        if (training && Trainable)
        {
            return Op.BatchNormTraining(x, gamma?.Value, beta?.Value, (float)Epsilon, movingMean!.Value, movingVariance!.Value,
                (float)Momentum, besselCorrection: x.Rank == 4 && Generation == KerasGeneration.TfKeras2, relu);
        }
        return Op.BatchNormInference(x, gamma?.Value, beta?.Value, movingMean!.Value, movingVariance!.Value, (float)Epsilon, relu);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["axis"] = Axis;
        c["momentum"] = Momentum;
        c["epsilon"] = Epsilon;
        c["center"] = Center;
        c["scale"] = Scale;
        c["beta_initializer"] = Serialization.Serialize(BetaInitializer);
        c["gamma_initializer"] = Serialization.Serialize(GammaInitializer);
        c["moving_mean_initializer"] = Serialization.Serialize(MovingMeanInitializer);
        c["moving_variance_initializer"] = Serialization.Serialize(MovingVarianceInitializer);
        c["beta_regularizer"] = null;
        c["gamma_regularizer"] = null;
        c["beta_constraint"] = null;
        c["gamma_constraint"] = null;
        return c;
    }
}
