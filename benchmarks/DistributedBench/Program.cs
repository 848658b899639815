using System.Diagnostics;
using System.Globalization;
using ResNetKeras.Engine;
using ResNetKeras.Keras;
using ResNetKeras.Kernels.Cpu;

// Data-parallel training throughput of ResNet20 v1 (CIFAR shapes, synthetic data), run alone or under mpirun:
//   dotnet DistributedBench.dll --threads 2                          (1 process x 2 threads)
//   mpirun -np 2 --bind-to core dotnet DistributedBench.dll --threads 1   (2 processes x 1 thread)
// Model.Fit with the global batch split across the workers, so both runs train on the same images per step. Rank 0 prints one
// JSON line: images/s over the timed steps, the gradient all-reduce time per step as the training loop saw it
// (including waiting for the slower worker), and a bare all-reduce of the same gradient buckets after a barrier.
var opts = new Dictionary<string, string>();
for (int i = 0; i + 1 < args.Length; i += 2) opts[args[i].TrimStart('-')] = args[i + 1];
int Opt(string k, int d) => opts.TryGetValue(k, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : d;
int globalBatch = Opt("batch-size", 64), steps = Opt("steps", 15), warmup = Opt("warmup", 3), depth = Opt("depth", 20);
CpuParallel.MaxDegreeOfParallelism = Opt("threads", Environment.ProcessorCount);

using var strategy = new MultiWorkerMirroredStrategy();
Model model;
using (strategy.Scope())
{
    Backend.SetRandomSeed(1);
    model = ResNetCifar.ResNetV1(inputShape: [32, 32, 3], depth: depth);
    model.Compile(new Adam(learningRate: 1e-3), "categorical_crossentropy", ["accuracy"]);
}
var vars = model.TrainableWeights;
(NumSharp.NDArray X, NumSharp.NDArray Y) Data(int batches)
{
    var rs = new RandomState(7);
    int n = batches * globalBatch;
    var xs = new float[n * 32 * 32 * 3];
    for (int i = 0; i < xs.Length; i++) xs[i] = (float)(rs.NextDouble() - 0.5);
    var labels = new float[n];
    for (int i = 0; i < n; i++) labels[i] = i % 10;
    return (NumSharp.np.array(xs).reshape(n, 32, 32, 3), Utils.ToCategorical(NumSharp.np.array(labels), 10));
}
// Model.Fit on arrays, the global batch split across the workers by the strategy.
var warm = Data(warmup);
model.Fit(warm.X, warm.Y, batchSize: globalBatch, epochs: 1, verbose: 0, shuffle: false);
var timed = Data(steps);
strategy.Barrier();
var before = strategy.AllReduceTime;
var clock = Stopwatch.StartNew();
model.Fit(timed.X, timed.Y, batchSize: globalBatch, epochs: 1, verbose: 0, shuffle: false);
strategy.Barrier();
double seconds = clock.Elapsed.TotalSeconds;
double allReduceMs = (strategy.AllReduceTime - before).TotalMilliseconds / steps;

// The bare collective: the same gradient buckets, all workers lined up by a barrier first.
var zeros = vars.Select(v => Tensor.Zeros(v.Shape)).ToArray();
const int reps = 20;
double bareMs = 0;
for (int r = 0; r < reps; r++)
{
    strategy.Barrier();
    var t = Stopwatch.StartNew();
    strategy.AllReduceGradients(zeros);
    bareMs += t.Elapsed.TotalMilliseconds / reps;
}
long gradBytes = vars.Sum(v => (long)v.Value.Size) * 4;
if (strategy.IsChief)
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{{\"workers\": {strategy.NumReplicasInSync}, \"threads_per_worker\": {CpuParallel.MaxDegreeOfParallelism}, \"global_batch\": {globalBatch}, \"steps\": {steps}, " +
        $"\"images_per_sec\": {globalBatch * steps / seconds:F1}, \"step_ms\": {seconds * 1000 / steps:F1}, \"allreduce_ms_per_step\": {allReduceMs:F2}, " +
        $"\"bare_allreduce_ms\": {bareMs:F2}, \"gradient_mb\": {gradBytes / 1e6:F2}}}"));
