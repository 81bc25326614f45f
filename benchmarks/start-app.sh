# Sourced by the web benchmarks: starts the built web app on $BASE (Development: the demo data and sign-ins,
# nurse / ketacare-demo, on a SQLite file of its own in a temporary folder $data), stops it and deletes the folder
# when the calling script exits, and waits until it answers /health. Without the demo clinic's synthetic cohort
# (written in the background after a Development start), so that its writing does not share the measured minutes;
# DEMO_COHORT=N asks for it.
data=$(mktemp -d)
log="$data/app.log"
ASPNETCORE_ENVIRONMENT=Development KETACARE_DATA="$data" Urls="$BASE" Logging__LogLevel__Default=Warning KetaCare__DemoCohort="${DEMO_COHORT:-0}" \
  dotnet src/KetaCare.Web/bin/Release/net10.0/KetaCare.Web.dll >"$log" 2>&1 &
app=$!
trap 'kill "$app" 2>/dev/null || true; wait "$app" 2>/dev/null || true; rm -rf "$data"' EXIT

for _ in $(seq 1 60); do
  curl -fsS "$BASE/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "$BASE/health" >/dev/null || { echo "the app did not start:"; tail -20 "$log"; exit 1; }
