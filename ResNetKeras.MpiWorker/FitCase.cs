using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.MpiWorker;

/// <summary>
/// The Model.Fit case of the distributed tests, shared by the workers and the single-process reference: a dense model
/// without batch normalization, so that the average of the workers' batch-mean gradients equals the gradient of the
/// global batch and two workers must reproduce one process's Fit on the whole batches. Batches of 4 split 2 + 2 (Keras
/// averages the replicas' batch means, which is the global mean only for equal shards); 21 samples leave a last batch
/// of 1, so one worker's shard is empty there. Validation batches of 3 split 2 + 1 and the last 1 + 0: the logged
/// validation loss is over all samples whatever the split.
/// </summary>
public static class FitCase
{
    public static ((NDArray X, NDArray Y) Train, (NDArray X, NDArray Y) Validation) Data()
    {
        var rs = new RandomState(3);
        NDArray Inputs(int n)
        {
            var v = new float[n * 8];
            for (int i = 0; i < v.Length; i++) v[i] = (float)(rs.NextDouble() * 2 - 1);
            return np.array(v).reshape(n, 8);
        }
        NDArray Labels(int n)
        {
            var v = new float[n];
            for (int i = 0; i < n; i++) v[i] = Math.Min(3, (int)(rs.NextDouble() * 4));
            return Utils.ToCategorical(np.array(v), 4);
        }
        var x = Inputs(21);
        var y = Labels(21);
        var xv = Inputs(7);
        var yv = Labels(7);
        return ((x, y), (xv, yv));
    }

    public static Model BuildAndCompile()
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(5);
        var inputs = Layers.Input(shape: [8]);
        var h = new Dense(16, activation: "relu", kernelRegularizer: new L2(1e-3)).Call(inputs);
        var model = new Model(inputs, new Dense(4, activation: "softmax").Call(h));
        model.Compile(new SGD(learningRate: 0.1), "categorical_crossentropy", ["accuracy"]);
        return model;
    }

    public static History Fit(Model model, ((NDArray X, NDArray Y) Train, (NDArray X, NDArray Y) Validation) data, IReadOnlyList<Callback>? callbacks = null,
        int epochs = 2, int initialEpoch = 0) =>
        model.Fit(data.Train.X, data.Train.Y, batchSize: 4, epochs: epochs, verbose: 1, callbacks: callbacks, validationData: data.Validation,
            validationBatchSize: 3, seed: 9, initialEpoch: initialEpoch);
}
