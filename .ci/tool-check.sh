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
