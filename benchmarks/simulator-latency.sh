#!/usr/bin/env bash
# Simulator figures of docs/performance.md (web): how long one user waits for population bands.
#   bash benchmarks/simulator-latency.sh     # builds, starts the app on 127.0.0.1:5198, measures, stops it
# 1. A 2,000-patient band (answered in the page request): REQUESTS pages (default 40), each with its own seed so
#    that nothing is served from the kept results, and the chart each page links to; p50/p95 of the page, the
#    chart and both together.
# 2. A 100,000-patient band (a background run): from the page request to the status handler reporting it done,
#    RUNS times (default 3), each with its own seed.
# Loopback only; Development demo data on a fresh SQLite file; signs in as the demo nurse.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-5198}
REQUESTS=${REQUESTS:-40}
RUNS=${RUNS:-3}
BASE="http://127.0.0.1:$PORT"

dotnet build src/KetaCare.Web -c Release --nologo -v quiet >/dev/null
# shellcheck source=start-app.sh
source benchmarks/start-app.sh
jar="$data/cookies"

token=$(curl -fsS -c "$jar" -b "$jar" "$BASE/Account/SignIn" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
curl -fsS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "UserName=nurse" --data-urlencode "Password=ketacare-demo" \
  --data-urlencode "__RequestVerificationToken=$token" "$BASE/Account/SignIn"

query="model=domino1984&weight=70&age=40&hours=24&mode=regimen&doses%5B0%5D.unit=mg%2Fkg&doses%5B0%5D.over=60&doses%5B0%5D.at=0&doses%5B0%5D.amount=0.5&pop=true&weightsd=10&iiv=30&band=90"
time_of() { curl -fsS -o /dev/null -b "$jar" -w '%{time_total}' "$1"; }
percentiles() { sort -n | awk '{ v[NR] = $1 } END { p50 = v[int((NR + 1) * 0.5)]; p95 = v[int(NR * 0.95 + 0.999)]; printf "p50 %.0f ms, p95 %.0f ms (%d requests)\n", p50 * 1000, p95 * 1000, NR }'; }

# Warm-up: the first requests compile the page and the engine.
for s in 1 2 3; do time_of "$BASE/Simulator?$query&n=2000&seed=$s" >/dev/null; done
pages=(); charts=(); both=()
for i in $(seq 1 "$REQUESTS"); do
  q="$query&n=2000&seed=$((1000 + i))"
  p=$(time_of "$BASE/Simulator?$q")
  c=$(time_of "$BASE/Simulator?handler=Chart&kind=population&$q")
  pages+=("$p"); charts+=("$c"); both+=("$(echo "$p + $c" | bc -l)")
done
echo "2,000 patients, page:          $(printf '%s\n' "${pages[@]}" | percentiles)"
echo "2,000 patients, chart:         $(printf '%s\n' "${charts[@]}" | percentiles)"
echo "2,000 patients, page + chart:  $(printf '%s\n' "${both[@]}" | percentiles)"

for r in $(seq 1 "$RUNS"); do
  q="$query&n=100000&seed=$((5000 + r))"
  t0=$(date +%s%N)
  curl -fsS -o /dev/null -b "$jar" "$BASE/Simulator?$q"
  until curl -fsS -b "$jar" "$BASE/Simulator?handler=Population&$q" | grep -q '"state":"done"'; do sleep 0.05; done
  t1=$(date +%s%N)
  echo "100,000 patients, run $r: page to done $(( (t1 - t0) / 1000000 )) ms"
done
