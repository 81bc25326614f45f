#!/bin/bash
# Times the workload runner next to the peer implementations of the benchmark workloads (docs/performance.md,
# Workloads; the peers are not part of this repository), in one sitting, with the peers' own
# timeit.sh (3 whole-process runs each, wall time and peak RSS), then checks agreement with the C
# reference on a shared population. See docs/performance.md.
# Usage: bash benchmarks/compare-with-peers.sh PEERS_DIR   (or PEERS_DIR=... in the environment)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEERS=${1:-${PEERS_DIR:-}}
if [ -z "$PEERS" ] || [ ! -f "$PEERS/timeit.sh" ]; then
  echo "usage: bash benchmarks/compare-with-peers.sh PEERS_DIR (the folder of the peer programs, with timeit.sh)" >&2
  exit 2
fi
export PEERS_WORK=${PEERS_WORK:-${TMPDIR:-/tmp}/ketacare-peers}
export RESULTS=${RESULTS:-$PEERS_WORK/bench/results-ketacare.tsv}
export LOGDIR=${LOGDIR:-$PEERS_WORK/bench/logs-ketacare}
mkdir -p "$PEERS_WORK" "$LOGDIR"
rm -f "$RESULTS"
OUT=$PEERS_WORK/ketacare
# JIT build (ReadyToRun) and Native AOT build of the runner.
dotnet publish "$ROOT/benchmarks/KetaCare.Benchmarks" -c Release -r linux-x64 -o "$OUT/r2r" >/dev/null
dotnet publish "$ROOT/benchmarks/KetaCare.Benchmarks" -c Release -r linux-x64 -p:Aot=true -o "$OUT/aot" >/dev/null
g++ -O3 -march=native -std=c++17 -o "$PEERS_WORK/peer_c_exact" "$PEERS/peer_c_exact.cpp"
T="bash $PEERS/timeit.sh"
for s in "W1 100000" "W2 10000"; do
  set -- $s
  $T ketacare_aot "$1" "$2" 3 "$OUT/aot/KetaCare.Benchmarks" workload "$1" "$2"
  $T ketacare_r2r "$1" "$2" 3 "$OUT/r2r/KetaCare.Benchmarks" workload "$1" "$2"
  $T c_exact_radix "$1" "$2" 3 "$PEERS_WORK/peer_c_exact" "$2" "$1" --pct radix
  $T c_exact "$1" "$2" 3 "$PEERS_WORK/peer_c_exact" "$2" "$1"
  $T py_numpy_expm "$1" "$2" 3 /usr/bin/python3 "$PEERS/peer_py_numpy_expm.py" "$2" "$1"
done
/usr/bin/python3 "$PEERS/summarise.py" "$RESULTS" "$LOGDIR"

# Agreement on the peers' shared population, percentiles at every minute.
AG=$PEERS_WORK/agree-ketacare; mkdir -p "$AG"
for s in "W1 100000" "W2 10000"; do
  set -- $s
  CSV=$PEERS_WORK/subjects_$2.csv
  [ -f "$CSV" ] || /usr/bin/python3 "$PEERS/gen_subjects.py" "$2" "$PEERS_WORK" >/dev/null
  "$PEERS_WORK/peer_c_exact" "$2" "$1" --csv "$CSV" --all --pct radix > "$AG/c_exact_radix_$1_$2.txt" 2>/dev/null
  "$OUT/aot/KetaCare.Benchmarks" workload "$1" "$2" --csv "$CSV" --all > "$AG/ketacare_$1_$2.txt" 2>/dev/null
  echo "== $1, N=$2, shared population $CSV"
  /usr/bin/python3 "$PEERS/compare.py" "$AG/c_exact_radix_$1_$2.txt" "$AG/ketacare_$1_$2.txt"
  # Own population (same seed and draws as the C reference's): the two must agree as well.
  "$PEERS_WORK/peer_c_exact" "$2" "$1" --all --pct radix > "$AG/c_rng_$1_$2.txt" 2>/dev/null
  "$OUT/aot/KetaCare.Benchmarks" workload "$1" "$2" --all > "$AG/ketacare_rng_$1_$2.txt" 2>/dev/null
  echo "== $1, N=$2, each program's own population (seed 20240601)"
  /usr/bin/python3 "$PEERS/compare.py" "$AG/c_rng_$1_$2.txt" "$AG/ketacare_rng_$1_$2.txt"
done
