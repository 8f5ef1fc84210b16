#!/usr/bin/env bash
# Where the time goes in one engine benchmark (see bench/README.md).
#
#   bench/profile.sh                        # per_kind/unicode
#   bench/profile.sh per_kind/typography    # any criterion benchmark id
#   SECS=8 bench/profile.sh all_kinds/10MB
#
# Runs the criterion benchmark binary in --profile-time mode under `perf record`
# (DWARF call graphs) when perf works here, else under `valgrind --tool=callgrind`
# (instruction counts, slower: keep SECS small). Prints the functions with the most
# self time, then the copydesk functions with the most inclusive time.
set -euo pipefail

cd "$(dirname "$0")/.."
BENCH=${1:-per_kind/unicode}
SECS=${SECS:-4}
OUT=${OUT:-bench/out}
mkdir -p "$OUT"

bin=$(cargo bench --bench engine --no-run --message-format=json 2>/dev/null |
    grep -o '"executable":"[^"]*/deps/engine-[^"]*"' | tail -n1 | cut -d'"' -f4)
if [ -z "$bin" ]; then
    echo "profile.sh: cannot build the benchmark binary (cargo bench --no-run)" >&2
    exit 2
fi
filter="^${BENCH}\$"
name=$(echo "$BENCH" | tr '/' '-')

if command -v perf >/dev/null && perf record -q -o /dev/null true >/dev/null 2>&1; then
    data="$OUT/perf-$name.data"
    perf record -q --call-graph dwarf,16384 -F 499 -o "$data" \
        "$bin" --bench "$filter" --profile-time "$SECS" >/dev/null 2>&1
    echo "== self time (perf, $BENCH)"
    perf report -i "$data" --no-children --percent-limit 1.5 --stdio -g none 2>/dev/null |
        grep -E '^ +[0-9]' | sed -E 's/ +[^ ]+ +[^ ]+ +\[\.\] / /' | cut -c1-160 | head -n 25
    echo "== inclusive time of copydesk functions"
    perf report -i "$data" --children --percent-limit 2 --stdio -g none 2>/dev/null |
        grep -E '^ +[0-9]' | grep -E 'copydesk::(rules|text|document|engine|fix)' |
        sed -E 's/ +[^ ]+ +[^ ]+ +\[\.\] / /' | cut -c1-160 | head -n 30
    echo "(perf data: $data)"
else
    data="$OUT/callgrind-$name.out"
    valgrind --tool=callgrind --callgrind-out-file="$data" \
        "$bin" --bench "$filter" --profile-time "$SECS" >/dev/null 2>&1
    echo "== self instructions (callgrind, $BENCH)"
    callgrind_annotate "$data" 2>/dev/null | grep -E '^ *[0-9,]+ ' | head -n 25
    echo "== inclusive instructions of copydesk functions"
    callgrind_annotate --inclusive=yes "$data" 2>/dev/null | grep -E '^ *[0-9,]+ ' |
        grep -E 'copydesk::(rules|text|document|engine|fix)' | head -n 30
    echo "(callgrind data: $data)"
fi
