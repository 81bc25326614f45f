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

# shellcheck source=start-app.sh
source benchmarks/start-app.sh

load=(dotnet benchmarks/KetaCare.Load/bin/Release/net10.0/KetaCare.Load.dll "$BASE")
common=(--users "$USERS" --seconds "$SECONDS_PER_RUN" --max-requests "$MAX_REQUESTS")
"${load[@]}" / "${common[@]}"
"${load[@]}" "/Patients/{}" "${common[@]}" --resolve "/Patients?q=DEMO-0001" "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
"${load[@]}" "/api/v1/patients?search=DEMO" "${common[@]}"

# The chain still verifies after the load (every audited read is a link of it).
dotnet src/KetaCare.Cli/bin/Release/net10.0/ketacare.dll db verify-audit --database "$data/ketacare.db" 2>&1 | tail -2 || true
