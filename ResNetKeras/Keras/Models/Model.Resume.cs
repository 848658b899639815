using System.Text.Json;
using ResNetKeras.IO.Hdf5;

namespace ResNetKeras.Keras;

/// <summary>The in-place restore <see cref="BackupAndRestore"/> uses to resume training exactly.</summary>
public partial class Model
{
    /// <summary>
    /// Loads a file written by <see cref="Save(string)"/> into this model in place: the weights, and when the model is
    /// compiled the optimizer's iterations, slots and learning rate. Returns the root string attribute
    /// <paramref name="attribute"/> (BackupAndRestore's training position), or null when the file has none.
    /// </summary>
    internal string? RestoreTrainingState(string path, string attribute)
    {
        var root = H5File.Open(path).Root;
        LoadWeights(path);
        if (Optimizer is { } optimizer)
        {
            if (root.Contains("optimizer_weights")) Models.RestoreOptimizerWeights(root.Group("optimizer_weights"), this, optimizer, path);
            if (root.Attributes.TryGetValue("training_config", out var tc))
            {
                try
                {
                    using var doc = JsonDocument.Parse(tc.ReadString());
                    if (doc.RootElement.TryGetProperty("optimizer_config", out var oc) && oc.TryGetProperty("config", out var c)
                        && c.TryGetProperty("learning_rate", out var lr) && lr.ValueKind == JsonValueKind.Number)
                        optimizer.LearningRate = lr.GetDouble();
                }
                catch (JsonException e) { throw new InvalidDataException($"{path}: invalid training_config JSON: {e.Message}", e); }
            }
        }
        return root.Attributes.TryGetValue(attribute, out var meta) ? meta.ReadString() : null;
    }

    /// <inheritdoc/>
    internal override void PositionRandomStreams(long step)
    {
        foreach (var layer in Layers)
            if (layer is Dropout d) d.TrainingCalls = step;
    }
}
