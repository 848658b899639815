using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.Dropout(rate, noise_shape=None, seed=None)</c>: inverted dropout in training, identity in inference.
/// The mask of the k-th training call is drawn from a generator seeded by (the layer's seed, k), and <c>Fit</c> sets k to
/// the optimizer's iteration count when it starts, so training resumed from a checkpoint draws the masks the
/// uninterrupted run would have. Without <c>seed</c> the layer's seed derives from the global seed
/// (<see cref="Utils.SetRandomSeed"/>; the n-th Dropout built gets the same one whatever else drew random numbers).
/// </summary>
public sealed class Dropout : Layer
{
    private readonly uint streamSeed;
    private long trainingCalls;

    /// <summary>A dropout layer.</summary>
    public Dropout(double rate, uint? seed = null, string? name = null) : base(name)
    {
        if (!(rate >= 0 && rate < 1))
            throw new ArgumentException($"Invalid value for argument `rate`. Expected a float value between 0 and 1. Received: rate={rate}.", nameof(rate));
        Rate = rate;
        Seed = seed;
        streamSeed = seed ?? Backend.DerivedSeed("dropout", counted: true);
    }

    /// <summary>Fraction of inputs dropped.</summary>
    public double Rate { get; }
    /// <summary>Seed, if given.</summary>
    public uint? Seed { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        return inputShapes[0];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        if (!training || Rate == 0) return inputs[0];
        long call = Interlocked.Increment(ref trainingCalls) - 1;
        return Op.Dropout(inputs[0], (float)Rate, new RandomState(Backend.Mix(streamSeed, "dropout.call", unchecked((uint)call))));
    }

    /// <summary>Training-mode calls so far (the k of the next mask's generator); <c>Fit</c> sets it to the optimizer's iterations.</summary>
    internal long TrainingCalls
    {
        get => Interlocked.Read(ref trainingCalls);
        set => Interlocked.Exchange(ref trainingCalls, value);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["rate"] = Rate;
        c["noise_shape"] = null;
        c["seed"] = Seed;
        return c;
    }
}
