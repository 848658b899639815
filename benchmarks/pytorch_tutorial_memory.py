#!/usr/bin/env python3
"""The Keras CIFAR-10 ResNet tutorial (keras-team/keras examples/cifar10_resnet.py) end to end in PyTorch 1.13, to
measure its peak resident memory beside examples/Cifar10ResNet.

benchmarks/pytorch_resnet20.py measures one training step on random tensors; this one holds what the whole tutorial
holds: the dataset as Keras's cifar10.load_data returns it, the NumPy preparation line for line (a float32 copy
divided by 255, the per-pixel training mean subtracted, one-hot labels), datagen.fit's copy of x_train, real-time
augmentation one batch at a time (width/height shift 0.1 with bilinear interpolation and nearest fill, horizontal
flip: the tutorial's ImageDataGenerator), ResNet20 v1 trained with Adam 1e-3 at batch 32 on reshuffled data, and
validation on the test set after every epoch. Only the checkpoint/LR callbacks are left out (with at most a few epochs
the schedule keeps lr 1e-3 and ReduceLROnPlateau cannot fire).

Usage (Debian's python3-torch, CPU, 2 threads; reads the same binary files as the C# tutorial's --data-dir, e.g. the
output of tools/fashion_mnist_to_cifar_bin.py):
    /usr/bin/time -v /usr/bin/python3 benchmarks/pytorch_tutorial_memory.py --data-dir DIR [--epochs 3]
        [--batch-size 32] [--train-limit N] [--seed 0]
Prints one line per epoch (loss, accuracy, validation, seconds, peak RSS so far, RSS now) and finally one JSON line
{"peak_rss_mb": ..., "epochs": ..., "train_images": ...}.
"""
import argparse, json, math, os, resource, sys, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_resnet20 import ResNetV1, SameConv  # the Keras-faithful ResNet v1 of the throughput comparison

RECORD = 1 + 3 * 32 * 32


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def rss_now_mb():
    # The peak is set before training (datagen.fit's copy); the resident size now shows what training itself holds.
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def read_bin(paths):
    """CIFAR-10 binary version -> (uint8 NHWC images, uint8 (N, 1) labels), laid out as keras cifar10.load_data does:
    one (N, 3, 32, 32) array filled batch by batch, then transposed (a view) to channels-last."""
    sizes = []
    for p in paths:
        if not os.path.isfile(p):
            sys.exit(f"error: --data-dir: missing {p} (expected CIFAR-10 binary files data_batch_1..5.bin, test_batch.bin)")
        size = os.path.getsize(p)
        if size == 0 or size % RECORD:
            sys.exit(f"error: {p}: {size} bytes is not a whole number of {RECORD}-byte CIFAR-10 records")
        sizes.append(size // RECORD)
    x = np.empty((sum(sizes), 3, 32, 32), dtype="uint8")
    y = np.empty((sum(sizes),), dtype="uint8")
    at = 0
    for p, n in zip(paths, sizes):
        raw = np.fromfile(p, dtype=np.uint8).reshape(n, RECORD)
        y[at:at + n] = raw[:, 0]
        x[at:at + n] = raw[:, 1:].reshape(n, 3, 32, 32)
        at += n
    return x.transpose(0, 2, 3, 1), np.reshape(y, (len(y), 1))


def to_categorical(y, num_classes):
    # keras.utils.to_categorical: float32 one-hot rows.
    y = np.asarray(y, dtype="int64").ravel()
    out = np.zeros((len(y), num_classes), dtype="float32")
    out[np.arange(len(y)), y] = 1
    return out


def augment(xb, rs, shift=0.1):
    """ImageDataGenerator(width_shift_range=0.1, height_shift_range=0.1, fill_mode='nearest', horizontal_flip=True) on a
    NHWC float32 batch. Keras draws per image tx, ty, flip_horizontal, flip_vertical (in that order, from np.random),
    shifts by scipy affine_transform (order 1, mode 'nearest': bilinear, coordinates clamped to the edge) and then
    flips; a pure translation is separable, so rows then columns, all images at once."""
    b, h, w, _ = xb.shape
    u = rs.random_sample((b, 4))
    tx = (-shift + 2 * shift * u[:, 0]) * h  # rows
    ty = (-shift + 2 * shift * u[:, 1]) * w  # columns
    flip = u[:, 2] < 0.5

    def shift_axis(a, offset, n, axis):
        c = np.arange(n)[None, :] + offset[:, None]
        f = np.floor(c)
        wgt = (c - f).astype(np.float32)
        i0 = np.clip(f, 0, n - 1).astype(np.intp)
        i1 = np.clip(f + 1, 0, n - 1).astype(np.intp)
        shape = [b, 1, 1, 1]
        shape[axis] = n
        g0 = np.take_along_axis(a, i0.reshape(shape), axis=axis)
        g1 = np.take_along_axis(a, i1.reshape(shape), axis=axis)
        wgt = wgt.reshape(shape)
        return g0 * (1 - wgt) + g1 * wgt

    out = shift_axis(shift_axis(xb, tx, h, 1), ty, w, 2)
    out[flip] = out[flip, :, ::-1]
    return out


def he_normal_(weight, fan_in):
    # Keras he_normal: truncated normal (2 std) with std sqrt(2 / fan_in) / 0.8796 (the truncation's correction).
    std = math.sqrt(2.0 / fan_in) / 0.87962566103423978
    nn.init.trunc_normal_(weight, std=std, a=-2 * std, b=2 * std)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--train-limit", type=int, default=None, help="use only the first N training images")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    if a.epochs < 0 or a.batch_size < 1 or (a.train_limit is not None and a.train_limit < 1):
        sys.exit(f"error: need --epochs >= 0, --batch-size >= 1, --train-limit >= 1; got {a.epochs}, {a.batch_size}, {a.train_limit}")
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rs = np.random.RandomState(a.seed)
    num_classes = 10

    # (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    x_train, y_train = read_bin([os.path.join(a.data_dir, f"data_batch_{i}.bin") for i in range(1, 6)])
    x_test, y_test = read_bin([os.path.join(a.data_dir, "test_batch.bin")])
    if a.train_limit is not None:
        x_train, y_train = x_train[:a.train_limit], y_train[:a.train_limit]
    print(f"loaded: peak RSS {peak_rss_mb():.0f} MB", flush=True)

    # Normalize data (the tutorial's lines; Python briefly holds the astype copy and the quotient together).
    x_train = x_train.astype("float32") / 255
    x_test = x_test.astype("float32") / 255
    # If subtract pixel mean is enabled
    x_train_mean = np.mean(x_train, axis=0)
    x_train -= x_train_mean
    x_test -= x_train_mean
    print("x_train shape:", x_train.shape)
    print(x_train.shape[0], "train samples")
    print(x_test.shape[0], "test samples")
    print("y_train shape:", y_train.shape)
    # Convert class vectors to binary class matrices.
    y_train = to_categorical(y_train, num_classes)
    y_test = to_categorical(y_test, num_classes)
    print(f"prepared: peak RSS {peak_rss_mb():.0f} MB", flush=True)

    # model = resnet_v1(input_shape=input_shape, depth=depth): conv kernels he_normal with L2 1e-4 (added to the loss
    # as Keras adds model.losses), BatchNormalization eps 1e-3 momentum 0.99, Dense he_normal.
    model = ResNetV1(20, num_classes)
    he_normal_(model.fc.weight, model.fc.in_features)
    nn.init.zeros_(model.fc.bias)
    model = model.to(memory_format=torch.channels_last)
    kernels = [m.conv.weight for m in model.modules() if isinstance(m, SameConv)]
    # Adam(learning_rate=lr_schedule(0)) with Keras's epsilon.
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)

    def l2():
        return 1e-4 * sum((k * k).sum() for k in kernels)

    def as_input(xb):
        # NHWC NumPy -> NCHW tensor with channels-last strides: no copy when xb is C-contiguous.
        return torch.from_numpy(np.ascontiguousarray(xb)).permute(0, 3, 1, 2)

    # datagen.fit(x_train): with no featurewise statistics Keras's fit still takes np.copy(x) of the whole set.
    fit_copy = np.copy(np.asarray(x_train, dtype="float32"))
    del fit_copy
    print(f"datagen.fit: peak RSS {peak_rss_mb():.0f} MB", flush=True)

    def evaluate(x, y, batch_size):
        model.eval()
        loss_sum = correct = 0.0
        with torch.no_grad():
            reg = l2().item()
            for s in range(0, len(x), batch_size):
                logits = model(as_input(x[s:s + batch_size]))
                t = torch.from_numpy(y[s:s + batch_size])
                loss_sum += F.cross_entropy(logits, t, reduction="sum").item()
                correct += (logits.argmax(1) == t.argmax(1)).sum().item()
        return loss_sum / len(x) + reg, correct / len(x)

    n = len(x_train)
    for epoch in range(a.epochs):
        t0 = time.perf_counter()
        model.train()
        # datagen.flow(x_train, y_train, batch_size=batch_size): a new permutation every epoch, last batch smaller.
        order = rs.permutation(n)
        loss_sum = correct = 0.0
        for s in range(0, n, a.batch_size):
            idx = order[s:s + a.batch_size]
            xb = as_input(augment(x_train[idx], rs))
            yb = torch.from_numpy(y_train[idx])
            opt.zero_grad(set_to_none=True)
            logits = model(xb)
            # categorical_crossentropy on the softmax output, as log-softmax (Keras clips probabilities at 1e-7).
            loss = F.cross_entropy(logits, yb) + l2()
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(idx)
            correct += (logits.argmax(1) == yb.argmax(1)).sum().item()
        val_loss, val_acc = evaluate(x_test, y_test, a.batch_size)
        dt = time.perf_counter() - t0
        print(f"Epoch {epoch + 1}/{a.epochs}: loss {loss_sum / n:.4f} - accuracy {correct / n:.4f} - "
              f"val_loss {val_loss:.4f} - val_accuracy {val_acc:.4f} - {dt:.1f} s - peak RSS {peak_rss_mb():.0f} MB - RSS now {rss_now_mb():.0f} MB",
              flush=True)

    # scores = model.evaluate(x_test, y_test, verbose=1)
    test_loss, test_acc = evaluate(x_test, y_test, 32)
    print("Test loss:", test_loss)
    print("Test accuracy:", test_acc)
    print(json.dumps(dict(peak_rss_mb=round(peak_rss_mb(), 1), epochs=a.epochs, train_images=n,
                          framework="pytorch-" + torch.__version__, threads=a.threads, batch_size=a.batch_size)))


if __name__ == "__main__":
    main()
