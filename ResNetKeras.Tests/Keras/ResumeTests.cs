using ResNetKeras.Engine;
using ResNetKeras.Keras;
using KerasUtils = ResNetKeras.Keras.Utils;

namespace ResNetKeras.Tests.Keras;

/// <summary>
/// Exact resume: a global seed, a Flow positioned by epoch, BackupAndRestore and cancellation. "A new process" is
/// simulated by a cleared session, the global seed set again and a model loaded from the saved file (no initializers of
/// the first program); the child-process versions are in Examples/InterruptionTests.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ResumeTests
{
    private string dir = "";

    [TestInitialize]
    public void Setup()
    {
        dir = Path.Combine(Path.GetTempPath(), $"resume_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
    }

    [TestCleanup]
    public void Cleanup() => Directory.Delete(dir, true);

    /// <summary>24 noisy 8x8x3 images, 4 classes (a bright quadrant).</summary>
    internal static (NDArray X, NDArray Y) Data()
    {
        var rng = new RandomState(17);
        var x = ND.Zeros([24, 8, 8, 3]);
        var y = ND.Zeros([24, 4]);
        var xd = x.WriteSpan<float>();
        for (int i = 0; i < 24; i++)
        {
            int cls = i % 4;
            for (int p = 0; p < 192; p++) xd[i * 192 + p] = (float)rng.Uniform(0, 0.5);
            for (int r = cls / 2 * 4; r < cls / 2 * 4 + 4; r++)
                for (int c = cls % 2 * 4; c < cls % 2 * 4 + 4; c++)
                    for (int k = 0; k < 3; k++) xd[i * 192 + (r * 8 + c) * 3 + k] += 0.5f;
            y.SetDouble(1, i, cls);
        }
        return (x, y);
    }

    /// <summary>Conv, batch norm (moving statistics are state too), optionally dropout, dense; compiled with Adam.</summary>
    internal static Model Build(bool dropout = false)
    {
        var inputs = Layers.Input(shape: [8, 8, 3]);
        var h = new Conv2D(4, kernelSize: 3, padding: "same").Call(inputs);
        h = new BatchNormalization().Call(h);
        h = new Activation("relu").Call(h);
        h = new Flatten().Call(h);
        if (dropout) h = new Dropout(0.25).Call(h);
        var outputs = new Dense(4, activation: "softmax").Call(h);
        var model = new Model(inputs, outputs);
        model.Compile(new Adam(0.01), "categorical_crossentropy", ["accuracy"]);
        return model;
    }

    private static ImageDataGenerator Augmenter() => new(widthShiftRange: 0.25, heightShiftRange: 0.25, horizontalFlip: true);

    /// <summary>A new "process": fresh session, the same global seed.</summary>
    private static void NewProgram(uint seed = 1)
    {
        Backend.ClearSession();
        KerasUtils.SetRandomSeed(seed);
    }

    private static void AssertSameState(Model expected, Model actual)
    {
        var we = expected.GetWeights();
        var wa = actual.GetWeights();
        Assert.AreEqual(we.Count, wa.Count);
        for (int i = 0; i < we.Count; i++) CollectionAssert.AreEqual(we[i].Float32Data, wa[i].Float32Data, $"weight {i}");
        Assert.AreEqual(expected.Optimizer!.Iterations, actual.Optimizer!.Iterations, "iterations");
        Assert.AreEqual(expected.Optimizer.LearningRate, actual.Optimizer.LearningRate, "learning rate");
        var se = expected.Optimizer.SlotVariables;
        var sa = actual.Optimizer.SlotVariables;
        Assert.AreEqual(se.Count, sa.Count);
        for (int i = 0; i < se.Count; i++) CollectionAssert.AreEqual(se[i].Numpy().Float32Data, sa[i].Numpy().Float32Data, se[i].Name);
    }

    private static bool SameWeights(Model a, Model b) =>
        a.GetWeights().Zip(b.GetWeights()).All(p => p.First.Float32Data.AsSpan().SequenceEqual(p.Second.Float32Data));

    [TestMethod]
    public void FlowWithAugmentationAndWorkers_SaveLoadResume_IsBitIdentical()
    {
        var (x, y) = Data();
        NewProgram();
        var full = Build(dropout: true);
        full.Fit(Augmenter().Flow(x, y, batchSize: 5), epochs: 4, verbose: 0, workers: 2);

        NewProgram();
        var first = Build(dropout: true);
        first.Fit(Augmenter().Flow(x, y, batchSize: 5), epochs: 2, verbose: 0, workers: 2);
        string path = Path.Combine(dir, "epoch2.h5");
        first.Save(path);
        Assert.IsFalse(SameWeights(full, first), "2 epochs differ from 4 (the comparison below can fail)");

        NewProgram();
        var resumed = Models.LoadModel(path);
        resumed.Fit(Augmenter().Flow(x, y, batchSize: 5), epochs: 4, initialEpoch: 2, verbose: 0, workers: 2);
        AssertSameState(full, resumed);
    }

    [TestMethod]
    public void FlowOfANewIterator_AtEpochK_EqualsEpochKOfAnIteratorThatRan()
    {
        var (x, y) = Data();
        var gen = Augmenter();
        var ran = gen.Flow(x, y, batchSize: 5, seed: 9);
        for (int e = 0; e < 3; e++) ran.OnEpochEnd();
        var fresh = gen.Flow(x, y, batchSize: 5, seed: 9);
        fresh.OnEpochBegin(3);
        Assert.AreEqual(3, fresh.Epoch);
        for (int i = 0; i < ran.Count; i++)
        {
            CollectionAssert.AreEqual(ran.BatchIndices(i), fresh.BatchIndices(i), $"batch {i} indices");
            CollectionAssert.AreEqual(ran.GetItem(i).X.Float32Data, fresh.GetItem(i).X.Float32Data, $"batch {i} pixels");
        }
        fresh.OnEpochBegin(0);
        var zero = gen.Flow(x, y, batchSize: 5, seed: 9);
        CollectionAssert.AreEqual(zero.GetItem(1).X.Float32Data, fresh.GetItem(1).X.Float32Data, "back to epoch 0");
        CollectionAssert.AreNotEqual(ran.GetItem(1).X.Float32Data, fresh.GetItem(1).X.Float32Data, "epochs differ");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => fresh.OnEpochBegin(-1)).Message, "epoch=-1");
    }

    [TestMethod]
    public void SetRandomSeed_SameProgramTwice_BitIdentical_OtherSeedDiffers()
    {
        var (x, y) = Data();
        List<NDArray> Program(uint seed)
        {
            NewProgram(seed);
            var inputs = Layers.Input(shape: [8, 8, 3]);
            var h = new Conv2D(4, kernelSize: 3, padding: "same", activation: "relu").Call(inputs);
            h = new Flatten().Call(h);
            h = new Dropout(0.3).Call(h);
            var model = new Model(inputs, new Dense(4, activation: "softmax").Call(h));
            model.Compile(new Adam(0.01), "categorical_crossentropy", ["accuracy"]);
            model.Fit(Augmenter().Flow(x, y, batchSize: 6), epochs: 2, verbose: 0, workers: 2);
            model.Fit(x, y, batchSize: 7, epochs: 1, verbose: 0);
            return model.GetWeights();
        }
        var a = Program(1);
        var b = Program(1);
        var c = Program(2);
        for (int i = 0; i < a.Count; i++) CollectionAssert.AreEqual(a[i].Float32Data, b[i].Float32Data, $"weight {i}");
        Assert.IsFalse(a.Zip(c).All(p => p.First.Float32Data.AsSpan().SequenceEqual(p.Second.Float32Data)), "another seed gives other weights");
        Assert.ThrowsExactly<ArgumentException>(() => KerasUtils.SetRandomSeed(-1));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => KerasUtils.SetRandomSeed(1L << 32)).Message, "seed=4294967296");
    }

    [TestMethod]
    public void GlobalSeed_EpochShuffleDoesNotDependOnEarlierDraws()
    {
        var (x, y) = Data();
        NDArray FirstBatch(int extraDraws)
        {
            NewProgram();
            for (int i = 0; i < extraDraws; i++) Backend.NextSeed();
            var flow = Augmenter().Flow(x, y, batchSize: 5);
            flow.OnEpochBegin(2);
            return flow.GetItem(0).X;
        }
        CollectionAssert.AreEqual(FirstBatch(0).Float32Data, FirstBatch(100).Float32Data);
    }

    /// <summary>
    /// The derived seeds are part of every resumable run (a backup written by one build is resumed by the next), so they
    /// are pinned: values from an independent Python implementation of SplitMix64 over FNV-1a(purpose) ^ (seed, index).
    /// </summary>
    [TestMethod]
    public void DerivedSeeds_ArePinned()
    {
        Assert.AreEqual(2502753547u, Backend.Mix(1, "fit.shuffle", 0));
        Assert.AreEqual(1971103993u, Backend.Mix(1, "flow", 1));
        Assert.AreEqual(4263315101u, Backend.Mix(7, "dropout.call", 123456));
        NewProgram();
        Assert.AreEqual(Backend.Mix(1, "flow", 0), Backend.DerivedSeed("flow", counted: true));
        Assert.AreEqual(Backend.Mix(1, "flow", 1), Backend.DerivedSeed("flow", counted: true));
        Assert.AreEqual(Backend.Mix(1, "fit.shuffle", 0), Backend.DerivedSeed("fit.shuffle"));
        Assert.AreEqual(Backend.Mix(1, "fit.shuffle", 0), Backend.DerivedSeed("fit.shuffle"), "uncounted: the same every time");
    }

    private sealed class CancelAt(CancellationTokenSource cts, int epoch, int batch) : Callback
    {
        private int currentEpoch;
        public bool TrainEnded;
        public List<int> EpochsEnded = [];
        public override void OnEpochBegin(int epoch, Dictionary<string, double> logs) => currentEpoch = epoch;
        public override void OnTrainBatchEnd(int b, Dictionary<string, double> logs)
        {
            if (currentEpoch == epoch && b == batch) cts.Cancel();
        }
        public override void OnEpochEnd(int epoch, Dictionary<string, double> logs) => EpochsEnded.Add(epoch);
        public override void OnTrainEnd(Dictionary<string, double> logs) => TrainEnded = true;
    }

    [TestMethod]
    [DataRow("epoch")]
    [DataRow("2")]
    public void BackupAndRestore_CancelledRunResumedInANewProgram_IsBitIdentical(string saveFreq)
    {
        var (x, y) = Data();
        NewProgram();
        var full = Build(dropout: true);
        full.Fit(Augmenter().Flow(x, y, batchSize: 5), epochs: 3, verbose: 0, workers: 2);

        string backupDir = Path.Combine(dir, "backup");
        NewProgram();
        var first = Build(dropout: true);
        using var cts = new CancellationTokenSource();
        var cancel = new CancelAt(cts, epoch: 1, batch: 2);
        var backup = new BackupAndRestore(backupDir, saveFreq: saveFreq);
        var history = first.Fit(Augmenter().Flow(x, y, batchSize: 5), epochs: 3, verbose: 0, workers: 2,
            callbacks: [cancel, backup], cancellationToken: cts.Token);
        Assert.IsTrue(first.TrainingCancelled);
        Assert.IsTrue(cancel.TrainEnded, "OnTrainEnd runs after a cancellation");
        CollectionAssert.AreEqual(new[] { 0 }, cancel.EpochsEnded, "the unfinished epoch 1 gets no OnEpochEnd");
        CollectionAssert.AreEqual(new[] { 0 }, history.Epoch.ToArray(), "the History so far");
        Assert.AreEqual(8, first.Optimizer!.Iterations, "epoch 0 (5 batches) and 3 batches of epoch 1");
        Assert.AreEqual((1, 3), backup.LastSaved, "the backup holds the position reached");
        Assert.IsTrue(File.Exists(backup.BackupPath));
        Assert.AreEqual(0, Directory.GetFiles(backupDir, ".*").Length, "no temporary file");

        NewProgram();
        var second = Build(dropout: true);
        var backup2 = new BackupAndRestore(backupDir, saveFreq: saveFreq);
        second.Fit(Augmenter().Flow(x, y, batchSize: 5), epochs: 3, verbose: 0, workers: 2, callbacks: [backup2]);
        Assert.AreEqual((1, 3), backup2.RestoredPosition);
        Assert.IsFalse(second.TrainingCancelled);
        AssertSameState(full, second);
        Assert.IsFalse(File.Exists(backup2.BackupPath), "deleted when training completes");
    }

    [TestMethod]
    public void BackupAndRestore_ArraysEveryBatch_RestoresWeightsOptimizerAndLearningRate()
    {
        var (x, y) = Data();
        NewProgram();
        var full = Build();
        var schedule = new LearningRateScheduler(e => 0.01 / (e + 1));
        full.Fit(x, y, batchSize: 7, epochs: 3, verbose: 0, callbacks: [schedule]);

        string backupDir = Path.Combine(dir, "b");
        NewProgram();
        var first = Build();
        using var cts = new CancellationTokenSource();
        first.Fit(x, y, batchSize: 7, epochs: 3, verbose: 0, cancellationToken: cts.Token,
            callbacks: [new LearningRateScheduler(e => 0.01 / (e + 1)), new CancelAt(cts, 2, 0), new BackupAndRestore(backupDir, saveFreq: 1, deleteCheckpoint: false)]);
        var saved = Models.LoadModel(Path.Combine(backupDir, "latest.h5"));
        Assert.AreEqual(first.Optimizer!.LearningRate, saved.Optimizer!.LearningRate, "the learning rate of epoch 2 is in the backup");
        Assert.AreEqual(first.Optimizer.Iterations, saved.Optimizer.Iterations);

        NewProgram(seed: 5); // the restored run needs no seed for its weights: they come from the backup
        var second = Build();
        KerasUtils.SetRandomSeed(1); // but the shuffle of epoch 2 does
        var backup = new BackupAndRestore(backupDir, saveFreq: 1, deleteCheckpoint: false);
        second.Fit(x, y, batchSize: 7, epochs: 3, verbose: 0, callbacks: [new LearningRateScheduler(e => 0.01 / (e + 1)), backup]);
        Assert.AreEqual((2, 1), backup.RestoredPosition);
        AssertSameState(full, second);
        Assert.IsTrue(File.Exists(backup.BackupPath), "deleteCheckpoint: false keeps it");
        Assert.AreEqual((3, 0), backup.LastSaved);
    }

    [TestMethod]
    public void BackupAndRestore_KeepsReduceLROnPlateauAndCheckpointState()
    {
        // minDelta 10: only the first epoch improves, so with patience 1 every later epoch end halves the learning rate;
        // a resumed run that forgot the reducer's best value would see an improvement at epoch 2 and not halve it.
        var (x, y) = Data();
        Callback[] Callbacks(string save) =>
        [
            new ReduceLROnPlateau(monitor: "loss", factor: 0.5, patience: 1, minDelta: 10),
            new ModelCheckpoint(Path.Combine(save, "m.{epoch:02d}.h5"), monitor: "loss", saveBestOnly: true),
        ];
        NewProgram();
        var full = Build();
        string fullSave = Path.Combine(dir, "full");
        Directory.CreateDirectory(fullSave);
        full.Fit(x, y, batchSize: 7, epochs: 4, verbose: 0, callbacks: Callbacks(fullSave));
        Assert.AreEqual(0.01 / 8, full.Optimizer!.LearningRate, 1e-9, "halved after epochs 2, 3 and 4");

        string backupDir = Path.Combine(dir, "b"), save = Path.Combine(dir, "run");
        Directory.CreateDirectory(save);
        NewProgram();
        var first = Build();
        using var cts = new CancellationTokenSource();
        first.Fit(x, y, batchSize: 7, epochs: 4, verbose: 0, cancellationToken: cts.Token,
            callbacks: [.. Callbacks(save), new CancelAt(cts, 2, 1), new BackupAndRestore(backupDir)]);
        Assert.IsTrue(first.TrainingCancelled);

        NewProgram();
        var second = Build();
        second.Fit(x, y, batchSize: 7, epochs: 4, verbose: 0, callbacks: [.. Callbacks(save), new BackupAndRestore(backupDir)]);
        AssertSameState(full, second);
        CollectionAssert.AreEqual(Directory.GetFiles(fullSave).Select(Path.GetFileName).Order().ToArray(),
            Directory.GetFiles(save).Select(Path.GetFileName).Order().ToArray(), "the checkpoint saved the same epochs");
    }

    [TestMethod]
    public void BackupAndRestore_BadArguments_AreClear()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new BackupAndRestore(dir, saveFreq: "batch")).Message, "save_freq=batch");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new BackupAndRestore(dir, saveFreq: 0)).Message, "save_freq=0");
        Assert.ThrowsExactly<ArgumentException>(() => new BackupAndRestore(" "));
        // An unwritable backup folder fails at the start of Fit, before any training.
        string file = Path.Combine(dir, "plain");
        File.WriteAllText(file, "");
        var unwritable = Build();
        var before = unwritable.Optimizer!.Iterations;
        var (x0, y0) = Data();
        var io = Assert.ThrowsExactly<IOException>(() => unwritable.Fit(x0, y0, epochs: 1, verbose: 0, callbacks: [new BackupAndRestore(Path.Combine(file, "b"))]));
        StringAssert.StartsWith(io.Message, $"Cannot write into the folder '{Path.Combine(file, "b")}': ");
        Assert.AreEqual(before, unwritable.Optimizer.Iterations, "nothing trained");
        // A file that is not a backup is refused with its path, not silently ignored.
        var model = Build();
        model.Save(Path.Combine(dir, "latest.h5"));
        var (x, y) = Data();
        var e = Assert.ThrowsExactly<InvalidDataException>(() => Build().Fit(x, y, epochs: 1, verbose: 0, callbacks: [new BackupAndRestore(dir)]));
        StringAssert.Contains(e.Message, Path.Combine(dir, "latest.h5"));
    }

    [TestMethod]
    public void Fit_AlreadyCancelledToken_TrainsNothingAndRunsTrainEnd()
    {
        var (x, y) = Data();
        NewProgram();
        var model = Build();
        var before = model.GetWeights();
        var probe = new CancelAt(new CancellationTokenSource(), -1, -1);
        var history = model.Fit(x, y, epochs: 2, verbose: 0, callbacks: [probe], cancellationToken: new CancellationToken(canceled: true));
        Assert.IsTrue(model.TrainingCancelled);
        Assert.IsTrue(probe.TrainEnded);
        Assert.AreEqual(0, history.Epoch.Count);
        Assert.IsTrue(before.Zip(model.GetWeights()).All(p => p.First.Float32Data.AsSpan().SequenceEqual(p.Second.Float32Data)));
        model.Fit(x, y, epochs: 1, verbose: 0);
        Assert.IsFalse(model.TrainingCancelled, "reset by the next Fit");
    }
}
