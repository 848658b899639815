using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.MpiWorker;

/// <summary>Deterministic CIFAR-shaped inputs and one-hot labels, the same in every process.</summary>
public static class SyntheticData
{
    public static (NDArray X, NDArray Y) Make(int n, uint seed, int height = 32, int width = 32, int channels = 3, int classes = 10)
    {
        var rs = new RandomState(seed);
        var x = new float[n * height * width * channels];
        for (int i = 0; i < x.Length; i++) x[i] = (float)(rs.NextDouble() - 0.5);
        var labels = new float[n];
        for (int i = 0; i < n; i++) labels[i] = Math.Min(classes - 1, (int)(rs.NextDouble() * classes));
        return (np.array(x).reshape(n, height, width, channels), Utils.ToCategorical(np.array(labels), classes));
    }
}
