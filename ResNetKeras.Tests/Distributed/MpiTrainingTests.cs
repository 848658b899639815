using System.Diagnostics;
using ResNetKeras.Engine;
using ResNetKeras.IO;
using ResNetKeras.Keras;
using ResNetKeras.MpiWorker;

namespace ResNetKeras.Tests.Distributed;

/// <summary>Two real MPI workers (mpirun -np 2) against a single-process computation of the same steps.</summary>
[TestClass]
[DoNotParallelize]
public sealed class MpiTrainingTests
{
    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "resnetkeras-mpi-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public void TwoWorkers_ResNet20_MatchTheSingleProcessAverageOfTheirGradients()
    {
        const int steps = 3, globalBatch = 4;
        var dir = TempDir();
        try
        {
            // 64 KB buckets: ResNet20's 1.1 MB of gradients travel in many fused buckets.
            var (rc, output) = MpiRunner.Run(TimeSpan.FromSeconds(180), 2, "train", "--steps", $"{steps}", "--global-batch", $"{globalBatch}",
                "--bucket-bytes", "65536", "--out", dir);
            Assert.AreEqual(0, rc, output);
            var ranks = new[] { Npy.LoadNpz(Path.Combine(dir, "rank0.npz")), Npy.LoadNpz(Path.Combine(dir, "rank1.npz")) };

            // The reference: two replicas of rank 0's initial model in one process; each step both compute gradients
            // on their half of the global batch, the average is applied to both.
            Backend.ClearSession();
            Backend.SetRandomSeed(100);
            var replicas = new Model[2];
            var optimizers = new Optimizer[2];
            replicas[0] = ResNetCifar.ResNetV1(inputShape: [32, 32, 3], depth: 20);
            replicas[1] = ResNetCifar.ResNetV1(inputShape: [32, 32, 3], depth: 20);
            replicas[1].SetWeights(replicas[0].GetWeights());
            for (int r = 0; r < 2; r++) optimizers[r] = new Adam(learningRate: 1e-3);
            var (x, y) = SyntheticData.Make(steps * globalBatch, seed: 7);
            var losses = new float[2, steps];
            for (int s = 0; s < steps; s++)
            {
                var grads = new Tensor[2][];
                for (int r = 0; r < 2; r++)
                {
                    int start = s * globalBatch + r * globalBatch / 2;
                    (grads[r], losses[r, s]) = DataParallelStep.Gradients(replicas[r], x.Slice(start, start + globalBatch / 2), y.Slice(start, start + globalBatch / 2));
                }
                for (int r = 0; r < 2; r++)
                {
                    var vars = replicas[r].TrainableWeights;
                    var avg = grads[0].Select((g, i) =>
                    {
                        var a = g.ToNDArray().Float32Data;
                        var b = grads[1][i].ToNDArray().Float32Data;
                        var m = new float[a.Length];
                        for (int k = 0; k < m.Length; k++) m[k] = (a[k] + b[k]) / 2;
                        return (Tensor.FromNDArray(ND.Of(m, g.Shape)), vars[i]);
                    }).ToList();
                    optimizers[r].ApplyGradients(avg);
                }
            }

            var trainable = new HashSet<Variable>(replicas[0].TrainableWeights, ReferenceEqualityComparer.Instance);
            var weights0 = replicas[0].Weights;
            int checkedTrainable = 0;
            for (int r = 0; r < 2; r++)
            {
                var expected = replicas[r].GetWeights();
                Assert.AreEqual(expected.Count + 1, ranks[r].Count, "every weight and the losses");
                for (int i = 0; i < expected.Count; i++)
                {
                    var got = ranks[r][$"w{i:D3}"].Float32Data;
                    var want = expected[i].Float32Data;
                    float worst = 0;
                    for (int k = 0; k < want.Length; k++) worst = Math.Max(worst, Math.Abs(got[k] - want[k]));
                    Assert.IsTrue(worst <= 1e-5f, $"rank {r} weight {weights0[i].Name}: differs from the single-process reference by {worst}");
                    if (r == 1 && trainable.Contains(weights0[i]))
                    {
                        CollectionAssert.AreEqual(ranks[0][$"w{i:D3}"].Float32Data, got, $"{weights0[i].Name}: trainable weights are identical on both ranks");
                        checkedTrainable++;
                    }
                }
                for (int s = 0; s < steps; s++)
                    Assert.AreEqual(losses[r, s], ranks[r]["losses"].Float32Data[s], 1e-5f, $"rank {r} loss of step {s}");
            }
            Assert.AreEqual(replicas[0].TrainableWeights.Count, checkedTrainable);
            // Batch-norm statistics are per worker (each saw its own half), as in Keras.
            var movingMean = weights0.Select((w, i) => (w, i)).First(p => p.w.Name.Contains("moving_mean")).i;
            CollectionAssert.AreNotEqual(ranks[0][$"w{movingMean:D3}"].Float32Data, ranks[1][$"w{movingMean:D3}"].Float32Data);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public void TwoWorkers_Fit_EqualsOneProcessFitOnTheGlobalBatches()
    {
        var dir = TempDir();
        try
        {
            var (rc, output) = MpiRunner.Run(TimeSpan.FromSeconds(180), 2, "fit", "--out", dir);
            Assert.AreEqual(0, rc, output);
            var ranks = new[] { Npy.LoadNpz(Path.Combine(dir, "rank0.npz")), Npy.LoadNpz(Path.Combine(dir, "rank1.npz")) };
            var model = FitCase.BuildAndCompile();
            var history = FitCase.Fit(model, FitCase.Data());
            var expected = model.GetWeights();
            for (int i = 0; i < expected.Count; i++)
            {
                CollectionAssert.AreEqual(ranks[0][$"w{i:D3}"].Float32Data, ranks[1][$"w{i:D3}"].Float32Data, $"weight {i} identical on both workers");
                AssertClose(expected[i].Float32Data, ranks[0][$"w{i:D3}"].Float32Data, $"weight {i}");
            }
            CollectionAssert.AreEquivalent(new[] { "loss", "accuracy", "val_loss", "val_accuracy" }, history.HistoryData.Keys.ToArray());
            foreach (var (key, values) in history.HistoryData)
            {
                // The logged loss and metrics are of all workers' samples: the same on both, and the one process's values.
                CollectionAssert.AreEqual(ranks[0]["h_" + key].ToDoubleArray(), ranks[1]["h_" + key].ToDoubleArray(), key);
                AssertClose(values.Select(v => (float)v).ToArray(), ranks[0]["h_" + key].ToDoubleArray().Select(v => (float)v).ToArray(), key);
            }
            Assert.IsTrue(File.Exists(Path.Combine(dir, "model_r0.h5")) && File.Exists(Path.Combine(dir, "log_r0.csv")), "the chief writes its checkpoint and CSV log");
            Assert.IsFalse(File.Exists(Path.Combine(dir, "model_r1.h5")) || File.Exists(Path.Combine(dir, "log_r1.csv")), "the other worker writes nothing");
            Assert.AreEqual(1, output.Split("Epoch 1/2").Length - 1, $"one progress bar, the chief's:\n{output}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    [Timeout(240_000, CooperativeCancellation = true)]
    public void Tutorial_Distributed_TrainsWithAugmentationOnTwoWorkersAndOnlyTheChiefWrites()
    {
        var dir = TempDir();
        try
        {
            var data = Path.Combine(dir, "data");
            Directory.CreateDirectory(data);
            var rng = new RandomState(4);
            for (int f = 0; f < 6; f++)
            {
                const int n = 4;
                var bytes = new byte[n * 3073];
                for (int i = 0; i < n; i++)
                {
                    int label = (f * n + i) % 10;
                    bytes[i * 3073] = (byte)label;
                    for (int p = 0; p < 3072; p++) bytes[i * 3073 + 1 + p] = (byte)(label * 20 + rng.Interval(40));
                }
                File.WriteAllBytes(Path.Combine(data, f < 5 ? $"data_batch_{f + 1}.bin" : "test_batch.bin"), bytes);
            }
            var save = Path.Combine(dir, "saved");
            // ImageDataGenerator.Flow through Fit: the sequence path, sharded per worker.
            var (rc, output) = MpiRunner.RunProgram("Cifar10ResNet.dll", TimeSpan.FromSeconds(180), 2, "--distributed", "--data-dir", data,
                "--epochs", "2", "--version", "1", "--n", "1", "--batch-size", "8", "--seed", "1", "--save-dir", save, "--verbose", "2", "--workers", "1");
            Assert.AreEqual(0, rc, output);
            Assert.AreEqual(1, output.Split("Test accuracy: ").Length - 1, $"only the chief prints:\n{output}");
            Assert.AreEqual(1, output.Split("\nResNet8v1\n").Length - 1, output);
            StringAssert.Contains(output, "Using real-time data augmentation.");
            Assert.IsTrue(File.Exists(Path.Combine(save, "cifar10_ResNet8v1_history.csv")), output);
            Assert.IsTrue(File.Exists(Path.Combine(save, "cifar10_ResNet8v1_history.svg")), output);
            Assert.AreEqual(3, File.ReadAllLines(Path.Combine(save, "cifar10_ResNet8v1_history.csv")).Length, "a header and two epochs");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    [Timeout(300_000, CooperativeCancellation = true)]
    public void TwoWorkers_RelaunchedFromTheChiefsCheckpoint_EndAsAnUninterruptedJob()
    {
        var dir = TempDir();
        try
        {
            var (rc, output) = MpiRunner.Run(TimeSpan.FromSeconds(120), 2, "fit", "--out", dir);
            Assert.AreEqual(0, rc, output);
            (rc, output) = MpiRunner.Run(TimeSpan.FromSeconds(120), 2, "resume", "--phase", "1", "--out", dir);
            Assert.AreEqual(0, rc, output);
            Assert.IsTrue(File.Exists(Path.Combine(dir, "checkpoint.h5")), output);
            (rc, output) = MpiRunner.Run(TimeSpan.FromSeconds(120), 2, "resume", "--phase", "2", "--out", dir);
            Assert.AreEqual(0, rc, output);
            for (int r = 0; r < 2; r++)
            {
                var uninterrupted = Npy.LoadNpz(Path.Combine(dir, $"rank{r}.npz"));
                var resumed = Npy.LoadNpz(Path.Combine(dir, $"resumed{r}.npz"));
                Assert.AreEqual(4, resumed.Count, "two kernels and two biases");
                Assert.AreEqual(resumed.Count, uninterrupted.Keys.Count(k => k.StartsWith('w')));
                for (int i = 0; resumed.ContainsKey($"w{i:D3}"); i++)
                    AssertClose(uninterrupted[$"w{i:D3}"].Float32Data, resumed[$"w{i:D3}"].Float32Data, $"rank {r} weight {i}");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.AreEqual(expected.Length, actual.Length, what);
        for (int k = 0; k < expected.Length; k++)
            Assert.IsTrue(Math.Abs(expected[k] - actual[k]) <= 1e-5f, $"{what}[{k}]: expected {expected[k]}, got {actual[k]}");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void TwoWorkers_ShardedFlow_CoverEverySampleOncePerEpoch()
    {
        const int n = 23, epochs = 3;
        var dir = TempDir();
        try
        {
            var (rc, output) = MpiRunner.Run(TimeSpan.FromSeconds(90), 2, "shard", "--samples", $"{n}", "--global-batch", "5", "--epochs", $"{epochs}", "--out", dir);
            Assert.AreEqual(0, rc, output);
            var lines = new[] { File.ReadAllLines(Path.Combine(dir, "ids0.txt")), File.ReadAllLines(Path.Combine(dir, "ids1.txt")) };
            var orders = new List<string>();
            for (int e = 0; e < epochs; e++)
            {
                var ids = lines.SelectMany(l => l[e].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)).ToList();
                CollectionAssert.AreEqual(Enumerable.Range(0, n).ToList(), ids.Order().ToList(), $"epoch {e}: every sample exactly once over both workers\n{output}");
                // 5 batches of 5,5,5,5,3: rank 0 takes 3,3,3,3,2 samples, rank 1 2,2,2,2,1.
                Assert.AreEqual(14, lines[0][e].Split(' ').Length);
                orders.Add(lines[0][e]);
            }
            Assert.AreEqual(epochs, orders.Distinct().Count(), "the global order is reshuffled every epoch");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void KilledWorker_EndsTheOtherWithAClearErrorWithin60Seconds()
    {
        using var job = MpiRunner.Start(2, "loop", "--timeout", "30");
        var line = job.WaitForLine(l => l.StartsWith("rank 1 pid ", StringComparison.Ordinal), TimeSpan.FromSeconds(45));
        Assert.IsNotNull(line, $"rank 1 never trained:\n{job.Output}");
        int pid = int.Parse(line.Split(' ')[3]);
        var clock = Stopwatch.StartNew();
        Process.GetProcessById(pid).Kill();
        Assert.IsTrue(job.WaitForExit(TimeSpan.FromSeconds(60)), $"the surviving worker still runs 60 s after rank 1 was killed:\n{job.Output}");
        Assert.AreNotEqual(0, job.ExitCode);
        StringAssert.Contains(job.Output, "process rank 1", "mpirun names the dead worker");
        StringAssert.Contains(job.Output, "signal 9");
        Assert.IsTrue(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void HungWorker_EndsTheOtherWithATimeoutErrorWithin60Seconds()
    {
        using var job = MpiRunner.Start(2, "loop", "--timeout", "10");
        var line = job.WaitForLine(l => l.StartsWith("rank 1 pid ", StringComparison.Ordinal), TimeSpan.FromSeconds(45));
        Assert.IsNotNull(line, $"rank 1 never trained:\n{job.Output}");
        int pid = int.Parse(line.Split(' ')[3]);
        var clock = Stopwatch.StartNew();
        // A hung worker: stopped, alive, silent. Only the survivor's bounded wait can end the job.
        using (var stop = Process.Start("kill", ["-STOP", pid.ToString()])) stop.WaitForExit();
        try
        {
            Assert.IsTrue(job.WaitForExit(TimeSpan.FromSeconds(60)), $"the job still runs 60 s after rank 1 hung:\n{job.Output}");
            Assert.AreNotEqual(0, job.ExitCode);
            StringAssert.Contains(job.Output, "[rank 0 of 2] all-reduce");
            StringAssert.Contains(job.Output, "did not join within 10 s");
            Assert.IsTrue(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        }
        finally
        {
            try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { } catch (InvalidOperationException) { }
        }
    }
}
