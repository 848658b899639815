using System.Diagnostics;
using System.Globalization;
using ResNetKeras.Distributed;
using ResNetKeras.Engine;
using ResNetKeras.IO;
using ResNetKeras.Keras;
using ResNetKeras.Kernels.Cpu;
using ResNetKeras.MpiWorker;

// One MPI worker of the distributed tests. Modes:
//   train --steps S --global-batch B --out DIR [--bucket-bytes N]: ResNet20 v1 trained data-parallel for S steps on
//       synthetic CIFAR-shaped data; writes DIR/rank{r}.npz with every weight (w000, w001, ...) and the step losses.
//   shard --samples N --global-batch B --epochs E --out DIR: ImageDataGenerator.Flow sharded by the strategy; writes
//       the sample ids this worker saw, one line per epoch, to DIR/ids{r}.txt.
//   fit --out DIR: Model.Fit of a small regularized dense model with validation, a checkpoint and a CSV log per
//       rank name; writes DIR/rank{r}.npz with the weights and the history (h_loss, h_val_accuracy, ...).
//   resume --phase 1|2 --out DIR: the fit case stopped after epoch 1 (chief's checkpoint) and relaunched from it;
//       phase 2 writes DIR/resumed{r}.npz.
//   loop --steps S [--timeout SEC]: a small model trained step after step, each step printed with this worker's pid.
var opts = new Dictionary<string, string>();
for (int i = 1; i + 1 < args.Length; i += 2) opts[args[i].TrimStart('-')] = args[i + 1];
string Opt(string k, string d) => opts.TryGetValue(k, out var v) ? v : d;
int IntOpt(string k, int d) => int.Parse(Opt(k, d.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
CpuParallel.MaxDegreeOfParallelism = IntOpt("threads", 1);
TimeSpan? timeout = opts.ContainsKey("timeout") ? TimeSpan.FromSeconds(double.Parse(opts["timeout"], CultureInfo.InvariantCulture)) : null;
string mode = args.Length > 0 ? args[0] : throw new ArgumentException("Usage: ResNetKeras.MpiWorker train|shard|loop [--option value ...]");

// --timeout bounds the collectives of the loop mode once both workers run; start-up (two runtimes starting on a busy
// machine) keeps the default bound.
using var strategy = new MultiWorkerMirroredStrategy(MpiCollectives.Initialize(), bucketBytes: IntOpt("bucket-bytes", MultiWorkerMirroredStrategy.DefaultBucketBytes));
int rank = strategy.WorkerIndex;
switch (mode)
{
    case "train":
    {
        int steps = IntOpt("steps", 3), globalBatch = IntOpt("global-batch", 4);
        string outDir = Opt("out", ".");
        // Different initial weights on every worker: the broadcast from the chief must make them equal.
        Backend.ClearSession();
        Backend.SetRandomSeed((uint)(100 + rank));
        var model = ResNetCifar.ResNetV1(inputShape: [32, 32, 3], depth: 20);
        var optimizer = new Adam(learningRate: 1e-3);
        strategy.BroadcastModel(model, optimizer);
        var (x, y) = SyntheticData.Make(steps * globalBatch, seed: 7);
        var losses = new float[steps];
        for (int s = 0; s < steps; s++)
        {
            var xb = strategy.ShardBatch(x[$"{s * globalBatch}:{(s + 1) * globalBatch}"]);
            var yb = strategy.ShardBatch(y[$"{s * globalBatch}:{(s + 1) * globalBatch}"]);
            losses[s] = DataParallelStep.Run(strategy, model, optimizer, xb, yb);
        }
        var arrays = new Dictionary<string, NDArray>();
        var weights = model.GetWeights();
        for (int i = 0; i < weights.Count; i++) arrays[$"w{i:D3}"] = weights[i];
        arrays["losses"] = np.array(losses);
        Npy.SaveNpz(Path.Combine(outDir, $"rank{rank}.npz"), arrays);
        Console.WriteLine($"rank {rank}: trained {steps} steps, {strategy.AllReduceCount} all-reduces");
        break;
    }
    case "shard":
    {
        int n = IntOpt("samples", 23), globalBatch = IntOpt("global-batch", 5), epochs = IntOpt("epochs", 2);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i;
        var datagen = new ImageDataGenerator();
        // No seed: the strategy gave every worker the chief's random state, so the workers shuffle alike.
        var flow = strategy.Shard(datagen.Flow(np.array(x).reshape(n, 1, 1, 1), np.array(x), batchSize: globalBatch, shuffle: true));
        using var file = new StreamWriter(Path.Combine(Opt("out", "."), $"ids{rank}.txt"));
        for (int e = 0; e < epochs; e++)
        {
            var seen = new List<int>();
            for (int b = 0; b < flow.Count; b++)
            {
                var (_, yb) = flow.GetItem(b);
                foreach (float id in yb!.ToArray<float>()) seen.Add((int)id);
            }
            file.WriteLine(string.Join(' ', seen));
            flow.OnEpochEnd();
        }
        break;
    }
    case "resume":
    {
        // A job stopped after epoch 1 and relaunched: phase 1 trains one epoch and the chief checkpoints it; phase 2 (a new
        // mpirun) loads the checkpoint on every worker and trains epoch 2 with initialEpoch.
        string outDir = Opt("out", ".");
        var data = FitCase.Data();
        var checkpoint = Path.Combine(outDir, "checkpoint.h5");
        Model model;
        if (IntOpt("phase", 1) == 1)
        {
            using (strategy.Scope()) model = FitCase.BuildAndCompile();
            FitCase.Fit(model, data, [new ModelCheckpoint(filepath: checkpoint)], epochs: 1);
            break;
        }
        using (strategy.Scope()) model = Models.LoadModel(checkpoint);
        FitCase.Fit(model, data, epochs: 2, initialEpoch: 1);
        var weights = model.GetWeights();
        var arrays = new Dictionary<string, NDArray>();
        for (int i = 0; i < weights.Count; i++) arrays[$"w{i:D3}"] = weights[i];
        Npy.SaveNpz(Path.Combine(outDir, $"resumed{rank}.npz"), arrays);
        break;
    }
    case "loop":
    {
        int steps = IntOpt("steps", 100000);
        Backend.SetRandomSeed(1);
        var inputs = Layers.Input(shape: [8]);
        var model = new Model(inputs, new Dense(4, activation: "softmax").Call(new Dense(16, activation: "relu").Call(inputs)));
        var optimizer = new SGD(learningRate: 0.01);
        strategy.BroadcastModel(model, optimizer);
        var rs = new RandomState(3);
        var xs = new float[2 * 8];
        for (int i = 0; i < xs.Length; i++) xs[i] = (float)rs.NextDouble();
        var x = np.array(xs).reshape(2, 8);
        var y = Utils.ToCategorical(np.array(new float[] { 1, 3 }), 4);
        strategy.Barrier();
        if (timeout is { } bound) strategy.Collectives.Timeout = bound;
        var clock = Stopwatch.StartNew();
        for (int s = 0; s < steps; s++)
        {
            DataParallelStep.Run(strategy, model, optimizer, strategy.ShardBatch(x), strategy.ShardBatch(y));
            if (s % 50 == 0) Console.WriteLine($"rank {rank} pid {Environment.ProcessId} step {s} t {clock.Elapsed.TotalSeconds:0.0}");
            Thread.Sleep(2);
        }
        break;
    }
    case "fit":
    {
        string outDir = Opt("out", ".");
        var data = FitCase.Data();
        Model model;
        using (strategy.Scope()) model = FitCase.BuildAndCompile();
        var history = FitCase.Fit(model, data, [new ModelCheckpoint(filepath: Path.Combine(outDir, $"model_r{rank}.h5")), new CSVLogger(Path.Combine(outDir, $"log_r{rank}.csv"))]);
        var arrays = new Dictionary<string, NDArray>();
        var weights = model.GetWeights();
        for (int i = 0; i < weights.Count; i++) arrays[$"w{i:D3}"] = weights[i];
        foreach (var (key, values) in history.HistoryData) arrays["h_" + key] = np.array(values.ToArray());
        Npy.SaveNpz(Path.Combine(outDir, $"rank{rank}.npz"), arrays);
        break;
    }
    default:
        throw new ArgumentException($"Unknown mode '{mode}'. Expected train, shard, fit, resume or loop.", nameof(args));
}
