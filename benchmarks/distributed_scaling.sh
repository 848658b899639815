#!/usr/bin/env bash
# Scaling of data-parallel training on this machine: ResNet20 v1, the same global batch, 1 process with T threads
# against P processes with T/P threads each (mpirun, one core per process), interleaved `repeats` times; prints each
# run's JSON line and the median images/s of both with their ratio.
# Usage: bash benchmarks/distributed_scaling.sh [steps] [repeats] [global_batch]   (needs Open MPI's mpirun)
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-15}
repeats=${2:-3}
batch=${3:-64}
cores=$(nproc)
dotnet build -c Release benchmarks/DistributedBench >/dev/null
dll=benchmarks/DistributedBench/bin/Release/net10.0/DistributedBench.dll
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 TERM=dumb
field() { sed -n "s/.*\"$1\": *\([0-9.]*\).*/\1/p"; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
one=() many=()
for ((r = 0; r < repeats; r++)); do
  line=$(dotnet "$dll" --threads "$cores" --batch-size "$batch" --steps "$steps")
  echo "$line"; one+=("$(field images_per_sec <<<"$line")")
  line=$(mpirun --oversubscribe --bind-to core -np "$cores" dotnet "$dll" --threads 1 --batch-size "$batch" --steps "$steps")
  echo "$line"; many+=("$(field images_per_sec <<<"$line")")
done
a=$(printf '%s\n' "${one[@]}" | median)
b=$(printf '%s\n' "${many[@]}" | median)
echo "median images/s: 1 process x $cores threads: $a; $cores processes x 1 thread: $b; ratio $(awk -v a="$b" -v b="$a" 'BEGIN { printf "%.2f", a / b }')"
