#!/usr/bin/env bash
# Mutation testing of the safety rules with Stryker.NET: installs dotnet-stryker (a NuGet .NET tool) when missing,
# mutates the safety-rule files of KetaCare.Clinic (tools/mutation/stryker-clinic.json) against the Clinic tests, and
# prints one line per file: killed + timeout over all valid mutants, the score the rules must keep at 85 % or more.
# Release build, the tests under the invariant culture (KETACARE_TEST_CULTURE unset), per-test coverage, the Microsoft Testing Platform runner (xunit.v3).
# Usage: tools/mutation.sh [units] [FILE-GLOB...]   e.g. tools/mutation.sh "**/Sessions/VitalGate.cs"
#   units as the first argument mutates the unit parsing of KetaCare.Pharmacology (tools/mutation/stryker-units.json,
#   QuantityParser.cs and DoseExpression.cs) against their own tests (tests/KetaCare.Units.Tests) instead.
#   STRYKER_CONCURRENCY=N runs N test runners at once (default: Stryker's own choice, about half the cores);
#   STRYKER_CONCURRENCY=1 leaves the other cores free.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_UI_LANGUAGE=en
export PATH="$PATH:$HOME/.dotnet/tools"
if ! command -v dotnet-stryker >/dev/null 2>&1; then
  dotnet tool install --global dotnet-stryker --version 5.1.0 >/dev/null
fi

project=KetaCare.Clinic
config="$PWD/tools/mutation/stryker-clinic.json"
if [ "${1:-}" = units ]; then
  shift
  project=KetaCare.Pharmacology
  config="$PWD/tools/mutation/stryker-units.json"
fi
output="$PWD/artifacts/mutation"
mkdir -p "$output"
args=(--config-file "$config" --output "$output")
if [ -n "${STRYKER_CONCURRENCY:-}" ]; then
  args+=(--concurrency "$STRYKER_CONCURRENCY")
fi
for glob in "$@"; do
  args+=(--mutate "$glob")
done

start=$(date +%s)
(cd "src/$project" && env -u KETACARE_TEST_CULTURE dotnet-stryker "${args[@]}")
report=$(find "$output" -name 'mutation-report.json' -newermt "@$start" | head -n 1)
if [ -z "$report" ]; then
  echo "no mutation report was written" >&2
  exit 1
fi

python3 - "$report" "$project" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
print(f"{'file':<48} {'killed':>7} {'survived':>9} {'no cover':>9} {'score':>7}")
low = 0
for path, f in sorted(report["files"].items()):
    states = [m["status"] for m in f["mutants"]]
    killed = sum(s in ("Killed", "Timeout") for s in states)
    survived = states.count("Survived")
    uncovered = states.count("NoCoverage")
    valid = killed + survived + uncovered
    if valid == 0:
        continue
    score = 100.0 * killed / valid if valid else 100.0
    low += score < 85
    name = path.split(sys.argv[2] + "/")[-1]
    print(f"{name:<48} {killed:>7} {survived:>9} {uncovered:>9} {score:>6.1f}%")
print(f"{low} file(s) below 85 %")
PY
echo "mutation testing took $(( $(date +%s) - start )) s; HTML and JSON reports under $output"
