// The Keras CIFAR-10 ResNet tutorial (keras-team/keras examples/cifar10_resnet.py) in C#.
// Each block keeps the tutorial's order and names; the Python line it translates is in the comment above it.
using System.CommandLine;
using System.Globalization;
using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace Cifar10ResNet;

/// <summary>Entry point of the tutorial; public so the test suite can run it in-process.</summary>
public static class Program
{
    /// <summary>Parses the tutorial's hyperparameters (Step 2) and runs it.</summary>
    public static int Main(string[] args)
    {
        var version = new Option<int>("--version") { Description = "ResNet version: 1 (resnet_v1) or 2 (resnet_v2)", DefaultValueFactory = _ => 1 };
        var n = new Option<int>("--n") { Description = "Blocks per stack: depth = 6n+2 (v1) or 9n+2 (v2)", DefaultValueFactory = _ => 3 };
        var epochs = new Option<int>("--epochs") { Description = "Training epochs", DefaultValueFactory = _ => 200 };
        var batchSize = new Option<int>("--batch-size") { Description = "Batch size", DefaultValueFactory = _ => 32 };
        var noAugmentation = new Option<bool>("--no-augmentation") { Description = "Train without ImageDataGenerator" };
        var noPixelMean = new Option<bool>("--no-subtract-pixel-mean") { Description = "Do not subtract the training pixel mean" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Folder or .tar.gz of CIFAR-10 (Python or binary version); without it Cifar10.LoadData() downloads" };
        var saveDir = new Option<string>("--save-dir") { Description = "Checkpoint, history and chart folder", DefaultValueFactory = _ => "saved_models" };
        var seed = new Option<uint?>("--seed") { Description = "Seed for initialization, shuffling and augmentation" };
        var verbose = new Option<int>("--verbose") { Description = "Keras verbosity: 0 silent, 1 progress bar, 2 one line per epoch", DefaultValueFactory = _ => 1 };
        var trainLimit = new Option<int?>("--train-limit") { Description = "Use only the first N training images" };
        var testLimit = new Option<int?>("--test-limit") { Description = "Use only the first N test images" };
        var workers = new Option<int>("--workers") { Description = "Augmentation threads (the tutorial uses 4)", DefaultValueFactory = _ => 4 };
        var device = new Option<string?>("--device") { Description = "Device to train on: cpu (default, or RESNETKERAS_DEVICE) or sim; see KerasCompare devices" };
        var distributed = new Option<bool>("--distributed") { Description = "Train data-parallel over the processes started by mpirun (MultiWorkerMirroredStrategy; needs Open MPI)" };
        var root = new RootCommand("Keras CIFAR-10 ResNet tutorial (resnet_v1 / resnet_v2) on ResNetKeras")
        {
            version, n, epochs, batchSize, noAugmentation, noPixelMean, dataDir, saveDir, seed, verbose, trainLimit, testLimit, workers, device, distributed,
        };
        // The tutorial's --version selects the ResNet version, so the built-in "show program version" option goes.
        foreach (var builtIn in root.Options.OfType<VersionOption>().ToList()) root.Options.Remove(builtIn);
        root.SetAction(r => Run(new Settings(
            r.GetValue(version), r.GetValue(n), r.GetValue(epochs), r.GetValue(batchSize), !r.GetValue(noAugmentation),
            !r.GetValue(noPixelMean), r.GetValue(dataDir), r.GetValue(saveDir)!, r.GetValue(seed), r.GetValue(verbose),
            r.GetValue(trainLimit), r.GetValue(testLimit), r.GetValue(workers), r.GetValue(device), r.GetValue(distributed))));
        return root.Parse(args).Invoke();
    }

    /// <summary>The tutorial's training parameters.</summary>
    public sealed record Settings(int Version, int N, int Epochs, int BatchSize, bool DataAugmentation, bool SubtractPixelMean,
        string? DataDir, string SaveDir, uint? Seed, int Verbose, int? TrainLimit, int? TestLimit, int Workers, string? Device = null, bool Distributed = false);

    /// <summary>Runs the tutorial; returns the process exit code.</summary>
    public static int Run(Settings s)
    {
        try
        {
            return Tutorial(s);
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"error: {e.Message} (without internet access, pass --data-dir with a CIFAR-10 folder or archive)");
            return 1;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or IOException or DllNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static string Tuple(int[] shape) => ShapeUtil.Format(shape);

    private static int Tutorial(Settings s)
    {
        if (s.Version is not (1 or 2)) throw new ArgumentException($"--version must be 1 or 2; received {s.Version}.");
        if (s.N < 1) throw new ArgumentException($"--n must be at least 1; received {s.N}.");
        if (s.BatchSize < 1) throw new ArgumentException($"--batch-size must be at least 1; received {s.BatchSize}.");
        if (s.Epochs < 0) throw new ArgumentException($"--epochs must be at least 0; received {s.Epochs}.");
        if (s.Seed is { } seedValue) Backend.SetRandomSeed(seedValue);
        using var deviceScope = s.Device is { } deviceName ? Backend.DeviceScope(deviceName) : null;
        // --distributed: one worker of `mpirun -np N dotnet Cifar10ResNet.dll --distributed ...`. Every worker runs this
        // program; the global batch is split across them and only the chief (worker 0) prints and writes files.
        using var strategy = s.Distributed ? new MultiWorkerMirroredStrategy(ResNetKeras.Distributed.MpiCollectives.Initialize()) : null;
        if (strategy is { IsChief: false }) Console.SetOut(TextWriter.Null);

        // Training parameters
        int batchSize = s.BatchSize;  // orig paper trained all networks with batch_size=128
        int epochs = s.Epochs;
        bool dataAugmentation = s.DataAugmentation;
        int numClasses = 10;
        // Subtracting pixel mean improves accuracy
        bool subtractPixelMean = s.SubtractPixelMean;
        int n = s.N;
        // Model version: orig paper: version = 1 (ResNet v1), improved ResNet: version = 2 (ResNet v2)
        int version = s.Version;
        // Computed depth from supplied model parameter n
        int depth = version == 1 ? n * 6 + 2 : n * 9 + 2;
        // Model name, depth and version
        string modelType = $"ResNet{depth}v{version}";

        // Load the CIFAR10 data.
        // (x_train, y_train), (x_test, y_test) = cifar10.load_data()
        var ((xTrainRaw, yTrain), (xTestRaw, yTest)) = Cifar10.LoadData(s.DataDir);
        if (s.TrainLimit is { } tl) { xTrainRaw = xTrainRaw.Slice(0, tl); yTrain = yTrain.Slice(0, tl); }
        if (s.TestLimit is { } el) { xTestRaw = xTestRaw.Slice(0, el); yTest = yTest.Slice(0, el); }

        // Input image dimensions.
        int[] inputShape = xTrainRaw.Shape[1..];

        // Normalize data.
        var xTrain = xTrainRaw.AsType(DType.Float32) / 255;
        var xTest = xTestRaw.AsType(DType.Float32) / 255;

        // If subtract pixel mean is enabled
        if (subtractPixelMean)
        {
            var xTrainMean = xTrain.Mean(axis: 0);
            xTrain = xTrain - xTrainMean;
            xTest = xTest - xTrainMean;
        }

        Console.WriteLine("x_train shape: " + Tuple(xTrain.Shape));
        Console.WriteLine($"{xTrain.Shape[0]} train samples");
        Console.WriteLine($"{xTest.Shape[0]} test samples");
        Console.WriteLine("y_train shape: " + Tuple(yTrain.Shape));

        // Convert class vectors to binary class matrices.
        var yTrainCat = Utils.ToCategorical(yTrain, numClasses);
        var yTestCat = Utils.ToCategorical(yTest, numClasses);

        Model model;
        using (strategy?.Scope())
        {
            model = version == 2
                ? ResNetCifar.ResNetV2(inputShape: inputShape, depth: depth)
                : ResNetCifar.ResNetV1(inputShape: inputShape, depth: depth);

            model.Compile(loss: "categorical_crossentropy", optimizer: new Adam(learningRate: ResNetCifar.LrSchedule(0)), metrics: ["accuracy"]);
        }
        model.Summary();
        Console.WriteLine(modelType);

        // Prepare model model saving directory.
        string saveDir = Path.GetFullPath(s.SaveDir);
        string modelName = $"cifar10_{modelType}_model.{{epoch:03d}}.h5";
        Directory.CreateDirectory(saveDir);
        string filepath = Path.Combine(saveDir, modelName);

        // Prepare callbacks for model saving and for learning rate adjustment.
        var checkpoint = new ModelCheckpoint(filepath: filepath, monitor: "val_acc", verbose: 1, saveBestOnly: true);
        var lrScheduler = new LearningRateScheduler(epoch => ResNetCifar.LrSchedule(epoch));
        var lrReducer = new ReduceLROnPlateau(factor: Math.Sqrt(0.1), cooldown: 0, patience: 5, minLr: 0.5e-6);
        Callback[] callbacks = [checkpoint, lrReducer, lrScheduler];

        History history;
        // Run training, with or without data augmentation.
        if (!dataAugmentation)
        {
            Console.WriteLine("Not using data augmentation.");
            history = model.Fit(xTrain, yTrainCat, batchSize: batchSize, epochs: epochs, validationData: (xTest, yTestCat),
                shuffle: true, callbacks: callbacks, verbose: s.Verbose, seed: s.Seed);
        }
        else
        {
            Console.WriteLine("Using real-time data augmentation.");
            // This will do preprocessing and realtime data augmentation:
            var datagen = new ImageDataGenerator(
                featurewiseCenter: false,            // set input mean to 0 over the dataset
                samplewiseCenter: false,             // set each sample mean to 0
                featurewiseStdNormalization: false,  // divide inputs by std of dataset
                samplewiseStdNormalization: false,   // divide each input by its std
                zcaWhitening: false,                 // apply ZCA whitening
                zcaEpsilon: 1e-06,                   // epsilon for ZCA whitening
                rotationRange: 0,                    // randomly rotate images in the range (deg 0 to 180)
                widthShiftRange: 0.1,                // randomly shift images horizontally
                heightShiftRange: 0.1,               // randomly shift images vertically
                shearRange: 0.0,                     // set range for random shear
                zoomRange: 0.0,                      // set range for random zoom
                channelShiftRange: 0.0,              // set range for random channel shifts
                fillMode: "nearest",                 // set mode for filling points outside the input boundaries
                cval: 0.0,                           // value used for fill_mode = "constant"
                horizontalFlip: true,                // randomly flip images
                verticalFlip: false,                 // randomly flip images
                rescale: null,                       // set rescaling factor (applied before any other transformation)
                preprocessingFunction: null,         // set function that will be applied on each input
                dataFormat: null,                    // image data format, either "channels_first" or "channels_last"
                validationSplit: 0.0);               // fraction of images reserved for validation (strictly between 0 and 1)

            // Compute quantities required for featurewise normalization
            // (std, mean, and principal components if ZCA whitening is applied).
            datagen.Fit(xTrain);

            // Fit the model on the batches generated by datagen.flow().
            history = model.Fit(datagen.Flow(xTrain, yTrainCat, batchSize: batchSize, seed: s.Seed),
                validationData: (xTest, yTestCat), epochs: epochs, verbose: s.Verbose, workers: s.Workers,
                callbacks: callbacks, validationBatchSize: batchSize, seed: s.Seed);
        }

        // Score trained model.
        var scores = model.Evaluate(xTest, yTestCat, verbose: s.Verbose);
        Console.WriteLine("Test loss: " + Py(scores[0]));
        Console.WriteLine("Test accuracy: " + Py(scores[1]));

        if (strategy is null || strategy.IsChief) WriteHistory(history, saveDir, modelType);
        return 0;
    }

    private static string Py(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteHistory(History history, string saveDir, string modelType)
    {
        string csv = Path.Combine(saveDir, $"cifar10_{modelType}_history.csv");
        string svg = Path.Combine(saveDir, $"cifar10_{modelType}_history.svg");
        HistoryCsv.Write(csv, history);
        var epochs = history.Epoch.Select(e => (double)(e + 1)).ToList();
        IReadOnlyList<double> Get(string key) => history.HistoryData.TryGetValue(key, out var v) ? v : [];
        SvgChart.Write(svg, $"CIFAR-10 {modelType}", "epoch",
        [
            new ChartPanel("loss", [new ChartSeries("training", epochs, Get("loss")), new ChartSeries("validation", epochs, Get("val_loss"))]),
            new ChartPanel("accuracy", [new ChartSeries("training", epochs, Get("accuracy")), new ChartSeries("validation", epochs, Get("val_accuracy"))]),
        ]);
        Console.WriteLine($"History written to {csv}");
        Console.WriteLine($"Chart written to {svg}");
    }
}
