// AugmentBench: ImageDataGenerator throughput on 32x32x3 images (CIFAR-10's size).
//   dotnet run -c Release --project benchmarks/AugmentBench [-- --images 20000 --repeats 5]
//   ... -- --zca-side 16 --images 2000: time of Fit with zca_whitening instead (d = 3·side²)
// Each line: the best and the median of --repeats timed runs of --images images, after a warm-up run.
// "one image" rows run GetRandomTransform + ApplyTransform (Keras's random_transform) on one thread;
// "Flow" rows time NumpyArrayIterator.GetItem over batches of 32 (draws, transform, standardize, batch assembly),
// on one thread or through an OrderedEnqueuer with 2 workers.
using System.Diagnostics;
using System.Globalization;
using ResNetKeras.Engine;
using ResNetKeras.Keras;

static int Arg(string[] a, string name, int def)
{
    int i = Array.IndexOf(a, name);
    return i >= 0 && i + 1 < a.Length ? int.Parse(a[i + 1], CultureInfo.InvariantCulture) : def;
}

int images = Arg(args, "--images", 20000);
int zcaSide = Arg(args, "--zca-side", 0);
if (zcaSide > 0)
{
    // Fit with zca_whitening on --images random side x side x 3 images: covariance, eigen-decomposition, ZCA matrix.
    var zrng = new RandomState(5);
    var zx = NumSharp.np.zeros(new NumSharp.Shape(images, zcaSide, zcaSide, 3), NumSharp.np.float32);
    var zd = zx.Unsafe.Span<float>();
    for (int i = 0; i < zd.Length; i++) zd[i] = (float)zrng.NextDouble();
    using var zgen = new ImageDataGenerator(zcaWhitening: true);
    var zsw = Stopwatch.StartNew();
    zgen.Fit(zx);
    Console.WriteLine($"Fit(zca_whitening) on {images} images of {zcaSide}x{zcaSide}x3 (d = {3 * zcaSide * zcaSide}): {zsw.Elapsed.TotalSeconds:F1} s");
    return;
}
int repeats = Arg(args, "--repeats", 5);
var rng = new RandomState(0);
const int pool = 256;
var x = NumSharp.np.zeros(new NumSharp.Shape(pool, 32, 32, 3), NumSharp.np.float32);
var data = x.Unsafe.Span<float>();
for (int i = 0; i < data.Length; i++) data[i] = (float)rng.NextDouble();
var y = NumSharp.np.zeros(new NumSharp.Shape(pool, 10), NumSharp.np.float32);
var samples = Enumerable.Range(0, pool).Select(i => x[i]).ToArray();

(double Best, double Median) Measure(Func<int, int> run)
{
    run(Math.Min(images, 2000));
    var rates = new List<double>();
    for (int r = 0; r < repeats; r++)
    {
        var sw = Stopwatch.StartNew();
        int done = run(images);
        rates.Add(done / sw.Elapsed.TotalSeconds);
    }
    rates.Sort();
    return (rates[^1], rates[rates.Count / 2]);
}

int OneImage(ImageDataGenerator gen, int n)
{
    var r = new RandomState(1);
    for (int i = 0; i < n; i++) gen.ApplyTransform(samples[i % pool], gen.GetRandomTransform([32, 32, 3], r)).Dispose();
    return n;
}

int FlowImages(ImageDataGenerator gen, int n, int workers)
{
    var it = gen.Flow(x, y, batchSize: 32, seed: 3);
    var enqueuer = new OrderedEnqueuer(it, workers);
    int done = 0;
    while (done < n)
    {
        foreach (var (bx, _) in enqueuer.GetEpoch(Enumerable.Range(0, it.Count).ToList()))
        {
            done += (int)bx.shape[0];
            if (done >= n) break;
        }
        it.OnEpochEnd();
    }
    return done;
}

var tutorial = new ImageDataGenerator(widthShiftRange: 0.1, heightShiftRange: 0.1, horizontalFlip: true, fillMode: "nearest");
var tutorialKp = new ImageDataGenerator(widthShiftRange: 0.1, heightShiftRange: 0.1, horizontalFlip: true, fillMode: "nearest", semantics: "keras_preprocessing");
var miniModel = new ImageDataGenerator(rotationRange: 10, widthShiftRange: 5.0 / 32, heightShiftRange: 5.0 / 32, horizontalFlip: true);
var integerShifts = new ImageDataGenerator(widthShiftRange: 4, heightShiftRange: 4, horizontalFlip: true);
var cases = new (string Name, Func<int, int> Run)[]
{
    ("one image, tutorial (shift 0.1, hflip, nearest), keras", n => OneImage(tutorial, n)),
    ("one image, tutorial, keras_preprocessing", n => OneImage(tutorialKp, n)),
    ("one image, MiniModel (rotation 10, shift 5/32, hflip)", n => OneImage(miniModel, n)),
    ("one image, integer shifts (4 px, hflip)", n => OneImage(integerShifts, n)),
    ("Flow batches of 32, tutorial, 1 thread", n => FlowImages(tutorial, n, 1)),
    ("Flow batches of 32, tutorial, OrderedEnqueuer 2 workers", n => FlowImages(tutorial, n, 2)),
};
Console.WriteLine($"ImageDataGenerator on 32x32x3 float32 images; {images} images per run, best/median of {repeats} runs; {Environment.ProcessorCount} CPUs");
Console.WriteLine($"{"case",-60} {"best img/s",12} {"median img/s",14}");
foreach (var (name, run) in cases)
{
    var (best, median) = Measure(run);
    Console.WriteLine($"{name,-60} {best,12:N0} {median,14:N0}");
}
