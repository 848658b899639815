// The Keras CIFAR-10 ResNet tutorial (keras-team/keras examples/cifar10_resnet.py) in C#.
// Each block keeps the tutorial's order and names; the Python line it translates is in the comment above it.
using System.CommandLine;
using System.Globalization;
using NumSharp;
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
        var backupDir = new Option<string?>("--backup-dir") { Description = "Back up the training state there (BackupAndRestore): a killed or interrupted run started again with the same command resumes where it stopped" };
        var backupFreq = new Option<string>("--backup-freq") { Description = "Backup frequency: 'epoch' or a number of batches", DefaultValueFactory = _ => "epoch" };
        var finalModel = new Option<string?>("--final-model") { Description = "Also save the trained model to this file at the end" };
        var resumeFrom = new Option<string?>("--resume-from") { Description = "Continue from a saved model (a checkpoint) instead of a new one; with --initial-epoch" };
        var initialEpoch = new Option<int>("--initial-epoch") { Description = "Epoch to start at (Keras's initial_epoch): the number of epochs the --resume-from model has trained" };
        var device = new Option<string?>("--device") { Description = "Device to train on: cpu (default, or RESNETKERAS_DEVICE) or sim; see KerasCompare devices" };
        var distributed = new Option<bool>("--distributed") { Description = "Train data-parallel over the processes started by mpirun (MultiWorkerMirroredStrategy; needs Open MPI)" };
        var datasetName = new Option<string?>("--dataset-name") { Description = "Name of the data in file names and the chart (default: cifar10, or what --data-dir's dataset_name.txt says)" };
        var root = new RootCommand("Keras CIFAR-10 ResNet tutorial (resnet_v1 / resnet_v2) on ResNetKeras")
        {
            version, n, epochs, batchSize, noAugmentation, noPixelMean, dataDir, saveDir, seed, verbose, trainLimit, testLimit, workers, device, distributed,
            backupDir, backupFreq, finalModel, resumeFrom, initialEpoch, datasetName,
        };
        // The tutorial's --version selects the ResNet version, so the built-in "show program version" option goes.
        foreach (var builtIn in root.Options.OfType<VersionOption>().ToList()) root.Options.Remove(builtIn);
        root.SetAction(r => Run(new Settings(
            r.GetValue(version), r.GetValue(n), r.GetValue(epochs), r.GetValue(batchSize), !r.GetValue(noAugmentation),
            !r.GetValue(noPixelMean), r.GetValue(dataDir), r.GetValue(saveDir)!, r.GetValue(seed), r.GetValue(verbose),
            r.GetValue(trainLimit), r.GetValue(testLimit), r.GetValue(workers), r.GetValue(device), r.GetValue(distributed))
        {
            BackupDir = r.GetValue(backupDir),
            BackupFreq = r.GetValue(backupFreq)!,
            FinalModel = r.GetValue(finalModel),
            ResumeFrom = r.GetValue(resumeFrom),
            InitialEpoch = r.GetValue(initialEpoch),
            DatasetName = r.GetValue(datasetName),
        }));
        return root.Parse(args).Invoke();
    }

    /// <summary>The tutorial's training parameters.</summary>
    public sealed record Settings(int Version, int N, int Epochs, int BatchSize, bool DataAugmentation, bool SubtractPixelMean,
        string? DataDir, string SaveDir, uint? Seed, int Verbose, int? TrainLimit, int? TestLimit, int Workers, string? Device = null, bool Distributed = false)
    {
        /// <summary>BackupAndRestore's folder, or null for no backup.</summary>
        public string? BackupDir { get; init; }
        /// <summary>BackupAndRestore's save_freq: "epoch" or a number of batches.</summary>
        public string BackupFreq { get; init; } = "epoch";
        /// <summary>Where to save the trained model at the end, or null.</summary>
        public string? FinalModel { get; init; }
        /// <summary>A saved model to continue training, or null for a new model.</summary>
        public string? ResumeFrom { get; init; }
        /// <summary>Keras's initial_epoch.</summary>
        public int InitialEpoch { get; init; }
        /// <summary>The data's name in file names and the chart, or null to take it from the data (see <see cref="Cifar10ResNet.DatasetName.Resolve"/>).</summary>
        public string? DatasetName { get; init; }
    }

    /// <summary>Runs the tutorial; returns the process exit code.</summary>
    public static int Run(Settings s)
    {
        try
        {
            return Tutorial(s);
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"error: {e.Message} (without internet access, pass --data-dir with a CIFAR-10 folder or archive; tools/fashion_mnist_to_cifar_bin.py OUT_DIR writes Debian's Fashion-MNIST in that format)");
            return 1;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or IOException
            or UnauthorizedAccessException or DllNotFoundException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    private static string Tuple(long[] shape) => shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";

    private static int Tutorial(Settings s)
    {
        if (s.Version is not (1 or 2)) throw new ArgumentException($"--version must be 1 or 2; received {s.Version}.");
        if (s.N < 1) throw new ArgumentException($"--n must be at least 1; received {s.N}.");
        if (s.BatchSize < 1) throw new ArgumentException($"--batch-size must be at least 1; received {s.BatchSize}.");
        if (s.Epochs < 0) throw new ArgumentException($"--epochs must be at least 0; received {s.Epochs}.");
        if (s.InitialEpoch < 0) throw new ArgumentException($"--initial-epoch must be at least 0; received {s.InitialEpoch}.");
        if (s.Seed is { } seedValue) Utils.SetRandomSeed(seedValue);
        using var deviceScope = s.Device is { } deviceName ? Backend.DeviceScope(deviceName) : null;
        // --distributed: one worker of `mpirun -np N dotnet Cifar10ResNet.dll --distributed ...`. Every worker runs this
        // program; the global batch is split across them and only the chief (worker 0) prints and writes files.
        using var strategy = s.Distributed ? new MultiWorkerMirroredStrategy(ResNetKeras.Distributed.MpiCollectives.Initialize()) : null;
        if (strategy is { IsChief: false }) Console.SetOut(TextWriter.Null);
        // A folder that cannot be written fails now, not after the first epoch has trained.
        string saveDir = Path.GetFullPath(s.SaveDir);
        CheckWritable(saveDir, "--save-dir");
        if (s.BackupDir is { } bd) CheckWritable(Path.GetFullPath(bd), "--backup-dir");
        if (s.FinalModel is { } fm) CheckWritable(Path.GetDirectoryName(Path.GetFullPath(fm))!, "--final-model");

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
        // Not in the tutorial: other data in CIFAR-10's format is not saved and charted under CIFAR-10's name.
        var dataset = Cifar10ResNet.DatasetName.Resolve(s.DatasetName, s.DataDir);
        var ((xTrainRaw, yTrain), (xTestRaw, yTest)) = Cifar10.LoadData(s.DataDir);
        if (dataset != Cifar10ResNet.DatasetName.Cifar10) Console.WriteLine($"Data set: {dataset.Title} (from {dataset.Source}); output files start with {dataset.FileStem}_");
        if (s.TrainLimit is { } tl) { xTrainRaw = xTrainRaw[$":{tl}"]; yTrain = yTrain[$":{tl}"]; }
        if (s.TestLimit is { } el) { xTestRaw = xTestRaw[$":{el}"]; yTest = yTest[$":{el}"]; }

        // Input image dimensions.
        // input_shape = x_train.shape[1:]
        int[] inputShape = xTrainRaw.shape[1..].Select(d => (int)d).ToArray();

        // Normalize data.
#pragma warning disable NDW012 // np.divide/np.subtract with @out hand back the array passed as out (NumSharp's rule 1)
        // x_train = x_train.astype('float32') / 255 -- divided in place (np.divide(..., out=)), so the dataset never
        // exists twice as float32; the uint8 originals are released as Python's rebinding releases them.
        var xTrain = xTrainRaw.astype(np.float32);
        np.divide(xTrain, 255, @out: xTrain);
        var xTest = xTestRaw.astype(np.float32);
        np.divide(xTest, 255, @out: xTest);
        xTrainRaw.Dispose();
        xTestRaw.Dispose();

        // If subtract pixel mean is enabled
        if (subtractPixelMean)
        {
            // x_train_mean = np.mean(x_train, axis=0)
            using var xTrainMean = np.mean(xTrain, axis: 0);
            // x_train -= x_train_mean; x_test -= x_train_mean (in place; C#'s -= would bind a new array)
            np.subtract(xTrain, xTrainMean, @out: xTrain);
            np.subtract(xTest, xTrainMean, @out: xTest);
        }
#pragma warning restore NDW012

        Console.WriteLine("x_train shape: " + Tuple(xTrain.shape));
        Console.WriteLine($"{xTrain.shape[0]} train samples");
        Console.WriteLine($"{xTest.shape[0]} test samples");
        Console.WriteLine("y_train shape: " + Tuple(yTrain.shape));

        // Convert class vectors to binary class matrices.
        var yTrainCat = Utils.ToCategorical(yTrain, numClasses);
        var yTestCat = Utils.ToCategorical(yTest, numClasses);

        Model model;
        if (s.ResumeFrom is { } resumePath)
        {
            // Not in the tutorial: keras.models.load_model restores the weights and the optimizer state.
            using (strategy?.Scope()) model = Models.LoadModel(resumePath);
            Console.WriteLine($"Resuming from {Path.GetFullPath(resumePath)} at epoch {s.InitialEpoch + 1}");
        }
        else
        {
            using (strategy?.Scope())
            {
                model = version == 2
                    ? ResNetCifar.ResNetV2(inputShape: inputShape, depth: depth)
                    : ResNetCifar.ResNetV1(inputShape: inputShape, depth: depth);

                model.Compile(loss: "categorical_crossentropy", optimizer: new Adam(learningRate: ResNetCifar.LrSchedule(0)), metrics: ["accuracy"]);
            }
        }
        model.Summary();
        Console.WriteLine(modelType);

        // Prepare model model saving directory.
        string modelName = $"{dataset.FileStem}_{modelType}_model.{{epoch:03d}}.h5";
        string filepath = Path.Combine(saveDir, modelName);

        // Prepare callbacks for model saving and for learning rate adjustment.
        var checkpoint = new ModelCheckpoint(filepath: filepath, monitor: "val_acc", verbose: 1, saveBestOnly: true);
        var lrScheduler = new LearningRateScheduler(epoch => ResNetCifar.LrSchedule(epoch));
        var lrReducer = new ReduceLROnPlateau(factor: Math.Sqrt(0.1), cooldown: 0, patience: 5, minLr: 0.5e-6);
        // Not in the tutorial: the history is appended and flushed every epoch (a killed run keeps it); a resumed run
        // appends to it. The backup comes last so that it holds the learning rate the reducer has just set.
        string csvPath = Path.Combine(saveDir, $"{dataset.FileStem}_{modelType}_history.csv");
        BackupAndRestore? backup = s.BackupDir is { } dir ? new BackupAndRestore(dir, saveFreq: s.BackupFreq) : null;
        bool resuming = backup is not null && File.Exists(backup.BackupPath);
        var csvLogger = new CSVLogger(csvPath, append: resuming || s.ResumeFrom is not null);
        Callback[] callbacks = backup is null ? [checkpoint, lrReducer, lrScheduler, csvLogger] : [checkpoint, lrReducer, lrScheduler, csvLogger, backup];
        if (resuming) Console.WriteLine($"Resuming from the backup {backup!.BackupPath}");
        if (backup is not null && s.Seed is null)
            Console.Error.WriteLine("warning: --backup-dir without --seed: a resumed run continues with other shuffles and augmentations than the interrupted one would have used.");

        // Ctrl-C stops after the current batch (a second one aborts).
        using var interrupt = InterruptHandler.Install();
        History history;
        // Run training, with or without data augmentation.
        if (!dataAugmentation)
        {
            Console.WriteLine("Not using data augmentation.");
            history = model.Fit(xTrain, yTrainCat, batchSize: batchSize, epochs: epochs, validationData: (xTest, yTestCat),
                shuffle: true, callbacks: callbacks, verbose: s.Verbose, seed: s.Seed, initialEpoch: s.InitialEpoch,
                cancellationToken: interrupt.Token);
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
                callbacks: callbacks, validationBatchSize: batchSize, seed: s.Seed, initialEpoch: s.InitialEpoch,
                cancellationToken: interrupt.Token);
        }

        // From here on, Ctrl-C ends the process at once again.
        interrupt.Dispose();
        if (model.TrainingCancelled)
        {
            if (strategy is null || strategy.IsChief) WriteChart(csvPath, saveDir, modelType, dataset);
            string? last = LastCheckpoint(saveDir, modelType, dataset);
            var at = backup?.LastSaved ?? backup?.RestoredPosition;
            Console.WriteLine($"Interrupted. Last checkpoint: {last ?? "none yet"}. " + (backup is null
                ? "No backup (pass --backup-dir DIR to resume an interrupted run)."
                : at is { } p ? $"Backup: {backup.BackupPath} (resumes at epoch {p.Epoch + 1}, batch {p.Batch}); run the same command again to resume."
                : "No backup written yet."));
            return 130;
        }
        if (s.FinalModel is { } final && (strategy is null || strategy.IsChief)) model.Save(final);

        // Score trained model.
        var scores = model.Evaluate(xTest, yTestCat, verbose: s.Verbose);
        Console.WriteLine("Test loss: " + Py(scores[0]));
        Console.WriteLine("Test accuracy: " + Py(scores[1]));

        if (strategy is null || strategy.IsChief) WriteChart(csvPath, saveDir, modelType, dataset);
        return 0;
    }

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
            string cause = e is UnauthorizedAccessException ? "permission denied" : e.Message;
            throw new IOException($"{option}: cannot write into '{dir}': {cause}", e);
        }
    }

    private static string? LastCheckpoint(string saveDir, string modelType, DatasetName dataset) =>
        Directory.EnumerateFiles(saveDir, $"{dataset.FileStem}_{modelType}_model.*.h5").Order(StringComparer.Ordinal).LastOrDefault();

    private static string Py(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>
    /// The SVG chart of the CSV history (all epochs, also those of earlier interrupted runs; a row repeated by a resumed
    /// run counts once, the last one).
    /// </summary>
    private static void WriteChart(string csv, string saveDir, string modelType, DatasetName dataset)
    {
        string svg = Path.Combine(saveDir, $"{dataset.FileStem}_{modelType}_history.svg");
        var lines = File.Exists(csv) ? File.ReadAllLines(csv) : [];
        if (lines.Length == 0) return;
        var header = lines[0].Split(',');
        var rows = new SortedDictionary<int, string[]>();
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            if (f.Length == header.Length && int.TryParse(f[0], CultureInfo.InvariantCulture, out int e)) rows[e] = f;
        }
        var epochs = rows.Keys.Select(e => (double)(e + 1)).ToList();
        IReadOnlyList<double> Get(string key)
        {
            int i = Array.IndexOf(header, key);
            return i < 0 ? [] : rows.Values.Select(f => f[i] switch
            {
                "inf" => double.PositiveInfinity,
                "-inf" => double.NegativeInfinity,
                _ => double.TryParse(f[i], CultureInfo.InvariantCulture, out double v) ? v : double.NaN,
            }).ToList();
        }
        SvgChart.Write(svg, $"{dataset.Title} {modelType}", "epoch",
        [
            new ChartPanel("loss", [new ChartSeries("training", epochs, Get("loss")), new ChartSeries("validation", epochs, Get("val_loss"))]),
            new ChartPanel("accuracy", [new ChartSeries("training", epochs, Get("accuracy")), new ChartSeries("validation", epochs, Get("val_accuracy"))]),
        ]);
        Console.WriteLine($"History written to {csv}");
        Console.WriteLine($"Chart written to {svg}");
    }
}
