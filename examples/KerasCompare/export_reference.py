#!/usr/bin/env python3
"""Run in YOUR TensorFlow/Keras environment to produce reference files for KerasCompare.

Builds the tutorial's resnet_v1/resnet_v2 exactly as examples/cifar10_resnet.py does, saves its weights
(save_weights, HDF5) and writes an input batch and Keras's predictions as .npy:

    python export_reference.py --model resnet_v1 --depth 20 --out ref/
    dotnet run -c Release --project examples/KerasCompare -- predict --model resnet_v1 --depth 20 \
        --weights ref/weights.h5 --input ref/x.npy --output ref/y_dotnet.npy
    python -c "import numpy as np; print(abs(np.load('ref/y.npy') - np.load('ref/y_dotnet.npy')).max())"

The other direction: a model saved by ResNetKeras (model.Save / SaveWeights / ModelCheckpoint) loads with
keras.models.load_model(path) or model.load_weights(path) in tf.keras 2.x.
"""
import argparse, os
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras.layers import Activation, AveragePooling2D, BatchNormalization, Conv2D, Dense, Flatten, Input
from tensorflow.keras.regularizers import l2


def resnet_layer(inputs, num_filters=16, kernel_size=3, strides=1, activation="relu", batch_normalization=True, conv_first=True):
    conv = Conv2D(num_filters, kernel_size=kernel_size, strides=strides, padding="same",
                  kernel_initializer="he_normal", kernel_regularizer=l2(1e-4))
    x = inputs
    if conv_first:
        x = conv(x)
        if batch_normalization:
            x = BatchNormalization()(x)
        if activation is not None:
            x = Activation(activation)(x)
    else:
        if batch_normalization:
            x = BatchNormalization()(x)
        if activation is not None:
            x = Activation(activation)(x)
        x = conv(x)
    return x


def resnet_v1(input_shape, depth, num_classes=10):
    num_filters, num_res_blocks = 16, (depth - 2) // 6
    inputs = Input(shape=input_shape)
    x = resnet_layer(inputs=inputs)
    for stack in range(3):
        for res_block in range(num_res_blocks):
            strides = 2 if stack > 0 and res_block == 0 else 1
            y = resnet_layer(inputs=x, num_filters=num_filters, strides=strides)
            y = resnet_layer(inputs=y, num_filters=num_filters, activation=None)
            if stack > 0 and res_block == 0:
                x = resnet_layer(inputs=x, num_filters=num_filters, kernel_size=1, strides=strides, activation=None, batch_normalization=False)
            x = keras.layers.add([x, y])
            x = Activation("relu")(x)
        num_filters *= 2
    x = AveragePooling2D(pool_size=8)(x)
    outputs = Dense(num_classes, activation="softmax", kernel_initializer="he_normal")(Flatten()(x))
    return keras.Model(inputs=inputs, outputs=outputs)


def resnet_v2(input_shape, depth, num_classes=10):
    num_filters_in, num_res_blocks = 16, (depth - 2) // 9
    inputs = Input(shape=input_shape)
    x = resnet_layer(inputs=inputs, num_filters=num_filters_in, conv_first=True)
    for stage in range(3):
        for res_block in range(num_res_blocks):
            activation, batch_normalization, strides = "relu", True, 1
            if stage == 0:
                num_filters_out = num_filters_in * 4
                if res_block == 0:
                    activation, batch_normalization = None, False
            else:
                num_filters_out = num_filters_in * 2
                if res_block == 0:
                    strides = 2
            y = resnet_layer(x, num_filters_in, 1, strides, activation, batch_normalization, conv_first=False)
            y = resnet_layer(y, num_filters_in, conv_first=False)
            y = resnet_layer(y, num_filters_out, 1, conv_first=False)
            if res_block == 0:
                x = resnet_layer(x, num_filters_out, 1, strides, activation=None, batch_normalization=False)
            x = keras.layers.add([x, y])
        num_filters_in = num_filters_out
    x = BatchNormalization()(x)
    x = Activation("relu")(x)
    x = AveragePooling2D(pool_size=8)(x)
    outputs = Dense(num_classes, activation="softmax", kernel_initializer="he_normal")(Flatten()(x))
    return keras.Model(inputs=inputs, outputs=outputs)


ap = argparse.ArgumentParser()
ap.add_argument("--model", choices=["resnet_v1", "resnet_v2"], default="resnet_v1")
ap.add_argument("--depth", type=int, default=20)
ap.add_argument("--batch", type=int, default=8)
ap.add_argument("--out", default="ref")
a = ap.parse_args()
os.makedirs(a.out, exist_ok=True)
tf.random.set_seed(0)
model = (resnet_v1 if a.model == "resnet_v1" else resnet_v2)((32, 32, 3), a.depth)
# Non-trivial BN statistics, so that inference-mode normalization is really compared.
for layer in model.layers:
    if isinstance(layer, BatchNormalization):
        g, b, m, v = layer.get_weights()
        rng = np.random.RandomState(len(layer.name))
        layer.set_weights([g * rng.uniform(0.5, 1.5, g.shape), b + rng.normal(0, 0.1, b.shape), rng.normal(0, 0.1, m.shape), rng.uniform(0.5, 2, v.shape)])
x = np.random.RandomState(1).uniform(-1, 1, (a.batch, 32, 32, 3)).astype("float32")
model.save_weights(os.path.join(a.out, "weights.h5"))
np.save(os.path.join(a.out, "x.npy"), x)
np.save(os.path.join(a.out, "y.npy"), model.predict(x).astype("float32"))
print("wrote", a.out)
