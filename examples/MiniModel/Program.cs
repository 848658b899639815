// The residual "MiniModel" of the Medium article on CIFAR-10 ResNets, in C#: pre-activation units with max-pool
// downsampling and a 1x1 stride-2 projection, 32-64-128-256 filters, BN-ReLU-Dropout(0.25)-AveragePooling(4)-Dense.
//   dotnet run -c Release --project examples/MiniModel -- [--data-dir DIR] [--epochs 50] [--train-limit N] [--test-limit N] [--save cifar10model.h5 (named after the data when it is not CIFAR-10)]
using System.Globalization;
using NumSharp;
using ResNetKeras.Keras;

namespace MiniModel;

/// <summary>Entry point; public so the test suite can run it in-process.</summary>
public static class Program
{
    /// <summary>Unit(x, filters, pool): the article's residual unit.</summary>
    public static KerasTensor Unit(KerasTensor x, int filters, bool pool = false)
    {
        var res = x;
        if (pool)
        {
            x = new MaxPooling2D(poolSize: (2, 2)).Call(x);
            res = new Conv2D(filters: filters, kernelSize: (1, 1), strides: (2, 2), padding: "same").Call(res);
        }
        var @out = new BatchNormalization().Call(x);
        @out = new Activation("relu").Call(@out);
        @out = new Conv2D(filters: filters, kernelSize: (3, 3), strides: (1, 1), padding: "same").Call(@out);
        @out = new BatchNormalization().Call(@out);
        @out = new Activation("relu").Call(@out);
        @out = new Conv2D(filters: filters, kernelSize: (3, 3), strides: (1, 1), padding: "same").Call(@out);
        return Layers.Add(res, @out);
    }

    /// <summary>MiniModel(input_shape).</summary>
    public static Model MiniModel(int[] inputShape)
    {
        var images = Layers.Input(inputShape);
        var net = new Conv2D(filters: 32, kernelSize: (3, 3), strides: (1, 1), padding: "same").Call(images);
        net = Unit(net, 32);
        net = Unit(net, 32);
        net = Unit(net, 32);
        net = Unit(net, 64, pool: true);
        net = Unit(net, 64);
        net = Unit(net, 64);
        net = Unit(net, 128, pool: true);
        net = Unit(net, 128);
        net = Unit(net, 128);
        net = Unit(net, 256, pool: true);
        net = Unit(net, 256);
        net = Unit(net, 256);
        net = new BatchNormalization().Call(net);
        net = new Activation("relu").Call(net);
        net = new Dropout(0.25).Call(net);
        net = new AveragePooling2D(poolSize: (4, 4)).Call(net);
        net = new Flatten().Call(net);
        net = new Dense(units: 10, activation: "softmax").Call(net);
        return new Model(inputs: images, outputs: net);
    }

    /// <summary>Options: --data-dir, --epochs (50), --batch-size (128), --train-limit, --test-limit, --save (cifar10model.h5), --seed, --verbose (1).</summary>
    public static int Main(string[] args)
    {
        try
        {
            var o = new Dictionary<string, string>();
            for (int i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                    throw new ArgumentException($"expected '--name value' pairs; got '{args[i]}'.");
                o[args[i][2..]] = args[++i];
            }
            int Int(string k, int d) => o.TryGetValue(k, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : d;
            if (o.ContainsKey("seed")) Backend.SetRandomSeed((uint)Int("seed", 0));
            // The article saves cifar10model.h5; other data in CIFAR-10's format is saved under its own name.
            var dataset = Cifar10ResNet.DatasetName.Resolve(null, o.GetValueOrDefault("data-dir"));
            string save = Path.GetFullPath(o.GetValueOrDefault("save", $"{dataset.FileStem}model.h5"));
            CheckWritable(Path.GetDirectoryName(save)!, "--save");

            var ((trainXRaw, trainYRaw), (testXRaw, testYRaw)) = Cifar10.LoadData(o.GetValueOrDefault("data-dir"));
            if (o.ContainsKey("train-limit")) { trainXRaw = trainXRaw[$":{Int("train-limit", 0)}"]; trainYRaw = trainYRaw[$":{Int("train-limit", 0)}"]; }
            if (o.ContainsKey("test-limit")) { testXRaw = testXRaw[$":{Int("test-limit", 0)}"]; testYRaw = testYRaw[$":{Int("test-limit", 0)}"]; }

            // normalize the data
            // In place on one float32 copy each (np.*(..., out=)); the NDScope reclaims the statistics.
#pragma warning disable NDW012 // @out hands back the array passed as out (NumSharp's rule 1)
            var trainX = trainXRaw.astype(np.float32);
            var testX = testXRaw.astype(np.float32);
            using (NDScope.Open())
            {
                np.divide(trainX, 255, @out: trainX);
                np.divide(testX, 255, @out: testX);
                // subtract the mean image from both train and test set
                np.subtract(trainX, np.mean(trainX), @out: trainX);
                np.subtract(testX, np.mean(testX), @out: testX);
                // divide by the standard deviation
                np.divide(trainX, np.std(trainX, axis: 0), @out: trainX);
                np.divide(testX, np.std(testX, axis: 0), @out: testX);
            }
#pragma warning restore NDW012

            var datagen = new ImageDataGenerator(rotationRange: 10, widthShiftRange: 5.0 / 32, heightShiftRange: 5.0 / 32, horizontalFlip: true);
            // fit the augmentation generator on the training data
            datagen.Fit(trainX);

            // encode the labels to vectors
            var trainY = Utils.ToCategorical(trainYRaw, 10);
            var testY = Utils.ToCategorical(testYRaw, 10);

            int[] inputShape = [32, 32, 3];
            var model = MiniModel(inputShape);
            model.Summary();

            model.Compile(optimizer: new Adam(0.001), loss: "categorical_crossentropy", metrics: ["accuracy"]);
            int epochs = Int("epochs", 50), batchSize = Int("batch-size", 128);
            int stepsPerEpoch = (int)Math.Ceiling(trainX.Shape[0] / (double)batchSize);
            // Ctrl-C stops after the current batch and saves the model trained so far; a second one aborts.
            using var interrupt = InterruptHandler.Install();
            var history = model.Fit(datagen.Flow(trainX, trainY, batchSize: batchSize), validationData: (testX, testY), epochs: epochs,
                stepsPerEpoch: stepsPerEpoch, verbose: Int("verbose", 1), workers: 4, cancellationToken: interrupt.Token);
            interrupt.Dispose();
            if (model.TrainingCancelled)
            {
                model.Save(save);
                Console.WriteLine($"Interrupted after {history.Epoch.Count} complete epoch(s); the model trained so far is saved to {save}");
                return 130;
            }
            var accuracy = model.Evaluate(testX, testY, batchSize: batchSize, verbose: Int("verbose", 1));
            Console.WriteLine("Accuracy: " + accuracy[1].ToString("R", CultureInfo.InvariantCulture));
            model.Save(save);
            Console.WriteLine($"Model saved to {save}");
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or FormatException or IOException or HttpRequestException
            or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }

    /// <summary>Fails before training, in one line, when <paramref name="dir"/> cannot be created or written.</summary>
    private static void CheckWritable(string dir, string option)
    {
        string probe = Path.Combine(dir, $".write-test.{Environment.ProcessId}.{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(dir);
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"{option}: cannot write into '{dir}': {(e is UnauthorizedAccessException ? "permission denied" : e.Message)}", e);
        }
    }
}
