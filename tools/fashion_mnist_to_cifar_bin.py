#!/usr/bin/env python3
"""Write Fashion-MNIST (Debian's dataset-fashion-mnist) as a CIFAR-10 *binary-version* folder.

Real images for the tutorial when CIFAR-10 itself cannot be downloaded: each 28x28 grey image is
padded with 2 black pixels on every side to 32x32 and repeated over the R, G and B planes; the 10
Fashion-MNIST classes take the place of the CIFAR-10 classes. Output: data_batch_1.bin ...
data_batch_5.bin (60000 training records split in five), test_batch.bin (10000), batches.meta.txt, and
dataset_name.txt ("fashion_mnist"), from which the tutorial names its checkpoints, history and chart.

Usage: python3 tools/fashion_mnist_to_cifar_bin.py OUT_DIR [--train N] [--test N]
"""
import argparse, gzip, os, struct

SRC = "/usr/share/datasets/fashion-mnist"
CLASSES = ["t-shirt_top", "trouser", "pullover", "dress", "coat",
           "sandal", "shirt", "sneaker", "bag", "ankle_boot"]


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return dims, data[4 + 4 * ndim:]


def records(prefix, limit):
    (n, h, w), pixels = read_idx(os.path.join(SRC, prefix + "-images-idx3-ubyte.gz"))
    (_,), labels = read_idx(os.path.join(SRC, prefix + "-labels-idx1-ubyte.gz"))
    n = min(n, limit)
    out = []
    for i in range(n):
        img = pixels[i * h * w:(i + 1) * h * w]
        plane = bytearray(32 * 32)
        for r in range(h):
            plane[(r + 2) * 32 + 2:(r + 2) * 32 + 2 + w] = img[r * w:(r + 1) * w]
        out.append(bytes([labels[i]]) + bytes(plane) * 3)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--train", type=int, default=60000)
    ap.add_argument("--test", type=int, default=10000)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    train = records("train", a.train)
    per = (len(train) + 4) // 5
    for k in range(5):
        with open(os.path.join(a.out, "data_batch_%d.bin" % (k + 1)), "wb") as f:
            f.write(b"".join(train[k * per:(k + 1) * per]))
    test = records("t10k", a.test)
    with open(os.path.join(a.out, "test_batch.bin"), "wb") as f:
        f.write(b"".join(test))
    with open(os.path.join(a.out, "batches.meta.txt"), "w") as f:
        f.write("\n".join(CLASSES) + "\n")
    with open(os.path.join(a.out, "dataset_name.txt"), "w") as f:
        f.write("fashion_mnist\n")
    print("wrote %d training images in data_batch_1..5.bin, %d test images in test_batch.bin, batches.meta.txt and "
          "dataset_name.txt (fashion_mnist) to %s" % (len(train), len(test), a.out))
    print("run the tutorial on them: dotnet run -c Release --project examples/Cifar10ResNet -- --data-dir %s" % a.out)


if __name__ == "__main__":
    main()
