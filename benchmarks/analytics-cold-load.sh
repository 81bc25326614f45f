#!/usr/bin/env bash
# Figures of docs/analytics.md: writing the demo clinic's synthetic cohort (COHORT patients, default 300) with
# `ketacare db seed --cohort`, then the first and later loads of /Analytics by a freshly started app (nothing in
# memory), once with the sessions' stored exposures and once with them deleted, as before they were stored (every
# session simulated on the first load). Needs the sqlite3 command for the deletion.
#   bash benchmarks/analytics-cold-load.sh    # builds, prints the seconds of each step
set -euo pipefail
cd "$(dirname "$0")/.."
COHORT=${COHORT:-300}
PORT=${PORT:-5198}
BASE="http://127.0.0.1:$PORT"

dotnet build src/KetaCare.Web -c Release --nologo -v quiet >/dev/null
dotnet build src/KetaCare.Cli -c Release --nologo -v quiet >/dev/null
data=$(mktemp -d)
app=
trap '[ -n "$app" ] && kill "$app" 2>/dev/null; rm -rf "$data"' EXIT
cli=(dotnet src/KetaCare.Cli/bin/Release/net10.0/ketacare.dll db --database "$data/ketacare.db")
"${cli[@]}" migrate >/dev/null
"${cli[@]}" seed --cohort "$COHORT" | tail -1

# Starts the app on the database, signs in as the physician and times three loads of the page.
loads() {
  ASPNETCORE_ENVIRONMENT=Development KETACARE_DATA="$data" Urls="$BASE" Logging__LogLevel__Default=Warning KetaCare__DemoCohort=0 \
    dotnet src/KetaCare.Web/bin/Release/net10.0/KetaCare.Web.dll >"$data/app.log" 2>&1 &
  app=$!
  for _ in $(seq 1 60); do curl -fsS "$BASE/health" >/dev/null 2>&1 && break; sleep 1; done
  local jar="$data/cookies" token
  token=$(curl -fsS -c "$jar" "$BASE/Account/SignIn" | grep -o 'name="__RequestVerificationToken" type="hidden" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
  curl -fsS -b "$jar" -c "$jar" -o /dev/null --data-urlencode "UserName=physician" --data-urlencode "Password=ketacare-demo" --data-urlencode "__RequestVerificationToken=$token" "$BASE/Account/SignIn"
  for i in 1 2 3; do
    curl -fsS -b "$jar" -o /dev/null -w "$1: load $i of /Analytics %{time_total} s\n" "$BASE/Analytics"
  done
  kill "$app"; wait "$app" 2>/dev/null || true; app=
}

loads "stored exposures"
sqlite3 "$data/ketacare.db" "DELETE FROM session_exposures;"
loads "exposures deleted"
