namespace ResNetKeras.Keras;

/// <summary>
/// The Keras CIFAR-10 ResNet tutorial's functions (keras-team/keras <c>examples/cifar10_resnet.py</c>),
/// translated line by line: <c>lr_schedule</c>, <c>resnet_layer</c>, <c>resnet_v1</c>, <c>resnet_v2</c>.
/// </summary>
public static class ResNetCifar
{
    /// <summary>
    /// <c>lr_schedule(epoch)</c>: 1e-3, reduced by 0.1 after epochs 80, 120, 160 and by 0.5e-3 after 180.
    /// Prints <c>Learning rate:  0.001</c> (two spaces, Python's print of two values) on every call, as the tutorial does.
    /// </summary>
    public static double LrSchedule(int epoch, TextWriter? output = null)
    {
        double lr = 1e-3;
        if (epoch > 180) lr *= 0.5e-3;
        else if (epoch > 160) lr *= 1e-3;
        else if (epoch > 120) lr *= 1e-2;
        else if (epoch > 80) lr *= 1e-1;
        (output ?? Console.Out).WriteLine("Learning rate:  " + Callback.PyStr(lr));
        return lr;
    }

    /// <summary>
    /// <c>resnet_layer</c>: 2-D convolution (he_normal, L2(1e-4), "same") with batch normalization and activation,
    /// conv-BN-activation when <paramref name="convFirst"/>, else BN-activation-conv. The Conv2D object is created first,
    /// so its name comes before the BN and activation names, as in Keras.
    /// </summary>
    public static KerasTensor ResnetLayer(KerasTensor inputs, int numFilters = 16, int kernelSize = 3, int strides = 1,
        string? activation = "relu", bool batchNormalization = true, bool convFirst = true)
    {
        var conv = new Conv2D(numFilters, kernelSize: kernelSize, strides: strides, padding: "same",
            kernelInitializer: "he_normal", kernelRegularizer: new L2(1e-4));
        var x = inputs;
        if (convFirst)
        {
            x = conv.Call(x);
            if (batchNormalization) x = new BatchNormalization().Call(x);
            if (activation is not null) x = new Activation(activation).Call(x);
        }
        else
        {
            if (batchNormalization) x = new BatchNormalization().Call(x);
            if (activation is not null) x = new Activation(activation).Call(x);
            x = conv.Call(x);
        }
        return x;
    }

    /// <summary>
    /// <c>resnet_v1(input_shape, depth, num_classes=10)</c>: stacks of 2 x (3x3) conv blocks with identity or
    /// 1x1 projection shortcuts; depth must be 6n+2 (20, 32, 44, 56, 110, ...).
    /// </summary>
    public static Model ResNetV1(int[] inputShape, int depth, int numClasses = 10)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        // The tutorial's check; n = 0 (depth 2: no residual blocks) is as valid as in Keras, a negative n is not.
        if (depth < 2 || (depth - 2) % 6 != 0)
            throw new ArgumentException($"depth should be 6n+2 (eg 20, 32, 44 in [a]) with n >= 0. Received depth={depth}.", nameof(depth));
        CheckClasses(numClasses);
        int numFilters = 16;
        int numResBlocks = (depth - 2) / 6;
        var inputs = Layers.Input(shape: inputShape);
        var x = ResnetLayer(inputs: inputs);
        for (int stack = 0; stack < 3; stack++)
        {
            for (int resBlock = 0; resBlock < numResBlocks; resBlock++)
            {
                int strides = 1;
                if (stack > 0 && resBlock == 0) strides = 2;  // downsample
                var y = ResnetLayer(inputs: x, numFilters: numFilters, strides: strides);
                y = ResnetLayer(inputs: y, numFilters: numFilters, activation: null);
                if (stack > 0 && resBlock == 0)
                {
                    // linear projection residual shortcut connection to match changed dims
                    x = ResnetLayer(inputs: x, numFilters: numFilters, kernelSize: 1, strides: strides, activation: null, batchNormalization: false);
                }
                x = Layers.Add(x, y);
                x = new Activation("relu").Call(x);
            }
            numFilters *= 2;
        }
        // Add classifier on top. v1 does not use BN after last shortcut connection-ReLU
        x = new AveragePooling2D(poolSize: 8).Call(x);
        var flat = new Flatten().Call(x);
        var outputs = new Dense(numClasses, activation: "softmax", kernelInitializer: "he_normal").Call(flat);
        return new Model(inputs: inputs, outputs: outputs);
    }

    /// <summary>
    /// <c>resnet_v2(input_shape, depth, num_classes=10)</c>: pre-activation bottleneck blocks (1x1, 3x3, 1x1) with
    /// projection shortcuts at each stage's first block; depth must be 9n+2 (20, 56, 110, ...).
    /// </summary>
    public static Model ResNetV2(int[] inputShape, int depth, int numClasses = 10)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (depth < 2 || (depth - 2) % 9 != 0)
            throw new ArgumentException($"depth should be 9n+2 (eg 56 or 110 in [b]) with n >= 0. Received depth={depth}.", nameof(depth));
        CheckClasses(numClasses);
        int numFiltersIn = 16;
        int numResBlocks = (depth - 2) / 9;
        var inputs = Layers.Input(shape: inputShape);
        // v2 performs Conv2D with BN-ReLU on input before splitting into 2 paths
        var x = ResnetLayer(inputs: inputs, numFilters: numFiltersIn, convFirst: true);
        int numFiltersOut = numFiltersIn;
        for (int stage = 0; stage < 3; stage++)
        {
            for (int resBlock = 0; resBlock < numResBlocks; resBlock++)
            {
                string? activation = "relu";
                bool batchNormalization = true;
                int strides = 1;
                if (stage == 0)
                {
                    numFiltersOut = numFiltersIn * 4;
                    if (resBlock == 0)  // first layer and first stage
                    {
                        activation = null;
                        batchNormalization = false;
                    }
                }
                else
                {
                    numFiltersOut = numFiltersIn * 2;
                    if (resBlock == 0) strides = 2;  // first layer but not first stage: downsample
                }
                // bottleneck residual unit
                var y = ResnetLayer(inputs: x, numFilters: numFiltersIn, kernelSize: 1, strides: strides,
                    activation: activation, batchNormalization: batchNormalization, convFirst: false);
                y = ResnetLayer(inputs: y, numFilters: numFiltersIn, convFirst: false);
                y = ResnetLayer(inputs: y, numFilters: numFiltersOut, kernelSize: 1, convFirst: false);
                if (resBlock == 0)
                {
                    // linear projection residual shortcut connection to match changed dims
                    x = ResnetLayer(inputs: x, numFilters: numFiltersOut, kernelSize: 1, strides: strides, activation: null, batchNormalization: false);
                }
                x = Layers.Add(x, y);
            }
            numFiltersIn = numFiltersOut;
        }
        // Add classifier on top. v2 has BN-ReLU before Pooling
        x = new BatchNormalization().Call(x);
        x = new Activation("relu").Call(x);
        x = new AveragePooling2D(poolSize: 8).Call(x);
        var flat = new Flatten().Call(x);
        var outputs = new Dense(numClasses, activation: "softmax", kernelInitializer: "he_normal").Call(flat);
        return new Model(inputs: inputs, outputs: outputs);
    }

    private static void CheckClasses(int numClasses)
    {
        if (numClasses <= 0)
            throw new ArgumentException($"Invalid value for argument `num_classes`. Expected a strictly positive value. Received num_classes={numClasses}.", nameof(numClasses));
    }
}
