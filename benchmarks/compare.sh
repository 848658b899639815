#!/usr/bin/env bash
# Runs the ResNetKeras benchmark and the PyTorch (oneDNN) reference in the same session, 2 threads each, and prints
# images/s and the ratio for train and predict at batch sizes 32 and 128 (ResNet20 v1).
# Usage: bash benchmarks/compare.sh [steps]   (needs Debian's python3-torch for the reference side)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-10}
dotnet build -c Release benchmarks/ResNetKeras.Benchmarks >/dev/null
ips() { sed -n 's/.*"images_per_sec": *\([0-9.]*\).*/\1/p'; }
printf '%-8s %6s %14s %14s %7s\n' mode batch resnetkeras pytorch ratio
for batch in 32 128; do
  for mode in train predict; do
    ours=$(dotnet run -c Release --no-build --project benchmarks/ResNetKeras.Benchmarks -- "$mode" --model resnet_v1 --depth 20 \
      --batch-size "$batch" --steps "$steps" --warmup 2 --threads 2 | head -n 1 | ips)
    theirs=$(/usr/bin/python3 benchmarks/pytorch_resnet20.py "$mode" --batch-size "$batch" --steps "$steps" --warmup 2 --threads 2 --channels-last | ips)
    ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')
    printf '%-8s %6s %14s %14s %7s\n' "$mode" "$batch" "$ours" "$theirs" "$ratio"
  done
done
