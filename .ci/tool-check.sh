#!/usr/bin/env bash
# Checks that ketacare installs and runs as a .NET tool the way the README says (dotnet pack, then
# dotnet tool install from ./artifacts), but into temporary folders: the package, the tool and its NuGet
# cache entry are deleted afterwards, so nothing stays installed on the machine.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/ketacare-tool.XXXXXX")
trap 'rm -rf "$work"' EXIT
dotnet pack src/KetaCare.Cli -c Release -o "$work/artifacts" --nologo -v quiet >/dev/null
NUGET_PACKAGES="$work/nuget" dotnet tool install --tool-path "$work/tools" --add-source "$work/artifacts" KetaCare.Cli >/dev/null
"$work/tools/ketacare" models >"$work/models.txt"
grep -q '^domino1984 ' "$work/models.txt"
echo "ketacare installs as a .NET tool and runs: $(grep -c '^[a-z]' "$work/models.txt") lines from 'ketacare models'"

# The installed tool runs without ICU (invariant globalisation), unlike the test host: Turkish documents and
# reports from the tool itself, on a demo database, catch a culture that exists only where ICU is installed.
k="$work/tools/ketacare"
db="$work/demo.db"
"$k" db migrate --database "$db" >/dev/null
"$k" db seed --database "$db" >/dev/null
"$k" report leaflet --database "$db" --patient DEMO-0001 --lang tr --out "$work/leaflet.pdf" --by d3e30000-0000-0000-0000-000000000002 >/dev/null
"$k" stock report --database "$db" --name inventory --lang tr --out "$work/inventory.pdf" --by d3e30000-0000-0000-0000-000000000008 >/dev/null
"$k" analytics --database "$db" --lang tr --by d3e30000-0000-0000-0000-000000000002 >"$work/analytics.txt"
grep -q 'Klinik analizleri' "$work/analytics.txt"
pdftotext "$work/leaflet.pdf" "$work/leaflet.txt"
grep -qi 'ketamin' "$work/leaflet.txt"
echo "ketacare writes Turkish documents without ICU: leaflet, stock register, analytics"
