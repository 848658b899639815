// KerasCompare: the command-line bridge for users comparing ResNetKeras with Python Keras.
//   devices     one usable device name per line, cpu first (pass one as --device NAME to any other command)
//   summary     --model resnet_v1|resnet_v2 --depth D [--input-shape 32,32,3] [--num-classes 10]
//   predict     --model ... --depth D --weights W.h5 --input X.npy --output Y.npy
//   augment     --config C.json --params P.json --input X.npy --output Y.npy
//   standardize --config C.json --fit F.npy --input X.npy --output Y.npy
// Errors print one line on stderr and exit with status 1.
using System.Globalization;
using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.IO;
using ResNetKeras.Keras;

namespace KerasCompare;

/// <summary>Entry point; public so tests can run it in-process.</summary>
public static class Program
{
    /// <summary>Runs one command; returns the exit status.</summary>
    public static int Main(string[] args)
    {
        try
        {
            if (args.Length == 0) throw new ArgumentException("usage: KerasCompare devices|summary|predict|augment|standardize [options] (see the README)");
            var opts = Options(args[1..]);
            // A scope rather than the process default, so in-process callers (the tests) keep their own device.
            using var deviceScope = opts.Remove("device", out var device) ? Backend.DeviceScope(device) : null;
            switch (args[0])
            {
                case "devices":
                    foreach (var name in Backend.ListDevices()) Console.WriteLine(name);
                    return 0;
                case "summary": BuildModel(opts).Summary(); return 0;
                case "predict": return Predict(opts);
                case "augment": return Augment(opts);
                case "standardize": return Standardize(opts);
                default: throw new ArgumentException($"unknown command '{args[0]}'; expected devices, summary, predict, augment or standardize.");
            }
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or KeyNotFoundException or JsonException or IOException)
        {
            Console.Error.WriteLine("error: " + e.Message.Split('\n')[0]);
            return 1;
        }
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var d = new Dictionary<string, string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"expected '--name value' pairs; got '{args[i]}'.");
            d[args[i][2..]] = args[++i];
        }
        return d;
    }

    private static string Need(Dictionary<string, string> o, string name) =>
        o.TryGetValue(name, out var v) ? v : throw new ArgumentException($"missing option --{name}.");

    private static Model BuildModel(Dictionary<string, string> o)
    {
        Backend.ClearSession();
        string model = Need(o, "model");
        int depth = int.Parse(Need(o, "depth"), CultureInfo.InvariantCulture);
        int[] shape = o.TryGetValue("input-shape", out var s) ? s.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray() : [32, 32, 3];
        int classes = o.TryGetValue("num-classes", out var c) ? int.Parse(c, CultureInfo.InvariantCulture) : 10;
        return model switch
        {
            "resnet_v1" => ResNetCifar.ResNetV1(shape, depth, classes),
            "resnet_v2" => ResNetCifar.ResNetV2(shape, depth, classes),
            _ => throw new ArgumentException($"--model must be resnet_v1 or resnet_v2; received '{model}'."),
        };
    }

    private static int Predict(Dictionary<string, string> o)
    {
        var model = BuildModel(o);
        model.LoadWeights(Need(o, "weights"));
        var x = Npy.Load(Need(o, "input"));
        var y = model.Predict(x.DType == DType.Float32 ? x : x.AsType(DType.Float32));
        Npy.Save(Need(o, "output"), y);
        return 0;
    }

    private static ImageDataGenerator Generator(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var c = doc.RootElement;
        double D(string k, double d = 0) => c.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : d;
        bool B(string k) => c.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.True;
        string? S(string k) => c.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        double[]? Pair(string k) => c.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(e => e.GetDouble()).ToArray() : null;
        ShiftRange Shift(string k)
        {
            if (!c.TryGetProperty(k, out var v)) return 0.0;
            if (v.ValueKind == JsonValueKind.Array) return v.EnumerateArray().Select(e => e.GetDouble()).ToArray();
            return v.TryGetInt32(out int i) && !v.GetRawText().Contains('.') ? (ShiftRange)i : v.GetDouble();
        }
        var zoomArray = Pair("zoom_range");
        foreach (var p in c.EnumerateObject())
            if (p.Name is not ("featurewise_center" or "samplewise_center" or "featurewise_std_normalization" or "samplewise_std_normalization" or "zca_whitening" or "zca_epsilon" or "rotation_range" or "width_shift_range" or "height_shift_range" or "brightness_range" or "shear_range" or "zoom_range" or "channel_shift_range" or "fill_mode" or "cval" or "horizontal_flip" or "vertical_flip" or "rescale" or "data_format" or "validation_split" or "interpolation_order" or "dtype" or "semantics"))
                throw new ArgumentException($"{path}: unknown ImageDataGenerator argument '{p.Name}'.");
        return new ImageDataGenerator(
            featurewiseCenter: B("featurewise_center"), samplewiseCenter: B("samplewise_center"),
            featurewiseStdNormalization: B("featurewise_std_normalization"), samplewiseStdNormalization: B("samplewise_std_normalization"),
            zcaWhitening: B("zca_whitening"), zcaEpsilon: D("zca_epsilon", 1e-6), rotationRange: D("rotation_range"),
            widthShiftRange: Shift("width_shift_range"), heightShiftRange: Shift("height_shift_range"), brightnessRange: Pair("brightness_range"),
            shearRange: D("shear_range"), zoomRange: zoomArray is null ? (ZoomRange)D("zoom_range") : zoomArray,
            channelShiftRange: D("channel_shift_range"), fillMode: S("fill_mode") ?? "nearest", cval: D("cval"),
            horizontalFlip: B("horizontal_flip"), verticalFlip: B("vertical_flip"),
            rescale: c.TryGetProperty("rescale", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDouble() : null,
            dataFormat: S("data_format"), validationSplit: D("validation_split"), interpolationOrder: (int)D("interpolation_order", 1),
            dtype: S("dtype"), semantics: S("semantics") ?? "keras");
    }

    private static int Augment(Dictionary<string, string> o)
    {
        var gen = Generator(Need(o, "config"));
        using var doc = JsonDocument.Parse(File.ReadAllText(Need(o, "params")));
        var x = Npy.Load(Need(o, "input"));
        var ps = doc.RootElement.EnumerateArray().ToList();
        if (ps.Count != x.Shape[0]) throw new ArgumentException($"{o["params"]} has {ps.Count} parameter objects for {x.Shape[0]} images.");
        var y = NDArray.Zeros(x.Shape);
        for (int i = 0; i < ps.Count; i++)
        {
            var dict = ps[i].EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind switch
            {
                JsonValueKind.Number => (object?)p.Value.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null => null,
                _ => throw new ArgumentException($"parameter '{p.Name}' of image {i} must be a number or boolean."),
            });
            var img = gen.ApplyTransform(x[i], TransformParameters.FromDictionary(dict));
            y.SetRows(i, img.Reshape([1, .. img.Shape]));
        }
        Npy.Save(Need(o, "output"), y);
        return 0;
    }

    private static int Standardize(Dictionary<string, string> o)
    {
        var gen = Generator(Need(o, "config"));
        gen.Fit(Npy.Load(Need(o, "fit")));
        var x = Npy.Load(Need(o, "input"));
        var y = NDArray.Zeros(x.Shape);
        for (int i = 0; i < x.Shape[0]; i++)
        {
            var img = gen.Standardize(x[i]);
            y.SetRows(i, img.Reshape([1, .. img.Shape]));
        }
        Npy.Save(Need(o, "output"), y);
        return 0;
    }
}
