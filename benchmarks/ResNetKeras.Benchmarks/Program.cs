// Throughput benchmark: one JSON line per run, e.g.
//   dotnet run -c Release --project benchmarks/ResNetKeras.Benchmarks -- train --model resnet_v1 --depth 20 --batch-size 128 --steps 20 --warmup 3
// Modes: train (Fit steps with Adam and categorical cross-entropy), predict (inference), augment (ImageDataGenerator
// RandomTransform + ApplyTransform on 32x32x3 images with the tutorial's settings, one thread), conv (one 3x3 16->16
// conv forward+backward on 128x32x32x16). --profile adds the time per op type. Train and predict also report the peak
// working set and the GC work of the timed steps (collections, total pause), the per-step arena's evidence.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.Keras;
using ResNetKeras.Kernels.Cpu;
using ResNetKeras.Ops;

static string Arg(string[] a, string name, string def)
{
    int i = Array.IndexOf(a, name);
    return i >= 0 && i + 1 < a.Length ? a[i + 1] : def;
}

if (args.Length == 0 || args[0] is not ("train" or "predict" or "augment" or "conv"))
{
    Console.Error.WriteLine("usage: ResNetKeras.Benchmarks train|predict|augment|conv [--model resnet_v1|resnet_v2] [--depth 20] [--batch-size 128] [--steps 20] [--warmup 3] [--threads N] [--device cpu|sim] [--profile]");
    return 2;
}
string mode = args[0];
string modelName = Arg(args, "--model", "resnet_v1");
int depth = int.Parse(Arg(args, "--depth", "20"), CultureInfo.InvariantCulture);
int batch = int.Parse(Arg(args, "--batch-size", "128"), CultureInfo.InvariantCulture);
int steps = int.Parse(Arg(args, "--steps", "20"), CultureInfo.InvariantCulture);
int warmup = int.Parse(Arg(args, "--warmup", "3"), CultureInfo.InvariantCulture);
int threads = int.Parse(Arg(args, "--threads", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
CpuParallel.MaxDegreeOfParallelism = threads;
try { Backend.SetDevice(Arg(args, "--device", "cpu")); }
catch (ArgumentException e) { Console.Error.WriteLine(e.Message); return 2; }
Backend.SetRandomSeed(0);
var rng = new RandomState(0);
var result = new Dictionary<string, object> { ["mode"] = mode, ["threads"] = threads, ["device"] = Backend.Device.Name };

if (mode == "augment")
{
    var gen = new ImageDataGenerator(widthShiftRange: 0.1, heightShiftRange: 0.1, horizontalFlip: true, fillMode: "nearest");
    var img = NumSharp.np.zeros(new NumSharp.Shape(32, 32, 3), NumSharp.np.float32);
    var imgData = img.WriteSpan<float>();
    for (int i = 0; i < imgData.Length; i++) imgData[i] = (float)rng.NextDouble();
    int n = steps * 1000;
    // Each transformed image is a new NumSharp array: disposed at once, as a program that keeps none of them would.
    for (int i = 0; i < 2000; i++) gen.ApplyTransform(img, gen.GetRandomTransform(img.IntShape, rng)).Dispose();
    var sw0 = Stopwatch.StartNew();
    for (int i = 0; i < n; i++) gen.ApplyTransform(img, gen.GetRandomTransform(img.IntShape, rng)).Dispose();
    result["images_per_sec"] = Math.Round(n / sw0.Elapsed.TotalSeconds, 1);
    result["images"] = n;
    Console.WriteLine(JsonSerializer.Serialize(result));
    return 0;
}

if (mode == "conv")
{
    var xv = new float[batch * 32 * 32 * 16];
    var kv = new float[3 * 3 * 16 * 16];
    for (int i = 0; i < xv.Length; i++) xv[i] = (float)rng.Uniform(-1, 1);
    for (int i = 0; i < kv.Length; i++) kv[i] = (float)rng.Uniform(-0.1, 0.1);
    var x = new Tensor(xv, batch, 32, 32, 16);
    var k = new Tensor(kv, 3, 3, 16, 16);
    double Step()
    {
        var sw1 = Stopwatch.StartNew();
        using var tape = new GradientTape();
        tape.Watch(x); tape.Watch(k);
        var y = Op.Conv2D(x, k, 1, 1, "same");
        tape.Gradient(y, [x, k], y);
        x.Device.Synchronize();
        return sw1.Elapsed.TotalMilliseconds;
    }
    for (int i = 0; i < warmup; i++) Step();
    var times = Enumerable.Range(0, steps).Select(_ => Step()).OrderBy(t => t).ToList();
    result["shape"] = $"{batch}x32x32x16 3x3 16->16 same";
    result["forward_backward_ms_median"] = Math.Round(times[times.Count / 2], 2);
    Console.WriteLine(JsonSerializer.Serialize(result));
    return 0;
}

var model = modelName switch
{
    "resnet_v1" => ResNetCifar.ResNetV1([32, 32, 3], depth),
    "resnet_v2" => ResNetCifar.ResNetV2([32, 32, 3], depth),
    _ => throw new ArgumentException($"--model must be resnet_v1 or resnet_v2; received {modelName}."),
};
model.Compile(new Adam(), "categorical_crossentropy", ["accuracy"]);
var xb = NumSharp.np.zeros(new NumSharp.Shape(batch, 32, 32, 3), NumSharp.np.float32);
var xbData = xb.WriteSpan<float>();
for (int i = 0; i < xbData.Length; i++) xbData[i] = (float)rng.Uniform(-1, 1);
var yb = NumSharp.np.zeros(new NumSharp.Shape(batch, 10), NumSharp.np.float32);
var ybData = yb.WriteSpan<float>();
for (int i = 0; i < batch; i++) ybData[i * 10 + (int)rng.Interval(9)] = 1;
bool profile = args.Contains("--profile");
if (profile) ResNetKeras.Kernels.KernelProfiler.Enabled = true;

double RunSteps(int count)
{
    var sw = Stopwatch.StartNew();
    if (mode == "train") for (int i = 0; i < count; i++) model.TrainOnBatch(xb, yb);
    else for (int i = 0; i < count; i++) model.Predict(xb, batchSize: batch).Dispose();
    Backend.Device.Synchronize();
    return sw.Elapsed.TotalSeconds;
}
RunSteps(warmup);
ResNetKeras.Kernels.KernelProfiler.Reset();
long gcBefore = GC.CollectionCount(0), gen2Before = GC.CollectionCount(2);
var pauseBefore = GC.GetTotalPauseDuration();
long allocBefore = GC.GetAllocatedBytesForCurrentThread();
double seconds = RunSteps(steps);
result["model"] = modelName;
result["depth"] = depth;
result["batch_size"] = batch;
result["steps"] = steps;
result["images_per_sec"] = Math.Round(batch * steps / seconds, 1);
result["peak_working_set_mb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1);
result["gen0_collections"] = GC.CollectionCount(0) - gcBefore;
result["gen2_collections"] = GC.CollectionCount(2) - gen2Before;
result["gc_pause_ms"] = Math.Round((GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds, 1);
result["allocated_mb_per_step"] = Math.Round((GC.GetAllocatedBytesForCurrentThread() - allocBefore) / 1048576.0 / steps, 1);
Console.WriteLine(JsonSerializer.Serialize(result));
if (profile) Console.WriteLine(ResNetKeras.Kernels.KernelProfiler.Report());
return 0;
