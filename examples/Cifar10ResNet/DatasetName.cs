using System.Text.RegularExpressions;
using ResNetKeras.Keras;

namespace Cifar10ResNet;

/// <summary>
/// What the training data is called in the checkpoint, history and chart names. The tutorial's names
/// (<c>cifar10_%s_model.{epoch:03d}.h5</c>) stay for CIFAR-10; other data in CIFAR-10's format (such as the
/// Fashion-MNIST that tools/fashion_mnist_to_cifar_bin.py writes) must not be saved or charted as CIFAR-10.
/// Internal and compiled into DegradationStudy too (a linked file), so both examples name data the same way.
/// </summary>
internal sealed partial record DatasetName(string FileStem, string Title, string Source)
{
    /// <summary>The file a data folder names its data set in (one line, e.g. <c>fashion_mnist</c>), as the converter writes it.</summary>
    public const string MarkerFile = "dataset_name.txt";

    /// <summary>Fashion-MNIST's class names as the converter writes them to batches.meta.txt (folders converted before it wrote the marker).</summary>
    private static readonly string[] FashionMnistClasses = ["t-shirt_top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot"];

    /// <summary>The tutorial's own data.</summary>
    public static DatasetName Cifar10 { get; } = new("cifar10", "CIFAR-10", "CIFAR-10");

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex SafeName();

    /// <summary>
    /// <paramref name="option"/> (--dataset-name) when given; else the data folder's <see cref="MarkerFile"/>; else, for a
    /// folder whose batches.meta.txt lists other classes than CIFAR-10's, Fashion-MNIST for the converter's classes or the
    /// folder's own name; else CIFAR-10 (the download, an archive, or a folder without other marks).
    /// </summary>
    public static DatasetName Resolve(string? option, string? dataDir)
    {
        if (option is not null) return Named(option, "--dataset-name", "--dataset-name");
        if (dataDir is null || !Directory.Exists(dataDir)) return Cifar10;
        string marker = Path.Combine(dataDir, MarkerFile);
        if (File.Exists(marker))
        {
            string line = File.ReadLines(marker).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
            return Named(line, marker, marker);
        }
        string meta = Path.Combine(dataDir, "batches.meta.txt");
        if (!File.Exists(meta)) return Cifar10;
        var classes = File.ReadLines(meta).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (classes.SequenceEqual(ResNetKeras.Keras.Cifar10.ClassNames)) return Cifar10;
        if (classes.SequenceEqual(FashionMnistClasses)) return Named("fashion_mnist", meta, "--dataset-name");
        string folder = SafeName().IsMatch(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDir))))
            ? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataDir)))
            : "dataset";
        return Named(folder, $"{meta} (classes other than CIFAR-10's; the folder's name)", "--dataset-name");
    }

    private static DatasetName Named(string name, string source, string where)
    {
        if (!SafeName().IsMatch(name))
            throw new ArgumentException($"{where}: the data set name must be letters, digits, '_', '.' or '-' (it starts the output file names); received '{name}'.");
        if (name == Cifar10.FileStem) return Cifar10;
        string title = name switch
        {
            "fashion_mnist" => "Fashion-MNIST",
            _ => name,
        };
        return new DatasetName(name, title, source);
    }
}
