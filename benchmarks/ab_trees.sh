#!/usr/bin/env bash
# Interleaved A/B of the ResNet20 v1 benchmark between two checkouts (e.g. a `git worktree` of the baseline and this
# tree): the two alternate run by run, so a noisy neighbour or a slow drift of the machine hurts both alike; prints the
# median images/s and peak working set of each side. Usage: bash benchmarks/ab_trees.sh TREE_A TREE_B [pairs] [steps]
# (BATCHES="32 128" and MODES="train predict" select the cases).
set -uo pipefail
A=$1; B=$2; pairs=${3:-5}; steps=${4:-15}
field() { sed -n "s/.*\"$1\": *\([0-9.]*\).*/\1/p"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for t in "$A" "$B"; do (cd "$t" && dotnet build -c Release benchmarks/ResNetKeras.Benchmarks >/dev/null 2>&1) || echo "build failed in $t"; done
printf '%-8s %6s %10s %10s %8s %8s\n' mode batch A_ips B_ips A_mb B_mb
for batch in ${BATCHES:-32 128}; do for mode in ${MODES:-train predict}; do
  a=() b=() am=() bm=()
  for ((r = 0; r < pairs; r++)); do
    for side in A B; do
      dir=$A; [ $side = B ] && dir=$B
      line=$(cd "$dir" && dotnet run -c Release --no-build --project benchmarks/ResNetKeras.Benchmarks -- "$mode" --model resnet_v1 --depth 20 --batch-size "$batch" --steps "$steps" --warmup 2 --threads 2 | head -n 1)
      if [ $side = A ]; then a+=("$(field images_per_sec <<<"$line")"); am+=("$(field peak_working_set_mb <<<"$line")");
      else b+=("$(field images_per_sec <<<"$line")"); bm+=("$(field peak_working_set_mb <<<"$line")"); fi
    done
  done
  printf '%-8s %6s %10s %10s %8s %8s\n' "$mode" "$batch" "$(printf '%s\n' "${a[@]}" | median)" "$(printf '%s\n' "${b[@]}" | median)" "$(printf '%s\n' "${am[@]}" | median)" "$(printf '%s\n' "${bm[@]}" | median)"
done; done
