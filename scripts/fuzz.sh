#!/usr/bin/env bash
# fuzz: run every Fuzz target of every package for FUZZTIME each (go test
# -fuzz accepts one target at a time, so targets are discovered with
# `go test -list '^Fuzz'` package by package).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT_DIR"

fuzztime="${FUZZTIME:-30s}"
start="$(now_ns)"
runs=0

while IFS= read -r pkg; do
	# -list prints matching names, then "ok <pkg> <time>".
	targets="$(go test -count=1 -run '^$' -list '^Fuzz' "$pkg" | grep -E '^Fuzz' || true)"
	for target in $targets; do
		banner "fuzz: ${pkg} ${target} (${fuzztime})"
		go test -count=1 -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"
		runs=$((runs + 1))
	done
done < <(go list ./...)

if [[ $runs -eq 0 ]]; then
	echo "fuzz: no Fuzz targets found"
fi
echo "fuzz: ok (${runs} targets, ${fuzztime} each) wall=$(elapsed "$start")s"
