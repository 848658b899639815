// Convolution kernel timings, straight on the CPU kernels (no tape, no allocation in the timed loop):
//   dotnet run -c Release --project benchmarks/KernelBench -- [--threads 2] [--reps 7] [--batch 128] [--only conv16]
// Prints, per ResNet20 convolution shape, the best ms and GFLOP/s of forward, backward-data and backward-filter,
// and the sum weighted by how often ResNet20 v1 runs each shape in one training step. The first row is the issue's
// figure: one 3x3 16->16 'same' convolution on a 128x32x32x16 batch, forward + both backward kernels.
// The machine is shared, so each cell shows the best wall time of N runs and, after the slash, the best process CPU
// time (all threads) of a run: CPU time hardly moves when other processes take the cores, so it is the figure to
// compare before and after a kernel change.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
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
(double Wall, double Cpu) Best(Action body)
{
    // Warm up past tiered compilation (the drivers start at tier 0 and are recompiled in the background).
    var warm = Stopwatch.StartNew();
    for (int i = 0; i < 3 || warm.ElapsedMilliseconds < 250; i++) body();
    double wall = double.MaxValue, cpu = double.MaxValue;
    for (int r = 0; r < reps; r++)
    {
        double c0 = CpuMs();
        var sw = Stopwatch.StartNew();
        body();
        // The minimum: interference only ever adds time.
        wall = Math.Min(wall, sw.Elapsed.TotalMilliseconds);
        cpu = Math.Min(cpu, CpuMs() - c0);
    }
    return (wall, cpu);
}

Console.WriteLine($"threads {threads}, batch {batch}, best of {reps}; wall ms (GFLOP/s) / CPU ms");
Console.WriteLine($"{"shape",-8} {"forward",24} {"bwd data",24} {"bwd filter",24} {"fwd+bwd wall/CPU ms",20}");
double stepMs = 0, stepCpu = 0;
// One untimed pass over every shape first, so no row pays for tiered compilation of code the next rows share.
for (int pass = 0; pass < 2; pass++)
foreach (var s in shapes)
{
    if (only.Length > 0 && only != s.Name) continue;
    bool timed = pass == 1;
    var g = ConvGeometry.Create(batch, s.Size, s.Size, s.Cin, s.K, s.K, s.Cout, s.S, s.S, same: true);
    var x = Fill(batch * g.InImage);
    var w = Fill(s.K * s.K * s.Cin * s.Cout);
    var y = new float[batch * g.OutImage];
    var dy = Fill(y.Length);
    var dx = new float[x.Length];
    var dw = new float[w.Length];
    double gflop = 2.0 * batch * g.OutH * g.OutW * s.Cout * s.K * s.K * s.Cin / 1e9;
    if (!timed)
    {
        kernels.Conv2DForward(x, w, null, y, g);
        kernels.Conv2DBackwardData(dy, w, dx, g);
        kernels.Conv2DBackwardFilter(x, dy, dw, g);
        continue;
    }
    var f = Best(() => kernels.Conv2DForward(x, w, null, y, g));
    var d = Best(() => kernels.Conv2DBackwardData(dy, w, dx, g));
    var k = Best(() => kernels.Conv2DBackwardFilter(x, dy, dw, g));
    string Cell((double Wall, double Cpu) t) => $"{t.Wall,7:F2} ({gflop / t.Wall * 1e3,5:F1}) / {t.Cpu,6:F2}";
    Console.WriteLine($"{s.Name,-8} {Cell(f),24} {Cell(d),24} {Cell(k),24} {f.Wall + d.Wall + k.Wall,9:F2} / {f.Cpu + d.Cpu + k.Cpu,8:F2}");
    stepMs += s.Fwd * (f.Wall + k.Wall) + s.Data * d.Wall;
    stepCpu += s.Fwd * (f.Cpu + k.Cpu) + s.Data * d.Cpu;
}
if (only.Length == 0) Console.WriteLine($"ResNet20 v1 convolution time per training step (weighted): {stepMs:F1} ms wall, {stepCpu:F1} ms CPU");

// The per-channel kernels around each convolution, on the largest ResNet20 activation (batch x 32 x 32 x 16).
if (only.Length == 0 || only == "channel")
{
    const int ch = 16;
    int len = batch * 32 * 32 * ch;
    var a = Fill(len);
    var b2 = Fill(len);
    var o = new float[len];
    var cv = Fill(ch);
    var cv2 = Fill(ch);
    var cv3 = Fill(ch);
    for (int i = 0; i < ch; i++) cv2[i] = Math.Abs(cv2[i]) + 0.5f;
    var s1 = new float[ch];
    var s2 = new float[ch];
    (string Name, int Passes, Action Body)[] channelKernels =
    [
        ("BiasAdd", 2, () => kernels.BiasAdd(a, cv, o, ch)),
        ("ColumnSum", 1, () => kernels.ColumnSum(a, s1, ch)),
        ("ChannelMoments", 1, () => kernels.ChannelMoments(a, ch, s1, s2)),
        ("ChannelAffine", 2, () => kernels.ChannelAffine(a, cv, cv2, cv3, o, ch, relu: false)),
        ("BatchNormReductions", 2, () => kernels.BatchNormReductions(a, b2, null, cv, cv2, ch, s1, s2)),
        ("BatchNormBackwardData", 3, () => kernels.BatchNormBackwardData(a, b2, null, cv, cv2, cv3, s1, s2, ch, o)),
        ("Relu", 2, () => kernels.Unary(UnaryKind.Relu, a, o)),
        ("ReluGrad", 3, () => kernels.UnaryGrad(UnaryKind.Relu, a, b2, o)),
        ("AddN(2)", 3, () => kernels.AddN([a, b2], o, relu: false)),
    ];
    Console.WriteLine($"{"channel kernel",-22} {"wall ms",8} {"CPU ms",8} {"GB/s",6}   ({batch}x32x32x{ch}, GB/s counts each array read or written once)");
    foreach (var (name, passes, body) in channelKernels)
    {
        var t = Best(body);
        Console.WriteLine($"{name,-22} {t.Wall,8:F2} {t.Cpu,8:F2} {passes * 4.0 * len / t.Wall / 1e6,6:F1}");
    }
}

// Process CPU time in ms: clock_gettime(CLOCK_PROCESS_CPUTIME_ID) on Linux (ns resolution), else the coarser Process counter.
static double CpuMs()
{
    if (OperatingSystem.IsLinux() && Native.clock_gettime(2, out var ts) == 0) return ts.Sec * 1e3 + ts.Nsec / 1e6;
    return Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
}

[StructLayout(LayoutKind.Sequential)]
struct TimeSpec
{
    public long Sec;
    public long Nsec;
}

static class Native
{
    [DllImport("libc", SetLastError = false)]
    public static extern int clock_gettime(int clockId, out TimeSpec time);
}
