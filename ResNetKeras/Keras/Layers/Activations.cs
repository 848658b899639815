using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's activations (<c>keras.activations</c>): identifiers for layers' <c>activation</c> argument
/// (<see cref="Get"/>) and the functions themselves with Keras 3's arguments and defaults.
/// </summary>
public static class Activations
{
    private static readonly string[] Known =
        ["linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "silu", "softplus", "softsign", "sigmoid", "hard_sigmoid", "tanh", "exponential", "softmax", "log_softmax"];

    /// <summary>
    /// Checks and normalizes an identifier; null and "linear" mean none, "swish" is "silu" (Keras 3 serializes it so).
    /// Errors name <paramref name="paramName"/>.
    /// </summary>
    public static string Normalize(string? name, string paramName = "activation") => name switch
    {
        null or "linear" => "linear",
        "swish" => "silu",
        _ when Known.Contains(name) => name,
        _ => throw new ArgumentException($"Unknown activation function: '{name}'. Expected one of {string.Join(", ", Known)} (or swish). Received {paramName}={name}.", paramName),
    };

    /// <summary><c>keras.activations.get(identifier)</c>: the function for a name (null means linear).</summary>
    public static Func<Tensor, Tensor> Get(string? name)
    {
        string n = Normalize(name, nameof(name));
        return x => Apply(n, x);
    }

    /// <summary>Applies the named activation (with Keras's defaults) through ops.</summary>
    public static Tensor Apply(string name, Tensor x) => name switch
    {
        "linear" => x,
        "relu" => Op.Relu(x),
        "softmax" => Op.Softmax(x),
        "sigmoid" => Op.Sigmoid(x),
        "tanh" => Op.Tanh(x),
        "relu6" => Op.Relu6(x),
        "leaky_relu" => Op.LeakyRelu(x),
        "elu" => Op.Elu(x),
        "selu" => Op.Selu(x),
        "gelu" => Op.Gelu(x),
        "silu" or "swish" => Op.Silu(x),
        "softplus" => Op.Softplus(x),
        "softsign" => Op.Softsign(x),
        "hard_sigmoid" => Op.HardSigmoid(x),
        "exponential" => Op.Exponential(x),
        "log_softmax" => Op.LogSoftmax(x),
        _ => throw new ArgumentException($"Unknown activation function: '{name}'. Expected one of {string.Join(", ", Known)}.", nameof(name)),
    };

    /// <summary><c>keras.activations.linear</c>: x itself.</summary>
    public static Tensor Linear(Tensor x) => x;

    /// <summary><c>keras.activations.relu(x, negative_slope=0.0, max_value=None, threshold=0.0)</c>.</summary>
    public static Tensor Relu(Tensor x, double negativeSlope = 0.0, double? maxValue = null, double threshold = 0.0) =>
        negativeSlope == 0 && maxValue is null && threshold == 0 ? Op.Relu(x) : Op.Relu(x, (float)negativeSlope, (float?)maxValue, (float)threshold);

    /// <summary><c>keras.activations.relu6</c>: min(max(x, 0), 6).</summary>
    public static Tensor Relu6(Tensor x) => Op.Relu6(x);

    /// <summary><c>keras.activations.leaky_relu(x, negative_slope=0.2)</c>.</summary>
    public static Tensor LeakyRelu(Tensor x, double negativeSlope = 0.2) => Op.LeakyRelu(x, (float)negativeSlope);

    /// <summary><c>keras.activations.elu(x, alpha=1.0)</c>.</summary>
    public static Tensor Elu(Tensor x, double alpha = 1.0) => Op.Elu(x, (float)alpha);

    /// <summary><c>keras.activations.selu</c> (scale 1.05070098, alpha 1.67326324).</summary>
    public static Tensor Selu(Tensor x) => Op.Selu(x);

    /// <summary><c>keras.activations.gelu(x, approximate=False)</c>: exact x·Φ(x), or the tanh approximation.</summary>
    public static Tensor Gelu(Tensor x, bool approximate = false) => Op.Gelu(x, approximate);

    /// <summary><c>keras.activations.silu</c>: x·sigmoid(x).</summary>
    public static Tensor Silu(Tensor x) => Op.Silu(x);

    /// <summary><c>keras.activations.swish</c>: the same function as <see cref="Silu"/>.</summary>
    public static Tensor Swish(Tensor x) => Op.Silu(x);

    /// <summary><c>keras.activations.softplus</c>: log(1 + e^x).</summary>
    public static Tensor Softplus(Tensor x) => Op.Softplus(x);

    /// <summary><c>keras.activations.softsign</c>: x/(1 + |x|).</summary>
    public static Tensor Softsign(Tensor x) => Op.Softsign(x);

    /// <summary><c>keras.activations.sigmoid</c>.</summary>
    public static Tensor Sigmoid(Tensor x) => Op.Sigmoid(x);

    /// <summary><c>keras.activations.hard_sigmoid</c> as Keras 3 defines it: relu6(x + 3)/6.</summary>
    public static Tensor HardSigmoid(Tensor x) => Op.HardSigmoid(x);

    /// <summary><c>keras.activations.tanh</c>.</summary>
    public static Tensor Tanh(Tensor x) => Op.Tanh(x);

    /// <summary><c>keras.activations.exponential</c>: e^x.</summary>
    public static Tensor Exponential(Tensor x) => Op.Exponential(x);

    /// <summary><c>keras.activations.softmax(x, axis=-1)</c>.</summary>
    public static Tensor Softmax(Tensor x, int axis = -1) => Op.Softmax(x, axis);

    /// <summary><c>keras.activations.log_softmax(x, axis=-1)</c>.</summary>
    public static Tensor LogSoftmax(Tensor x, int axis = -1) => Op.LogSoftmax(x, axis);
}
