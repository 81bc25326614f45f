#!/usr/bin/env bash
# Builds KetaCare and runs every test project three times: under the invariant culture and under two
# comma-decimal cultures (tr-TR, de-DE), so that no locale can turn "0.5" into 5 unnoticed.
# Checks the packages for known high or critical vulnerabilities first (.ci/vulnerable-packages.sh; counted as one
# failure). Ends with one plain summary line: "tests: N passed, N failed, N skipped".
# KETACARE_REQUIRE_ALL=1 (set by CI) turns any skipped test into a failure.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_CLI_UI_LANGUAGE=en

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

if ! dotnet build KetaCare.slnx -c Release -warnaserror --nologo -v quiet; then
  echo "build failed"
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

status=0
# Known high or critical vulnerabilities in any package (NuGet advisories) fail the run; no registry, no verdict.
vulnerable=0
bash .ci/vulnerable-packages.sh || vulnerable=1

for culture in invariant tr-TR de-DE; do
  for project in tests/*/*.Tests.csproj; do
    name=$(basename "$project" .csproj)
    logger="trx;LogFileName=$culture-$name.trx"
    if [ "$culture" = invariant ]; then
      env -u KETACARE_TEST_CULTURE dotnet test "$project" -c Release --no-build --nologo \
        --logger "$logger" --results-directory "$results" || status=1
    else
      # Browser tests run once: the server takes each request's culture from the user, not from the process,
      # and the browser tests include their own Turkish-locale run. The kill -9 durability tests run once too:
      # they are about the process, not the locale.
      filter=()
      [ "$name" = KetaCare.Web.Tests ] && filter=(--filter "Kind!=Browser&Kind!=Durability")
      LANG="${culture/-/_}.UTF-8" KETACARE_TEST_CULTURE="$culture" dotnet test "$project" -c Release --no-build --nologo \
        "${filter[@]}" --logger "$logger" --results-directory "$results" || status=1
    fi
  done
done

# Sum the TRX counters of every run.
read -r passed failed skipped files < <(
  find "$results" -name '*.trx' -print0 | xargs -0 -r grep -ho '<Counters [^>]*>' |
  awk '{
      for (i = 1; i <= NF; i++) {
        split($i, kv, "="); gsub(/"|\/|>/, "", kv[2]);
        c[kv[1]] = kv[2] + 0
      }
      p += c["passed"]; f += c["failed"] + c["error"] + c["timeout"] + c["aborted"];
      s += c["total"] - c["passed"] - c["failed"] - c["error"] - c["timeout"] - c["aborted"]; n++
    } END { printf "%d %d %d %d\n", p, f, s, n }')

if [ "${files:-0}" -eq 0 ]; then
  echo "no test results were written"
  failed=$((failed + 1))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A test host crashed or a project failed before writing its counters.
  failed=1
fi
if [ "$vulnerable" -ne 0 ]; then
  failed=$((failed + 1))
fi
if [ "${KETACARE_REQUIRE_ALL:-0}" = 1 ] && [ "$skipped" -gt 0 ]; then
  echo "KETACARE_REQUIRE_ALL=1: $skipped skipped test(s) count as failures"
  failed=$((failed + skipped))
fi

echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
