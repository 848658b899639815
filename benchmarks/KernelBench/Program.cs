// Convolution kernel timings, straight on the CPU kernels (no tape, no allocation in the timed loop):
//   dotnet run -c Release --project benchmarks/KernelBench -- [--threads 2] [--reps 7] [--batch 128] [--only conv16]
// Prints, per ResNet20 convolution shape, the best ms and GFLOP/s of forward, backward-data and backward-filter,
// and the sum weighted by how often ResNet20 v1 runs each shape in one training step. The first row is the issue's
// figure: one 3x3 16->16 'same' convolution on a 128x32x32x16 batch, forward + both backward kernels.
using System.Diagnostics;
using System.Globalization;
using ResNetKeras.Kernels;
using ResNetKeras.Kernels.Cpu;

static string Arg(string[] a, string name, string def)
{
    int i = Array.IndexOf(a, name);
    return i >= 0 && i + 1 < a.Length ? a[i + 1] : def;
}

int threads = int.Parse(Arg(args, "--threads", "2"), CultureInfo.InvariantCulture);
int reps = int.Parse(Arg(args, "--reps", "9"), CultureInfo.InvariantCulture);
int batch = int.Parse(Arg(args, "--batch", "128"), CultureInfo.InvariantCulture);
string only = Arg(args, "--only", "");
CpuParallel.MaxDegreeOfParallelism = threads;
var kernels = new CpuKernels();

// name, H=W, Cin, Cout, kernel, stride, forward count and backward-data count per ResNet20 v1 training step.
(string Name, int Size, int Cin, int Cout, int K, int S, int Fwd, int Data)[] shapes =
[
    ("conv16", 32, 16, 16, 3, 1, 6, 6),
    ("stem", 32, 3, 16, 3, 1, 1, 0),
    ("down32", 32, 16, 32, 3, 2, 1, 1),
    ("proj32", 32, 16, 32, 1, 2, 1, 1),
    ("conv32", 16, 32, 32, 3, 1, 5, 5),
    ("down64", 16, 32, 64, 3, 2, 1, 1),
    ("proj64", 16, 32, 64, 1, 2, 1, 1),
    ("conv64", 8, 64, 64, 3, 1, 5, 5),
];

var rng = new Random(1);
float[] Fill(int n) { var a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float)(rng.NextDouble() * 2 - 1); return a; }
double Best(Action body)
{
    body();
    var t = new double[reps];
    for (int r = 0; r < reps; r++)
    {
        var sw = Stopwatch.StartNew();
        body();
        t[r] = sw.Elapsed.TotalMilliseconds;
    }
    // The minimum: the machine is shared, and interference only ever adds time.
    return t.Min();
}

Console.WriteLine($"threads {threads}, batch {batch}, best of {reps}; ms (GFLOP/s)");
Console.WriteLine($"{"shape",-8} {"forward",16} {"bwd data",16} {"bwd filter",16} {"fwd+bwd ms",11}");
double stepMs = 0;
foreach (var s in shapes)
{
    if (only.Length > 0 && only != s.Name) continue;
    var g = ConvGeometry.Create(batch, s.Size, s.Size, s.Cin, s.K, s.K, s.Cout, s.S, s.S, same: true);
    var x = Fill(batch * g.InImage);
    var w = Fill(s.K * s.K * s.Cin * s.Cout);
    var y = new float[batch * g.OutImage];
    var dy = Fill(y.Length);
    var dx = new float[x.Length];
    var dw = new float[w.Length];
    double gflop = 2.0 * batch * g.OutH * g.OutW * s.Cout * s.K * s.K * s.Cin / 1e9;
    double f = Best(() => kernels.Conv2DForward(x, w, y, g));
    double d = Best(() => kernels.Conv2DBackwardData(dy, w, dx, g));
    double k = Best(() => kernels.Conv2DBackwardFilter(x, dy, dw, g));
    string Cell(double ms) => $"{ms,7:F2} ({gflop / ms * 1e3,5:F1})";
    Console.WriteLine($"{s.Name,-8} {Cell(f),16} {Cell(d),16} {Cell(k),16} {f + d + k,11:F2}");
    stepMs += s.Fwd * (f + k) + s.Data * d;
}
if (only.Length == 0) Console.WriteLine($"ResNet20 v1 convolution time per training step (weighted): {stepMs:F1} ms");
