namespace ResNetKeras.Keras;

public static partial class Applications
{
    /// <summary>
    /// ResNet-18 of He et al. (2015), Table 1: 7x7/2 conv, 3x3/2 max pool, four stages of two-layer 3x3 basic blocks
    /// (64, 128, 256, 512 filters; [2, 2, 2, 2] blocks), projection shortcuts (1x1 conv + BN) where the shape changes,
    /// convolutions without bias. Trainable parameters with the top and 1000 classes: 11,689,512, as the common
    /// reference implementations (torchvision) count them.
    /// </summary>
    /// <remarks><paramref name="shortcut"/>: "projection" (option B, default) or "identity" (option A: zero-padded identity, no parameters).</remarks>
    public static Model ResNet18(bool includeTop = true, int[]? inputShape = null, string? pooling = null, int classes = 1000, string shortcut = "projection") =>
        PaperNet([2, 2, 2, 2], residual: true, "resnet18", includeTop, inputShape, pooling, classes, shortcut);

    /// <summary>ResNet-34 (Table 1, [3, 4, 6, 3] basic blocks): 21,797,672 trainable parameters with the top.</summary>
    public static Model ResNet34(bool includeTop = true, int[]? inputShape = null, string? pooling = null, int classes = 1000, string shortcut = "projection") =>
        PaperNet([3, 4, 6, 3], residual: true, "resnet34", includeTop, inputShape, pooling, classes, shortcut);

    /// <summary>The paper's plain 18- or 34-layer network: ResNet-18/34 without shortcut connections.</summary>
    public static Model PlainNet(int depth, bool includeTop = true, int[]? inputShape = null, string? pooling = null, int classes = 1000) => depth switch
    {
        18 => PaperNet([2, 2, 2, 2], residual: false, "plain18", includeTop, inputShape, pooling, classes),
        34 => PaperNet([3, 4, 6, 3], residual: false, "plain34", includeTop, inputShape, pooling, classes),
        _ => throw new ArgumentException($"Invalid value for argument `depth`. Expected 18 or 34 for the ImageNet plain networks (use PlainNetCifar for 6n+2). Received depth={depth}.", nameof(depth)),
    };

    private static Model PaperNet(int[] blocks, bool residual, string name, bool includeTop, int[]? inputShape, string? pooling, int classes, string shortcutKind = "projection")
    {
        if (shortcutKind is not ("projection" or "identity"))
            throw new ArgumentException($"Invalid value for argument `shortcut`. Expected \"projection\" (option B) or \"identity\" (option A). Received shortcut={shortcutKind}.", nameof(shortcutKind));
        if (pooling is not (null or "avg" or "max"))
            throw new ArgumentException($"Invalid value for argument `pooling`. Expected null, \"avg\" or \"max\". Received pooling={pooling}.", nameof(pooling));
        var input = Layers.Input(ObtainInputShape(inputShape, includeTop, null, classes));
        var x = new ZeroPadding2D(3, name: "conv1_pad").Call(input);
        x = new Conv2D(64, 7, strides: 2, useBias: false, name: "conv1_conv").Call(x);
        x = new BatchNormalization(epsilon: 1e-5, name: "conv1_bn").Call(x);
        x = new Activation("relu", name: "conv1_relu").Call(x);
        x = new ZeroPadding2D(1, name: "pool1_pad").Call(x);
        x = new MaxPooling2D(3, strides: 2, name: "pool1_pool").Call(x);
        int filters = 64;
        for (int stage = 0; stage < blocks.Length; stage++, filters *= 2)
            for (int b = 0; b < blocks[stage]; b++)
            {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                string p = $"conv{stage + 2}_block{b + 1}";
                var y = new ZeroPadding2D(1, name: p + "_1_pad").Call(x);
                y = new Conv2D(filters, 3, strides: stride, useBias: false, name: p + "_1_conv").Call(y);
                y = new BatchNormalization(epsilon: 1e-5, name: p + "_1_bn").Call(y);
                y = new Activation("relu", name: p + "_1_relu").Call(y);
                y = new ZeroPadding2D(1, name: p + "_2_pad").Call(y);
                y = new Conv2D(filters, 3, useBias: false, name: p + "_2_conv").Call(y);
                y = new BatchNormalization(epsilon: 1e-5, name: p + "_2_bn").Call(y);
                if (residual)
                {
                    var shortcut = x;
                    if ((stride != 1 || x.Shape[^1] != filters) && shortcutKind == "identity")
                        shortcut = new IdentityShortcut(filters, stride, name: p + "_0_shortcut").Call(x);
                    else if (stride != 1 || x.Shape[^1] != filters)
                    {
                        shortcut = new Conv2D(filters, 1, strides: stride, useBias: false, name: p + "_0_conv").Call(x);
                        shortcut = new BatchNormalization(epsilon: 1e-5, name: p + "_0_bn").Call(shortcut);
                    }
                    y = new Add(name: p + "_add").Call(shortcut, y);
                }
                x = new Activation("relu", name: p + "_out").Call(y);
            }
        if (includeTop)
        {
            x = new GlobalAveragePooling2D(name: "avg_pool").Call(x);
            x = new Dense(classes, activation: "softmax", name: "predictions").Call(x);
        }
        else if (pooling == "avg") x = new GlobalAveragePooling2D(name: "avg_pool").Call(x);
        else if (pooling == "max") x = new GlobalMaxPooling2D(name: "max_pool").Call(x);
        return new Model(input, x, name: name);
    }

    /// <summary>
    /// The paper's plain CIFAR network of depth 6n+2 (Section 4.2): the tutorial's <c>resnet_v1</c> with the shortcut
    /// connections removed, for the degradation experiment.
    /// </summary>
    public static Model PlainNetCifar(int[] inputShape, int depth, int numClasses = 10)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (depth < 8 || (depth - 2) % 6 != 0)
            throw new ArgumentException($"depth should be 6n+2 (eg 20, 32, 44 in [a]). Received depth={depth}.", nameof(depth));
        int numFilters = 16, numResBlocks = (depth - 2) / 6;
        var inputs = Layers.Input(shape: inputShape);
        var x = ResNetCifar.ResnetLayer(inputs: inputs);
        for (int stack = 0; stack < 3; stack++, numFilters *= 2)
            for (int block = 0; block < numResBlocks; block++)
            {
                int strides = stack > 0 && block == 0 ? 2 : 1;
                x = ResNetCifar.ResnetLayer(inputs: x, numFilters: numFilters, strides: strides);
                x = ResNetCifar.ResnetLayer(inputs: x, numFilters: numFilters, activation: null);
                x = new Activation("relu").Call(x);
            }
        x = new AveragePooling2D(poolSize: 8).Call(x);
        var outputs = new Dense(numClasses, activation: "softmax", kernelInitializer: "he_normal").Call(new Flatten().Call(x));
        return new Model(inputs: inputs, outputs: outputs);
    }
}
