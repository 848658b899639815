using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>
/// keras.io's first examples as a newcomer types them, on small synthetic images so they run in seconds: the
/// "Simple MNIST convnet" and a convolutional autoencoder (Conv2DTranspose and UpSampling2D). They must learn.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class KerasIoExampleTests
{
    [TestInitialize]
    public void Reset() => Backend.ClearSession();

    // Seven-segment digits: segments a (top), b (top right), c (bottom right), d (bottom), e (bottom left), f (top left), g (middle).
    private static readonly string[] Segments = ["abcdef", "bc", "abdeg", "abcdg", "bcfg", "acdfg", "acdefg", "abc", "abcdefg", "abcdfg"];

    /// <summary>
    /// MNIST-shaped data, (n, 28, 28, 1) in [0, 1] with one-hot labels of 10 classes: a 12×20 seven-segment digit,
    /// strokes 2 pixels wide with random brightness, at a random place, over <paramref name="noisyPixels"/> random
    /// pixels (drawn from their own generator, so the same seed gives the same digits with and without noise).
    /// </summary>
    private static (NDArray X, NDArray Y) SevenSegmentDigits(int n, uint seed, int noisyPixels = 20)
    {
        var rng = new RandomState(seed);
        var noise = new RandomState(seed + 1000);
        var x = ND.Zeros([n, 28, 28, 1]);
        var y = ND.Zeros([n, 10]);
        for (int i = 0; i < n; i++)
        {
            int digit = (int)rng.Interval(9);
            y.SetDouble(1, i, digit);
            int top = 2 + (int)rng.Interval(4), left = 4 + (int)rng.Interval(8);
            void Bar(int r0, int c0, int height, int width)
            {
                double v = 0.6 + 0.4 * rng.NextDouble();
                for (int r = r0; r < r0 + height; r++)
                    for (int c = c0; c < c0 + width; c++) x.SetDouble(v, i, top + r, left + c, 0);
            }
            foreach (char s in Segments[digit])
            {
                switch (s)
                {
                    case 'a': Bar(0, 0, 2, 12); break;
                    case 'b': Bar(0, 10, 10, 2); break;
                    case 'c': Bar(10, 10, 10, 2); break;
                    case 'd': Bar(18, 0, 2, 12); break;
                    case 'e': Bar(10, 0, 10, 2); break;
                    case 'f': Bar(0, 0, 10, 2); break;
                    case 'g': Bar(9, 0, 2, 12); break;
                }
            }
            for (int p = 0; p < noisyPixels; p++) x.SetDouble(noise.NextDouble(), i, (int)noise.Interval(27), (int)noise.Interval(27), 0);
        }
        return (x, y);
    }

    /// <summary>
    /// https://keras.io/examples/vision/mnist_convnet/: its model, compile, fit and evaluate lines, with fewer samples,
    /// 5 epochs instead of 15 and batches of 8 instead of 128 (more steps for the same work), to run in seconds.
    /// </summary>
    [TestMethod]
    public void SimpleMnistConvnet_AsSequential_Learns()
    {
        Backend.SetRandomSeed(3);
        int numClasses = 10;
        int[] inputShape = [28, 28, 1];
        var (xTrain, yTrain) = SevenSegmentDigits(384, 5);
        var (xTest, yTest) = SevenSegmentDigits(200, 6);

        var model = new Sequential([
            new InputLayer(shape: inputShape),
            new Conv2D(32, kernelSize: (3, 3), activation: "relu"),
            new MaxPooling2D(poolSize: (2, 2)),
            new Conv2D(64, kernelSize: (3, 3), activation: "relu"),
            new MaxPooling2D(poolSize: (2, 2)),
            new Flatten(),
            new Dropout(0.5),
            new Dense(numClasses, activation: "softmax"),
        ]);
        Assert.AreEqual(34826, model.CountParams(), "keras.io's summary: Total params: 34,826");
        model.Compile(loss: "categorical_crossentropy", optimizer: "adam", metrics: ["accuracy"]);
        var history = model.Fit(xTrain, yTrain, batchSize: 8, epochs: 5, validationSplit: 0.1, verbose: 0, seed: 4).HistoryData;

        var score = model.Evaluate(xTest, yTest, verbose: 0);
        Assert.IsTrue(history["loss"][^1] < 0.5 * history["loss"][0], $"loss {string.Join(", ", history["loss"])}");
        Assert.IsTrue(score[1] > 0.8, $"test accuracy {score[1]} (chance 0.1)");
        Assert.IsTrue(history["val_accuracy"][^1] > 0.8, $"val_accuracy {history["val_accuracy"][^1]}");
    }

    /// <summary>
    /// A small convolutional autoencoder in the shape of keras.io's denoising example (noisy images in, clean ones as
    /// targets): a strided Conv2DTranspose and an UpSampling2D undo two poolings. Its outputs must beat the best
    /// constant image (the mean image) clearly.
    /// </summary>
    [TestMethod]
    public void ConvolutionalAutoencoder_WithConv2DTransposeAndUpSampling2D_Learns()
    {
        Backend.SetRandomSeed(8);
        var (clean, _) = SevenSegmentDigits(256, 9, noisyPixels: 0);
        var (noisy, _) = SevenSegmentDigits(256, 9, noisyPixels: 40);
        var autoencoder = new Sequential([
            new InputLayer(shape: [28, 28, 1]),
            new Conv2D(16, kernelSize: (3, 3), activation: "relu", padding: "same"),
            new MaxPooling2D(poolSize: (2, 2), padding: "same"),
            new Conv2D(8, kernelSize: (3, 3), activation: "relu", padding: "same"),
            new MaxPooling2D(poolSize: (2, 2), padding: "same"),
            new Conv2DTranspose(8, kernelSize: (3, 3), strides: 2, activation: "relu", padding: "same"),
            new UpSampling2D(size: 2),
            new Conv2D(1, kernelSize: (3, 3), activation: "sigmoid", padding: "same"),
        ]);
        autoencoder.Compile(optimizer: "adam", loss: "binary_crossentropy", metrics: ["mse"]);
        var h = autoencoder.Fit(noisy, clean, batchSize: 8, epochs: 8, shuffle: true, verbose: 0, seed: 2).HistoryData;
        Assert.IsTrue(h["loss"][^1] < 0.5 * h["loss"][0], $"loss {string.Join(", ", h["loss"])}");

        // The best constant prediction in squared error is the mean image; the model must do clearly better.
        var mean = clean.Mean(axis: 0);
        var diff = clean - mean;
        double baseline = (diff * diff).Mean().Item();
        double mse = autoencoder.Evaluate(noisy, clean, verbose: 0)[1];
        Assert.IsTrue(mse < 0.7 * baseline, $"reconstruction mse {mse} vs the mean image's {baseline}");
    }
}
