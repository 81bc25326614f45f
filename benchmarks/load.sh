#!/usr/bin/env bash
# Load figures of docs/performance.md (web): 50 concurrent signed-in users on the dashboard and on a patient chart,
# against the app on this machine with its demo data on a fresh SQLite file. Loopback only; each run is bounded by
# time (SECONDS_PER_RUN, default 20 s) and request count (MAX_REQUESTS, default 20,000).
#   bash benchmarks/load.sh                # builds, starts the app on 127.0.0.1:5199, loads, stops it
# Prints one line per page: requests, throughput and p50/p95/p99 latency.
set -euo pipefail
cd "$(dirname "$0")/.."
USERS=${USERS:-50}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
MAX_REQUESTS=${MAX_REQUESTS:-20000}
PORT=${PORT:-5199}
BASE="http://127.0.0.1:$PORT"

dotnet build src/KetaCare.Web -c Release --nologo -v quiet >/dev/null
dotnet build src/KetaCare.Cli -c Release --nologo -v quiet >/dev/null
dotnet build benchmarks/KetaCare.Load -c Release --nologo -v quiet >/dev/null

data=$(mktemp -d)
log="$data/app.log"
# Development: the demo data and sign-ins (nurse / ketacare-demo) on a SQLite file of its own.
ASPNETCORE_ENVIRONMENT=Development KETACARE_DATA="$data" Urls="$BASE" Logging__LogLevel__Default=Warning \
  dotnet src/KetaCare.Web/bin/Release/net10.0/KetaCare.Web.dll >"$log" 2>&1 &
app=$!
trap 'kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; rm -rf "$data"' EXIT

for _ in $(seq 1 60); do
  curl -fsS "$BASE/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "$BASE/health" >/dev/null || { echo "the app did not start:"; tail -20 "$log"; exit 1; }

load=(dotnet benchmarks/KetaCare.Load/bin/Release/net10.0/KetaCare.Load.dll "$BASE")
common=(--users "$USERS" --seconds "$SECONDS_PER_RUN" --max-requests "$MAX_REQUESTS")
"${load[@]}" / "${common[@]}"
"${load[@]}" "/Patients/{}" "${common[@]}" --resolve "/Patients?q=DEMO-0001" "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
"${load[@]}" "/api/v1/patients?search=DEMO" "${common[@]}"

# The chain still verifies after the load (every audited read is a link of it).
dotnet src/KetaCare.Cli/bin/Release/net10.0/ketacare.dll db verify-audit --database "$data/ketacare.db" 2>&1 | tail -2 || true
