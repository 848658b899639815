#!/usr/bin/env bash
# Runs the ResNetKeras benchmark and the PyTorch (oneDNN) reference in the same session, 2 threads each, and prints
# images/s and the ratio for train and predict at batch sizes 32 and 128 (ResNet20 v1), plus the peak memory of each
# side (.NET peak working set, PyTorch peak RSS). Each figure is the median of `repeats` runs, the two sides
# interleaved, so that a noisy neighbour hurts both alike.
# Usage: bash benchmarks/compare.sh [steps] [repeats]   (needs Debian's python3-torch for the reference side)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-10}
repeats=${2:-3}
dotnet build -c Release benchmarks/ResNetKeras.Benchmarks >/dev/null
field() { sed -n "s/.*\"$1\": *\([0-9.]*\).*/\1/p"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '%-8s %6s %12s %12s %7s %10s %10s\n' mode batch resnetkeras pytorch ratio ours_mb torch_mb
for batch in 32 128; do
  for mode in train predict; do
    ours_ips=() theirs_ips=() ours_mb=() theirs_mb=()
    for ((r = 0; r < repeats; r++)); do
      line=$(dotnet run -c Release --no-build --project benchmarks/ResNetKeras.Benchmarks -- "$mode" --model resnet_v1 --depth 20 \
        --batch-size "$batch" --steps "$steps" --warmup 2 --threads 2 | head -n 1)
      ours_ips+=("$(field images_per_sec <<<"$line")") ours_mb+=("$(field peak_working_set_mb <<<"$line")")
      line=$(/usr/bin/python3 benchmarks/pytorch_resnet20.py "$mode" --batch-size "$batch" --steps "$steps" --warmup 2 --threads 2 --channels-last)
      theirs_ips+=("$(field images_per_sec <<<"$line")") theirs_mb+=("$(field peak_rss_mb <<<"$line")")
    done
    ours=$(printf '%s\n' "${ours_ips[@]}" | median)
    theirs=$(printf '%s\n' "${theirs_ips[@]}" | median)
    ratio=$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", a / b }')
    printf '%-8s %6s %12s %12s %7s %10s %10s\n' "$mode" "$batch" "$ours" "$theirs" "$ratio" \
      "$(printf '%s\n' "${ours_mb[@]}" | median)" "$(printf '%s\n' "${theirs_mb[@]}" | median)"
  done
done
