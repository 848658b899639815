using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>Keras's activation identifiers (<c>keras.activations.get</c>).</summary>
public static class Activations
{
    /// <summary>Checks and normalizes an identifier; null and "linear" mean none. Errors name <paramref name="paramName"/>.</summary>
    public static string Normalize(string? name, string paramName = "activation") => name switch
    {
        null or "linear" => "linear",
        "relu" or "softmax" or "sigmoid" or "tanh" => name,
        _ => throw new ArgumentException($"Unknown activation function: '{name}'. Expected one of linear, relu, softmax, sigmoid, tanh. Received {paramName}={name}.", paramName),
    };

    /// <summary>Applies the activation through ops.</summary>
    public static Tensor Apply(string name, Tensor x) => name switch
    {
        "linear" => x,
        "relu" => Op.Relu(x),
        "softmax" => Op.Softmax(x),
        "sigmoid" => Op.Sigmoid(x),
        "tanh" => Op.Tanh(x),
        _ => throw new ArgumentException($"Unknown activation function: '{name}'.", nameof(name)),
    };
}
