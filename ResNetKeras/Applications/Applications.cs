using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras Applications' ResNets (<c>keras.applications.resnet</c> and <c>resnet_v2</c>) with Keras's signature, layer
/// names (<c>conv1_conv</c>, <c>conv2_block1_1_conv</c>, ...) and defaults, so Keras's own weight files load by name.
/// Nothing is downloaded: <c>weights</c> is null or the path of a Keras .h5 file.
/// </summary>
public static partial class Applications
{
    private const double BnEpsilon = 1.001e-5;

    /// <summary><c>keras.applications.ResNet50</c> (25,636,712 parameters with the top).</summary>
    public static Model ResNet50(bool includeTop = true, string? weights = null, KerasTensor? inputTensor = null, int[]? inputShape = null,
        string? pooling = null, int classes = 1000, string classifierActivation = "softmax") =>
        ResNet(x => { x = Stack1(x, 64, 3, 1, "conv2"); x = Stack1(x, 128, 4, 2, "conv3"); x = Stack1(x, 256, 6, 2, "conv4"); return Stack1(x, 512, 3, 2, "conv5"); },
            false, "resnet50", includeTop, weights, inputTensor, inputShape, pooling, classes, classifierActivation);

    /// <summary><c>keras.applications.ResNet101</c> (44,707,176 parameters).</summary>
    public static Model ResNet101(bool includeTop = true, string? weights = null, KerasTensor? inputTensor = null, int[]? inputShape = null,
        string? pooling = null, int classes = 1000, string classifierActivation = "softmax") =>
        ResNet(x => { x = Stack1(x, 64, 3, 1, "conv2"); x = Stack1(x, 128, 4, 2, "conv3"); x = Stack1(x, 256, 23, 2, "conv4"); return Stack1(x, 512, 3, 2, "conv5"); },
            false, "resnet101", includeTop, weights, inputTensor, inputShape, pooling, classes, classifierActivation);

    /// <summary><c>keras.applications.ResNet152</c> (60,419,944 parameters).</summary>
    public static Model ResNet152(bool includeTop = true, string? weights = null, KerasTensor? inputTensor = null, int[]? inputShape = null,
        string? pooling = null, int classes = 1000, string classifierActivation = "softmax") =>
        ResNet(x => { x = Stack1(x, 64, 3, 1, "conv2"); x = Stack1(x, 128, 8, 2, "conv3"); x = Stack1(x, 256, 36, 2, "conv4"); return Stack1(x, 512, 3, 2, "conv5"); },
            false, "resnet152", includeTop, weights, inputTensor, inputShape, pooling, classes, classifierActivation);

    /// <summary><c>keras.applications.ResNet50V2</c> (25,613,800 parameters).</summary>
    public static Model ResNet50V2(bool includeTop = true, string? weights = null, KerasTensor? inputTensor = null, int[]? inputShape = null,
        string? pooling = null, int classes = 1000, string classifierActivation = "softmax") =>
        ResNet(x => { x = Stack2(x, 64, 3, 2, "conv2"); x = Stack2(x, 128, 4, 2, "conv3"); x = Stack2(x, 256, 6, 2, "conv4"); return Stack2(x, 512, 3, 1, "conv5"); },
            true, "resnet50v2", includeTop, weights, inputTensor, inputShape, pooling, classes, classifierActivation);

    /// <summary><c>keras.applications.ResNet101V2</c> (44,675,560 parameters).</summary>
    public static Model ResNet101V2(bool includeTop = true, string? weights = null, KerasTensor? inputTensor = null, int[]? inputShape = null,
        string? pooling = null, int classes = 1000, string classifierActivation = "softmax") =>
        ResNet(x => { x = Stack2(x, 64, 3, 2, "conv2"); x = Stack2(x, 128, 4, 2, "conv3"); x = Stack2(x, 256, 23, 2, "conv4"); return Stack2(x, 512, 3, 1, "conv5"); },
            true, "resnet101v2", includeTop, weights, inputTensor, inputShape, pooling, classes, classifierActivation);

    /// <summary><c>keras.applications.ResNet152V2</c> (60,380,648 parameters).</summary>
    public static Model ResNet152V2(bool includeTop = true, string? weights = null, KerasTensor? inputTensor = null, int[]? inputShape = null,
        string? pooling = null, int classes = 1000, string classifierActivation = "softmax") =>
        ResNet(x => { x = Stack2(x, 64, 3, 2, "conv2"); x = Stack2(x, 128, 8, 2, "conv3"); x = Stack2(x, 256, 36, 2, "conv4"); return Stack2(x, 512, 3, 1, "conv5"); },
            true, "resnet152v2", includeTop, weights, inputTensor, inputShape, pooling, classes, classifierActivation);

    /// <summary>Keras's imagenet_utils.obtain_input_shape for these models: 3 channels, at least 32x32, default 224x224x3.</summary>
    internal static int[] ObtainInputShape(int[]? inputShape, bool includeTop, string? weights, int classes)
    {
        if (weights == "imagenet")
            throw new ArgumentException(
                "weights=\"imagenet\" would download the ImageNet weights, which is not possible here. Download the Keras .h5 file yourself " +
                "(e.g. resnet50_weights_tf_dim_ordering_tf_kernels.h5), put it anywhere (Keras keeps it in ~/.keras/models) and pass its path as `weights`.", nameof(weights));
        if (weights is not null && !File.Exists(weights))
            throw new ArgumentException($"The `weights` argument should be either `null` (random initialization), \"imagenet\" (pre-training on ImageNet), or the path to the weights file to be loaded. Received: weights={weights}", nameof(weights));
        if (classes <= 0)
            throw new ArgumentException($"Invalid value for argument `classes`. Expected a strictly positive value. Received classes={classes}.", nameof(classes));
        if (inputShape is null) return [224, 224, 3];
        if (inputShape.Length != 3) throw new ArgumentException("`input_shape` must be a tuple of three integers.", nameof(inputShape));
        if (inputShape[^1] != 3)
            throw new ArgumentException($"The input must have 3 channels; Received `input_shape={KerasTensor.FormatShape(inputShape)}`", nameof(inputShape));
        if (inputShape[0] < 32 || inputShape[1] < 32)
            throw new ArgumentException($"Input size must be at least 32x32; Received: input_shape={KerasTensor.FormatShape(inputShape)}", nameof(inputShape));
        return inputShape;
    }

    private static Model ResNet(Func<KerasTensor, KerasTensor> stackFn, bool preact, string modelName, bool includeTop, string? weights,
        KerasTensor? inputTensor, int[]? inputShape, string? pooling, int classes, string classifierActivation)
    {
        if (pooling is not (null or "avg" or "max"))
            throw new ArgumentException($"Invalid value for argument `pooling`. Expected null, \"avg\" or \"max\". Received pooling={pooling}.", nameof(pooling));
        var shape = ObtainInputShape(inputShape ?? inputTensor?.Shape[1..], includeTop, weights, classes);
        var imgInput = inputTensor ?? Layers.Input(shape);
        var x = new ZeroPadding2D((3, 3), (3, 3), name: "conv1_pad").Call(imgInput);
        x = new Conv2D(64, 7, strides: 2, useBias: true, name: "conv1_conv").Call(x);
        if (!preact)
        {
            x = new BatchNormalization(epsilon: BnEpsilon, name: "conv1_bn").Call(x);
            x = new Activation("relu", name: "conv1_relu").Call(x);
        }
        x = new ZeroPadding2D((1, 1), (1, 1), name: "pool1_pad").Call(x);
        x = new MaxPooling2D(3, strides: 2, name: "pool1_pool").Call(x);
        x = stackFn(x);
        if (preact)
        {
            x = new BatchNormalization(epsilon: BnEpsilon, name: "post_bn").Call(x);
            x = new Activation("relu", name: "post_relu").Call(x);
        }
        if (includeTop)
        {
            x = new GlobalAveragePooling2D(name: "avg_pool").Call(x);
            x = new Dense(classes, activation: classifierActivation, name: "predictions").Call(x);
        }
        else if (pooling == "avg") x = new GlobalAveragePooling2D(name: "avg_pool").Call(x);
        else if (pooling == "max") x = new GlobalMaxPooling2D(name: "max_pool").Call(x);
        var model = new Model(imgInput, x, name: modelName);
        if (weights is not null) model.LoadWeights(weights, byName: !includeTop);
        return model;
    }

    /// <summary>A residual bottleneck block (Keras's <c>block1</c>).</summary>
    private static KerasTensor Block1(KerasTensor x, int filters, int kernelSize = 3, int stride = 1, bool convShortcut = true, string name = "")
    {
        KerasTensor shortcut;
        if (convShortcut)
        {
            shortcut = new Conv2D(4 * filters, 1, strides: stride, name: name + "_0_conv").Call(x);
            shortcut = new BatchNormalization(epsilon: BnEpsilon, name: name + "_0_bn").Call(shortcut);
        }
        else shortcut = x;
        x = new Conv2D(filters, 1, strides: stride, name: name + "_1_conv").Call(x);
        x = new BatchNormalization(epsilon: BnEpsilon, name: name + "_1_bn").Call(x);
        x = new Activation("relu", name: name + "_1_relu").Call(x);
        x = new Conv2D(filters, kernelSize, padding: "same", name: name + "_2_conv").Call(x);
        x = new BatchNormalization(epsilon: BnEpsilon, name: name + "_2_bn").Call(x);
        x = new Activation("relu", name: name + "_2_relu").Call(x);
        x = new Conv2D(4 * filters, 1, name: name + "_3_conv").Call(x);
        x = new BatchNormalization(epsilon: BnEpsilon, name: name + "_3_bn").Call(x);
        x = new Add(name: name + "_add").Call(shortcut, x);
        return new Activation("relu", name: name + "_out").Call(x);
    }

    /// <summary>A set of stacked residual blocks (Keras's <c>stack1</c>).</summary>
    private static KerasTensor Stack1(KerasTensor x, int filters, int blocks, int stride1, string name)
    {
        x = Block1(x, filters, stride: stride1, name: name + "_block1");
        for (int i = 2; i <= blocks; i++) x = Block1(x, filters, convShortcut: false, name: name + "_block" + i);
        return x;
    }

    /// <summary>A pre-activation bottleneck block (Keras's <c>block2</c>).</summary>
    private static KerasTensor Block2(KerasTensor x, int filters, int kernelSize = 3, int stride = 1, bool convShortcut = false, string name = "")
    {
        var preact = new BatchNormalization(epsilon: BnEpsilon, name: name + "_preact_bn").Call(x);
        preact = new Activation("relu", name: name + "_preact_relu").Call(preact);
        KerasTensor shortcut = convShortcut
            ? new Conv2D(4 * filters, 1, strides: stride, name: name + "_0_conv").Call(preact)
            : stride > 1 ? new MaxPooling2D(1, strides: stride).Call(x) : x;
        x = new Conv2D(filters, 1, strides: 1, useBias: false, name: name + "_1_conv").Call(preact);
        x = new BatchNormalization(epsilon: BnEpsilon, name: name + "_1_bn").Call(x);
        x = new Activation("relu", name: name + "_1_relu").Call(x);
        x = new ZeroPadding2D((1, 1), (1, 1), name: name + "_2_pad").Call(x);
        x = new Conv2D(filters, kernelSize, strides: stride, useBias: false, name: name + "_2_conv").Call(x);
        x = new BatchNormalization(epsilon: BnEpsilon, name: name + "_2_bn").Call(x);
        x = new Activation("relu", name: name + "_2_relu").Call(x);
        x = new Conv2D(4 * filters, 1, name: name + "_3_conv").Call(x);
        return new Add(name: name + "_out").Call(shortcut, x);
    }

    /// <summary>A set of stacked pre-activation blocks (Keras's <c>stack2</c>): the stride is on the last block.</summary>
    private static KerasTensor Stack2(KerasTensor x, int filters, int blocks, int stride1, string name)
    {
        x = Block2(x, filters, convShortcut: true, name: name + "_block1");
        for (int i = 2; i < blocks; i++) x = Block2(x, filters, name: name + "_block" + i);
        return Block2(x, filters, stride: stride1, name: name + "_block" + blocks);
    }

    /// <summary>
    /// <c>keras.applications.resnet.preprocess_input</c> (caffe style, V1 models): RGB → BGR, then subtract the ImageNet
    /// channel means [103.939, 116.779, 123.68]; no scaling. Input 0..255, channels last.
    /// </summary>
    public static NDArray PreprocessInput(NDArray x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank < 1 || x.IntShape[^1] != 3)
            throw new ArgumentException($"PreprocessInput: expected channels-last RGB input with 3 channels; received shape {ShapeUtil.Format(x.ShapeSpan)}.", nameof(x));
        var f = x.AsType(DType.Float32);
        var d = f.WriteSpan<float>();
        double[] mean = [103.939, 116.779, 123.68];
        for (int i = 0; i < d.Length; i += 3)
        {
            float r = d[i], b = d[i + 2];
            d[i] = (float)(b - mean[0]);
            d[i + 1] = (float)(d[i + 1] - mean[1]);
            d[i + 2] = (float)(r - mean[2]);
        }
        return f;
    }

    /// <summary><c>keras.applications.resnet_v2.preprocess_input</c> (tf style, V2 models): x / 127.5 − 1.</summary>
    public static NDArray PreprocessInputV2(NDArray x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NumSharp.NDScope.Open();
        var r = x.astype(np.float32) / 127.5f;
        np.subtract(r, 1f, @out: r);
        return scope.Returns(r);
    }

    /// <summary>
    /// <c>decode_predictions(preds, top=5)</c> given Keras's class-index file (<c>imagenet_class_index.json</c>:
    /// {"0": ["n01440764", "tench"], ...}): per sample, the top classes as (class id, name, score), best first.
    /// </summary>
    public static List<List<(string ClassId, string Name, double Score)>> DecodePredictions(NDArray preds, string classIndexPath, int top = 5)
    {
        ArgumentNullException.ThrowIfNull(preds);
        if (preds.Rank != 2)
            throw new ArgumentException($"`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape (samples, classes)). Found array with shape: {ShapeUtil.Format(preds.ShapeSpan)}", nameof(preds));
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(classIndexPath));
        var index = doc.RootElement.EnumerateObject().ToDictionary(p => int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture), p => (p.Value[0].GetString()!, p.Value[1].GetString()!));
        if (index.Count != preds.Shape[1])
            throw new ArgumentException($"`decode_predictions`: the class index file has {index.Count} classes but the predictions have {preds.Shape[1]}.", nameof(preds));
        var result = new List<List<(string, string, double)>>();
        for (int i = 0; i < preds.Shape[0]; i++)
        {
            var row = preds[i].ToDoubleArray();
            result.Add(Enumerable.Range(0, row.Length).OrderByDescending(j => row[j]).Take(top)
                .Select(j => (index[j].Item1, index[j].Item2, row[j])).ToList());
        }
        return result;
    }
}
