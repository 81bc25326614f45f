#!/bin/bash
# Times the shipped ketacare tool next to the peer implementations of the benchmark workloads
# (docs/performance.md, Workloads; the peers are not part of this repository), in one sitting, with the
# peers' own timeit.sh (whole-process runs, wall time and peak RSS), then checks agreement with the C
# reference on a shared population.
#
# ketacare is packed and installed exactly as the README says (dotnet pack, dotnet tool install from the
# package folder), but into folders under $PEERS_WORK, so nothing is installed for the user. It is timed
# on the workloads themselves ('ketacare bench W1|W2 N') and as users run a population
# ('ketacare population ... --csv', and the README's table), W1 at N=1,000,000 on 1 and 2 threads, plus the
# start-up of a one-patient 'simulate'. Prints the whole table of docs/performance.md ("Measured"), with the
# machine's load average before and after, then the agreement checks.
#
# Usage: bash benchmarks/compare-with-peers.sh PEERS_DIR   (or PEERS_DIR=... in the environment)
# Environment: REPS (runs per configuration, default 5), SCALE=0 to leave out N=1,000,000.
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
REPS=${REPS:-5}
mkdir -p "$PEERS_WORK" "$LOGDIR"
rm -f "$RESULTS" "$PEERS_WORK/bench/results-start.tsv"

# The tool as users install it (README, "Install the ketacare command"), in folders of its own.
TOOL=$PEERS_WORK/ketacare-tool
rm -rf "$TOOL"
dotnet pack "$ROOT/src/KetaCare.Cli" -c Release -o "$TOOL/artifacts" --nologo -v quiet >/dev/null
NUGET_PACKAGES="$TOOL/nuget" dotnet tool install --tool-path "$TOOL/bin" --add-source "$TOOL/artifacts" KetaCare.Cli >/dev/null
KETACARE=$TOOL/bin/ketacare
g++ -O3 -march=native -std=c++17 -o "$PEERS_WORK/peer_c_exact" "$PEERS/peer_c_exact.cpp"

T="bash $PEERS/timeit.sh"
LOAD_BEFORE=$(uptime)
# Start-up: one patient, 24 h at 1 min (its own results file: it is not a workload of the summary).
RESULTS=$PEERS_WORK/bench/results-start.tsv $T ketacare_simulate start 1 "$REPS" "$KETACARE" simulate --model domino1984 --weight 70 --dose "0.5 mg/kg over 60 min"
for s in "W1 100000" "W2 10000"; do
  set -- $s
  $T ketacare_bench "$1" "$2" "$REPS" "$KETACARE" bench "$1" "$2"
  $T c_exact_radix "$1" "$2" "$REPS" "$PEERS_WORK/peer_c_exact" "$2" "$1" --pct radix
  $T c_exact "$1" "$2" 3 "$PEERS_WORK/peer_c_exact" "$2" "$1"
  $T py_numpy_expm "$1" "$2" 3 /usr/bin/python3 "$PEERS/peer_py_numpy_expm.py" "$2" "$1"
done
# As users run a population: N = 100,000 over 24 h at 1 min, every minute as CSV (W1's regimen, --iiv 30 %).
$T ketacare_population W1 100000 "$REPS" "$KETACARE" population --model domino1984 --n 100000 --iiv 30% --dose "0.5 mg/kg over 60 min" --csv
# The README's example: the same population as a table every 4 h.
$T ketacare_population_table W1 100000 "$REPS" "$KETACARE" population --model domino1984 --n 100000 --dose "0.5 mg/kg over 60 min" --until 24h --step 1min --iiv 30% --every 4h
if [ "${SCALE:-1}" = 1 ]; then
  $T ketacare_bench_2threads W1 1000000 3 "$KETACARE" bench W1 1000000 --threads 2
  $T ketacare_bench_1thread W1 1000000 3 "$KETACARE" bench W1 1000000 --threads 1
fi
echo
echo "load before: $LOAD_BEFORE"
echo "load after:  $(uptime)"
/usr/bin/python3 "$PEERS/summarise.py" "$RESULTS" "$LOGDIR"
# The start-up row (not a workload, so not in the peers' summary): median wall (min-max) and largest peak RSS.
/usr/bin/python3 - "$PEERS_WORK/bench/results-start.tsv" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
walls = [float(r[4]) for r in rows]
print("| ketacare_simulate | start-up (one patient, 24 h at 1 min) | 1 | %d | %.3f (%.3f-%.3f) | %.0f | | |"
      % (len(walls), statistics.median(walls), min(walls), max(walls), max(int(r[5]) for r in rows) / 1024))
PY
echo

# Agreement on the peers' shared population, percentiles at every minute.
AG=$PEERS_WORK/agree-ketacare; mkdir -p "$AG"
for s in "W1 100000" "W2 10000"; do
  set -- $s
  CSV=$PEERS_WORK/subjects_$2.csv
  # gen_subjects.py needs NumPy; without it only the own-population check runs.
  if [ -f "$CSV" ] || /usr/bin/python3 "$PEERS/gen_subjects.py" "$2" "$PEERS_WORK" >/dev/null; then
    "$PEERS_WORK/peer_c_exact" "$2" "$1" --csv "$CSV" --all --pct radix > "$AG/c_exact_radix_$1_$2.txt" 2>/dev/null
    "$KETACARE" bench "$1" "$2" --subjects "$CSV" --all > "$AG/ketacare_$1_$2.txt" 2>/dev/null
    echo "== $1, N=$2, shared population $CSV"
    /usr/bin/python3 "$PEERS/compare.py" "$AG/c_exact_radix_$1_$2.txt" "$AG/ketacare_$1_$2.txt"
  else
    echo "== $1, N=$2, shared population: skipped (gen_subjects.py could not run)"
  fi
  # Own population (same seed and draws as the C reference's): the two must agree as well.
  "$PEERS_WORK/peer_c_exact" "$2" "$1" --all --pct radix > "$AG/c_rng_$1_$2.txt" 2>/dev/null
  "$KETACARE" bench "$1" "$2" --all > "$AG/ketacare_rng_$1_$2.txt" 2>/dev/null
  echo "== $1, N=$2, each program's own population (seed 20240601)"
  /usr/bin/python3 "$PEERS/compare.py" "$AG/c_rng_$1_$2.txt" "$AG/ketacare_rng_$1_$2.txt"
done
