// The degradation experiment of He et al. (2015), Figure 6: plain-20 and plain-56 against ResNet-20 and ResNet-56,
// trained with one recipe on CIFAR-10 (or any folder in CIFAR-10 format). A deeper plain network trains worse than
// a shallow one; its residual counterpart does not. Writes per-epoch training and test error (%) as CSV and draws
// the curves as SVG (dashed: training error, solid: test error), next to each other.
//   dotnet run -c Release --project examples/DegradationStudy -- --data-dir DIR --epochs 10 --train-limit 5000
using System.Globalization;
using System.Text;
using NumSharp;
using ResNetKeras.Keras;

namespace DegradationStudy;

/// <summary>Entry point; public so the test suite can run it in-process.</summary>
public static class Program
{
    /// <summary>Options: --data-dir, --epochs (10), --batch-size (128), --train-limit, --test-limit, --seed (1), --out-dir (degradation), --depths (20,56), --dataset-name (from the data, as the tutorial's).</summary>
    public static int Main(string[] args)
    {
        try
        {
            var o = new Dictionary<string, string>();
            for (int i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                    throw new ArgumentException($"expected '--name value' pairs; got '{args[i]}'.");
                o[args[i][2..]] = args[++i];
            }
            int Int(string k, int d) => o.TryGetValue(k, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : d;
            int epochs = Int("epochs", 10), batch = Int("batch-size", 128);
            uint seed = (uint)Int("seed", 1);
            string outDir = Path.GetFullPath(o.GetValueOrDefault("out-dir", "degradation"));
            int[] depths = o.GetValueOrDefault("depths", "20,56").Split(',').Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray();
            if (epochs < 1 || batch < 1) throw new ArgumentException("--epochs and --batch-size must be at least 1.");
            CheckWritable(outDir, "--out-dir");

            var dataset = Cifar10ResNet.DatasetName.Resolve(o.GetValueOrDefault("dataset-name"), o.GetValueOrDefault("data-dir"));
            var ((xTrainRaw, yTrain), (xTestRaw, yTest)) = Cifar10.LoadData(o.GetValueOrDefault("data-dir"));
            if (o.ContainsKey("train-limit")) { xTrainRaw = xTrainRaw[$":{Int("train-limit", 0)}"]; yTrain = yTrain[$":{Int("train-limit", 0)}"]; }
            if (o.ContainsKey("test-limit")) { xTestRaw = xTestRaw[$":{Int("test-limit", 0)}"]; yTest = yTest[$":{Int("test-limit", 0)}"]; }
#pragma warning disable NDW012 // @out hands back the array passed as out (NumSharp's rule 1)
            var xTrain = xTrainRaw.astype(np.float32);
            np.divide(xTrain, 255, @out: xTrain);
            var xTest = xTestRaw.astype(np.float32);
            np.divide(xTest, 255, @out: xTest);
            using (var mean = np.mean(xTrain, axis: 0))
            {
                np.subtract(xTrain, mean, @out: xTrain);
                np.subtract(xTest, mean, @out: xTest);
            }
#pragma warning restore NDW012
            int[] inputShape = xTrain.shape[1..].Select(d => (int)d).ToArray();
            var yTrainCat = Utils.ToCategorical(yTrain, 10);
            var yTestCat = Utils.ToCategorical(yTest, 10);
            Console.WriteLine($"{xTrain.shape[0]} train samples, {xTest.shape[0]} test samples, {epochs} epochs");

            var runs = new List<(string Name, List<double> Train, List<double> Test)>();
            // Ctrl-C stops after the current batch and writes the epochs finished so far; a second one aborts.
            using var interrupt = InterruptHandler.Install();
            bool interrupted = false;
            foreach (bool residual in new[] { false, true })
                foreach (int depth in depths)
                {
                    if (interrupted) break;
                    string name = (residual ? "ResNet-" : "plain-") + depth;
                    Backend.ClearSession();
                    Backend.SetRandomSeed(seed);
                    var model = residual ? ResNetCifar.ResNetV1(inputShape, depth) : ResNetKeras.Keras.Applications.PlainNetCifar(inputShape, depth);
                    model.Compile(new Adam(1e-3), "categorical_crossentropy", ["accuracy"]);
                    var train = new List<double>();
                    var test = new List<double>();
                    for (int e = 0; e < epochs; e++)
                    {
                        model.Fit(xTrain, yTrainCat, batchSize: batch, epochs: e + 1, initialEpoch: e, verbose: 0, seed: seed, cancellationToken: interrupt.Token);
                        if (interrupted = model.TrainingCancelled) break;
                        // Training error is measured in inference mode on the whole training set, as the paper plots it.
                        train.Add(100 * (1 - model.Evaluate(xTrain, yTrainCat, batchSize: batch, verbose: 0)[1]));
                        test.Add(100 * (1 - model.Evaluate(xTest, yTestCat, batchSize: batch, verbose: 0)[1]));
                        Console.WriteLine($"{name} epoch {e + 1}: training error {train[^1]:F2}%, test error {test[^1]:F2}%");
                    }
                    if (train.Count > 0) runs.Add((name, train, test));
                }

            interrupt.Dispose();
            Directory.CreateDirectory(outDir);
            string csv = Path.Combine(outDir, "degradation.csv"), svg = Path.Combine(outDir, "degradation.svg");
            var sb = new StringBuilder("network,epoch,train_error,test_error\n");
            foreach (var (name, train, test) in runs)
                for (int e = 0; e < train.Count; e++)
                    sb.Append(CultureInfo.InvariantCulture, $"{name},{e + 1},{train[e]:R},{test[e]:R}\n");
            string tmp = csv + ".tmp";
            File.WriteAllText(tmp, sb.ToString(), new UTF8Encoding(false));
            File.Move(tmp, csv, overwrite: true);
            static List<double> Axis(int n) => Enumerable.Range(1, n).Select(e => (double)e).ToList();
            ChartPanel Panel(string title, bool residual) => new(title + " error (%)",
                runs.Where(r => r.Name.StartsWith(residual ? "ResNet" : "plain", StringComparison.Ordinal))
                    .SelectMany(r => new[] { new ChartSeries(r.Name + " train", Axis(r.Train.Count), r.Train), new ChartSeries(r.Name + " test", Axis(r.Test.Count), r.Test) })
                    .ToList());
            SvgChart.Write(svg, $"{dataset.Title}: plain networks (left) and ResNets (right)", "epoch", [Panel("plain", false), Panel("ResNet", true)]);
            Console.WriteLine($"Errors written to {csv}");
            Console.WriteLine($"Chart written to {svg}");
            if (interrupted) Console.WriteLine("Interrupted: the files hold the epochs finished before Ctrl-C.");
            return interrupted ? 130 : 0;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or FormatException or IOException or HttpRequestException
            or UnauthorizedAccessException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }

    /// <summary>Fails before training, in one line, when <paramref name="dir"/> cannot be created or written.</summary>
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
            throw new IOException($"{option}: cannot write into '{dir}': {(e is UnauthorizedAccessException ? "permission denied" : e.Message)}", e);
        }
    }
}
