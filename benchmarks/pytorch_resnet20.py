#!/usr/bin/env python3
"""PyTorch (oneDNN CPU kernels) side of the throughput comparison for issue 7.

A Keras-faithful ResNet v1 (the tutorial's resnet_v1): TF 'same' padding (odd pixel bottom/right),
BatchNorm eps 1e-3 momentum 0.01, he_normal-like init, Adam lr 1e-3, categorical cross-entropy from
logits, L2 1e-4 on conv kernels added to the loss. Prints one JSON line per mode like the .NET benchmark.

Usage: python3 benchmarks/pytorch_resnet20.py {train,predict} [--depth 20] [--batch-size 128]
         [--steps 20] [--warmup 3] [--threads 2] [--channels-last]
"""
import argparse, json, math, time, resource

import torch
import torch.nn as nn
import torch.nn.functional as F


class SameConv(nn.Module):
    def __init__(self, cin, cout, k, s):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, s, padding=0, bias=True)
        nn.init.trunc_normal_(self.conv.weight, std=math.sqrt(2.0 / (cin * k * k)) / 0.8796, a=-2 * math.sqrt(2.0 / (cin * k * k)) / 0.8796, b=2 * math.sqrt(2.0 / (cin * k * k)) / 0.8796)
        nn.init.zeros_(self.conv.bias)
        self.k, self.s = k, s

    def forward(self, x):
        h, w = x.shape[2], x.shape[3]
        oh, ow = -(-h // self.s), -(-w // self.s)
        ph = max((oh - 1) * self.s + self.k - h, 0)
        pw = max((ow - 1) * self.s + self.k - w, 0)
        if ph % 2 == 0 and pw % 2 == 0:
            # Symmetric: the convolution pads by itself, no copy (the reference should be as fast as PyTorch allows).
            return F.conv2d(x, self.conv.weight, self.conv.bias, self.s, (ph // 2, pw // 2))
        x = F.pad(x, (pw // 2, pw - pw // 2, ph // 2, ph - ph // 2))
        return self.conv(x)


class ResnetLayer(nn.Module):
    def __init__(self, cin, cout, k=3, s=1, activation=True, bn=True):
        super().__init__()
        self.conv = SameConv(cin, cout, k, s)
        self.bn = nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01) if bn else None
        self.activation = activation

    def forward(self, x):
        x = self.conv(x)
        if self.bn is not None:
            x = self.bn(x)
        return F.relu(x) if self.activation else x


class ResNetV1(nn.Module):
    def __init__(self, depth=20, num_classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.stem = ResnetLayer(3, 16)
        blocks, cin, filters = [], 16, 16
        for stack in range(3):
            for rb in range(n):
                s = 2 if stack > 0 and rb == 0 else 1
                blocks.append(nn.ModuleDict(dict(
                    a=ResnetLayer(cin, filters, s=s),
                    b=ResnetLayer(filters, filters, activation=False),
                    sc=ResnetLayer(cin, filters, k=1, s=s, activation=False, bn=False) if (stack > 0 and rb == 0) else nn.Identity(),
                )))
                cin = filters
            filters *= 2
        self.blocks = nn.ModuleList(blocks)
        self.fc = nn.Linear(cin, num_classes)

    def forward(self, x):
        x = self.stem(x)
        for b in self.blocks:
            x = F.relu(b["sc"](x) + b["b"](b["a"](x)))
        x = F.avg_pool2d(x, 8)
        return self.fc(torch.flatten(x, 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["train", "predict"])
    ap.add_argument("--depth", type=int, default=20)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--channels-last", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = ResNetV1(a.depth)
    fmt = torch.channels_last if a.channels_last else torch.contiguous_format
    model = model.to(memory_format=fmt)
    x = torch.randn(a.batch_size, 3, 32, 32).to(memory_format=fmt)
    y = torch.randint(0, 10, (a.batch_size,))
    kernels = [m.conv.weight for m in model.modules() if isinstance(m, SameConv)]
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)

    def step():
        if a.mode == "train":
            model.train()
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y) + 1e-4 * sum((k * k).sum() for k in kernels)
            loss.backward()
            opt.step()
        else:
            model.eval()
            with torch.no_grad():
                model(x)

    for _ in range(a.warmup):
        step()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    dt = time.perf_counter() - t0
    print(json.dumps(dict(
        framework="pytorch-" + torch.__version__, mode=a.mode, model="resnet_v1", depth=a.depth,
        batch_size=a.batch_size, steps=a.steps, threads=a.threads,
        layout="channels_last" if a.channels_last else "nchw",
        images_per_sec=round(a.batch_size * a.steps / dt, 1),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))))


if __name__ == "__main__":
    main()
