// KerasCompare: the command-line bridge for users comparing ResNetKeras with Python Keras.
// `KerasCompare --help` and `KerasCompare VERB --help` print the usage below.
// Errors print one line on stderr and exit with status 1.
using System.Globalization;
using System.Text.Json;
using NumSharp;
using ResNetKeras.IO;
using ResNetKeras.Keras;

namespace KerasCompare;

/// <summary>Entry point; public so tests can run it in-process.</summary>
public static class Program
{
    private static readonly Dictionary<string, string> Usage = new()
    {
        ["devices"] = """
            KerasCompare devices
              Prints one usable device name per line, cpu first. Every other verb takes --device NAME (default: cpu,
              or the RESNETKERAS_DEVICE environment variable) and runs its models there.
            """,
        ["summary"] = """
            KerasCompare summary --model resnet_v1|resnet_v2 --depth D [--input-shape 32,32,3] [--num-classes 10]
              Prints the Keras 2.6 model summary of the tutorial's ResNet.
            """,
        ["predict"] = """
            KerasCompare predict --model resnet_v1|resnet_v2 --depth D --weights W --input X.npy --output Y.npy
            KerasCompare predict --model-file M.keras|M.h5 [--weights W] --input X.npy --output Y.npy
              Runs model.predict on X and writes Y. With --model the tutorial's ResNet is built here; with --model-file
              the architecture (and weights) come from a Keras model file. W may be a tf.keras .h5 weights file, a
              Keras 3 .weights.h5 file or a .keras archive (recognised by content).
            """,
        ["convert"] = """
            KerasCompare convert --input IN --output OUT
              Converts a model between .keras (Keras 3 archive), .h5/.hdf5 (tf.keras 2.x model file) and .weights.h5
              (Keras 3 weights only; from a model file). IN is recognised by content, OUT's format by its name.
            """,
        ["train"] = """
            KerasCompare train --model resnet_v1|resnet_v2 --depth D --weights W --x X.npy --y Y.npy --batch-size B
                               --steps S [--learning-rate 0.001] --output OUT [--losses L.npy]
              Compiles as the tutorial does (Adam, categorical cross-entropy, accuracy; the model's L2 regularizers),
              then calls train_on_batch S times on consecutive batches of B samples in order, wrapping around to the
              start (no shuffle, no augmentation). Writes the weights with save_weights (OUT's name picks the layout:
              .weights.h5 Keras 3, .h5 tf.keras 2.x) and the S losses train_on_batch returned (total loss including
              regularization) as float32 to L.npy.
            """,
        ["augment"] = """
            KerasCompare augment --config C.json --params P.json --input X.npy --output Y.npy
              Applies ImageDataGenerator.apply_transform per image with the parameters in P.json.
              C.json: ImageDataGenerator arguments by their Keras names, plus "semantics" ("keras" or
              "keras_preprocessing"); "preprocessing_function" may be null (a function cannot come from JSON).
            """,
        ["standardize"] = """
            KerasCompare standardize --config C.json --fit F.npy --input X.npy --output Y.npy
              Fits ImageDataGenerator on F and applies standardize to each image of X (C.json as for augment).
            """,
    };

    private static string AllUsage() => "usage: KerasCompare devices|summary|predict|convert|train|augment|standardize [options] [--device NAME]\n\n" + string.Join("\n", Usage.Values);

    /// <summary>Runs one command; returns the exit status.</summary>
    public static int Main(string[] args)
    {
        try
        {
            if (args.Length == 0) throw new ArgumentException("usage: KerasCompare devices|summary|predict|convert|train|augment|standardize [options] (KerasCompare --help for details)");
            if (args[0] is "--help" or "-h" or "help")
            {
                Console.Write(AllUsage());
                return 0;
            }
            if (args.Skip(1).Any(a => a is "--help" or "-h"))
            {
                if (!Usage.TryGetValue(args[0], out var text)) throw new ArgumentException($"unknown command '{args[0]}'; expected {string.Join(", ", Usage.Keys)}.");
                Console.Write(text);
                return 0;
            }
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
                case "convert": return Convert(opts);
                case "train": return Train(opts);
                case "augment": return Augment(opts);
                case "standardize": return Standardize(opts);
                default: throw new ArgumentException($"unknown command '{args[0]}'; expected {string.Join(", ", Usage.Keys)}.");
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
        Model model;
        if (o.TryGetValue("model-file", out var file))
        {
            if (o.ContainsKey("model")) throw new ArgumentException("give either --model (with --depth) or --model-file, not both.");
            Backend.ClearSession();
            model = Models.LoadModel(file, compile: false);
            if (o.TryGetValue("weights", out var w)) model.LoadWeights(w);
        }
        else
        {
            model = BuildModel(o);
            model.LoadWeights(Need(o, "weights"));
        }
        var x = Npy.Load(Need(o, "input"));
        var y = model.Predict(x.astype(np.float32));
        Npy.Save(Need(o, "output"), y);
        return 0;
    }

    private static int Int(Dictionary<string, string> o, string name, int min)
    {
        string text = Need(o, name);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min ? v
            : throw new ArgumentException($"--{name} must be an integer >= {min}; received '{text}'.");
    }

    private static int Train(Dictionary<string, string> o)
    {
        var model = BuildModel(o);
        model.LoadWeights(Need(o, "weights"));
        int batch = Int(o, "batch-size", 1), steps = Int(o, "steps", 1);
        double lr = 0.001;
        if (o.TryGetValue("learning-rate", out var lrText) && !double.TryParse(lrText, NumberStyles.Float, CultureInfo.InvariantCulture, out lr))
            throw new ArgumentException($"--learning-rate must be a number; received '{lrText}'.");
        var x = Npy.Load(Need(o, "x"));
        var y = Npy.Load(Need(o, "y"));
        x = x.astype(np.float32);
        y = y.astype(np.float32);
        int n = (int)x.shape[0];
        if (y.shape[0] != n) throw new ArgumentException($"--x has {n} samples but --y has {y.shape[0]}.");
        model.Compile(new Adam(learningRate: lr), "categorical_crossentropy", ["accuracy"]);
        var losses = new float[steps];
        for (int s = 0; s < steps; s++)
        {
            var idx = Enumerable.Range(0, batch).Select(j => (int)(((long)s * batch + j) % n)).ToArray();
            using var xb = x[np.array(idx)];
            using var yb = y[np.array(idx)];
            losses[s] = (float)model.TrainOnBatch(xb, yb)[0];
        }
        model.SaveWeights(Need(o, "output"));
        if (o.TryGetValue("losses", out var lossPath)) Npy.Save(lossPath, np.array(losses));
        return 0;
    }

    private static int Convert(Dictionary<string, string> o)
    {
        string input = Need(o, "input"), output = Need(o, "output");
        Backend.ClearSession();
        var model = Models.LoadModel(input);
        if (output.EndsWith(".weights.h5", StringComparison.Ordinal)) model.SaveWeights(output);
        else model.Save(output);
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
        if (c.TryGetProperty("preprocessing_function", out var pf) && pf.ValueKind != JsonValueKind.Null)
            throw new ArgumentException($"{path}: preprocessing_function must be null; a function cannot come from JSON (received {pf.GetRawText()}). Apply it to the input before calling KerasCompare.");
        foreach (var p in c.EnumerateObject())
            if (p.Name is not ("featurewise_center" or "samplewise_center" or "featurewise_std_normalization" or "samplewise_std_normalization" or "zca_whitening" or "zca_epsilon" or "rotation_range" or "width_shift_range" or "height_shift_range" or "brightness_range" or "shear_range" or "zoom_range" or "channel_shift_range" or "fill_mode" or "cval" or "horizontal_flip" or "vertical_flip" or "rescale" or "data_format" or "validation_split" or "interpolation_order" or "dtype" or "semantics" or "preprocessing_function"))
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
        if (ps.Count != x.shape[0]) throw new ArgumentException($"{o["params"]} has {ps.Count} parameter objects for {x.shape[0]} images.");
        var y = np.zeros(x.Shape, np.float32);
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
            using var img = gen.ApplyTransform(x[i], TransformParameters.FromDictionary(dict));
            y[i] = img;
        }
        Npy.Save(Need(o, "output"), y);
        return 0;
    }

    private static int Standardize(Dictionary<string, string> o)
    {
        var gen = Generator(Need(o, "config"));
        gen.Fit(Npy.Load(Need(o, "fit")));
        var x = Npy.Load(Need(o, "input"));
        var y = np.zeros(x.Shape, np.float32);
        for (int i = 0; i < x.shape[0]; i++)
        {
            using var img = gen.Standardize(x[i]);
            y[i] = img;
        }
        Npy.Save(Need(o, "output"), y);
        return 0;
    }
}
