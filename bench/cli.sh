#!/usr/bin/env bash
# End-to-end figures for `copydesk check` on a generated corpus (see bench/README.md).
#
#   bench/cli.sh                 # everything, default sizes
#   RUNS=3 bench/cli.sh          # fewer runs per measurement
#   OUT=/tmp/corpus bench/cli.sh # corpus somewhere else
#
# Prints one line per measurement and writes the same lines to $OUT/results.txt.
# Uses hyperfine when it is installed (apt-get install -y hyperfine), a `date +%s%N`
# loop otherwise, and /usr/bin/time -v for peak memory (apt-get install -y time).
set -euo pipefail

cd "$(dirname "$0")/.."
OUT=${OUT:-bench/out}
RUNS=${RUNS:-5}
FILES=${FILES:-10000}
FILE_SIZE=${FILE_SIZE:-5000}
BIG_SIZE=${BIG_SIZE:-10000000}
TERMS=${TERMS:-1000}
CORES=$(nproc 2>/dev/null || echo 1)

cargo build --release --quiet
cargo run --release --quiet --example gen_corpus -- --out "$OUT" \
    --files "$FILES" --file-size "$FILE_SIZE" --big-size "$BIG_SIZE" --terms "$TERMS"

BIN=target/release/copydesk
# The built-in default pack plus the generated term list; no config file from the tree.
PACKS=(--no-config --pack vi-news --pack "$OUT/terms" --pack "$OUT/kinds")
# `--pack` adds to the default pack; a config file replaces it: the term list alone.
printf 'packs = ["./terms"]\n' >"$OUT/terms-only.toml"
TERMS_ONLY=(--config "$OUT/terms-only.toml")
SMALL_BYTES=$(du -sb --apparent-size "$OUT/small" | cut -f1)
BIG_BYTES=$(stat -c %s "$OUT/big/big.md")
BIG_MB=$(awk -v b="$BIG_BYTES" 'BEGIN { printf "%g", b / 1e6 }')
RESULTS="$OUT/results.txt"
: >"$RESULTS"

say() {
    echo "$*" | tee -a "$RESULTS"
}

# mean_seconds CMD...: mean wall time of RUNS runs (after one warm-up run), in seconds.
# `copydesk check` exits 1 when it finds something: that is not a failure here.
mean_seconds() {
    if command -v hyperfine >/dev/null; then
        local json
        json=$(mktemp)
        hyperfine --shell=none --ignore-failure --warmup 1 --runs "$RUNS" --style none \
            --export-json "$json" "$(printf '%q ' "$@")" >/dev/null 2>&1
        # The first "mean" in the export is the command's mean wall time.
        grep -o '"mean": *[0-9.e+-]*' "$json" | head -n1 | sed 's/.*: *//'
        rm -f "$json"
    else
        "$@" >/dev/null 2>&1 || true
        local total=0 start end
        for _ in $(seq "$RUNS"); do
            start=$(date +%s%N)
            "$@" >/dev/null 2>&1 || true
            end=$(date +%s%N)
            total=$((total + end - start))
        done
        awk -v ns="$total" -v n="$RUNS" 'BEGIN { printf "%.6f\n", ns / n / 1e9 }'
    fi
}

# throughput LABEL BYTES THREADS CMD...
throughput() {
    local label=$1 bytes=$2 threads=$3
    shift 3
    local secs
    secs=$(mean_seconds "$@")
    awk -v l="$label" -v b="$bytes" -v s="$secs" -v t="$threads" 'BEGIN {
        mbs = b / s / 1e6
        printf "%-44s %8.3f s  %8.1f MB/s  %8.1f MB/s per core\n", l, s, mbs, mbs / t
    }' | tee -a "$RESULTS"
}

# peak_memory LABEL CMD...
peak_memory() {
    local label=$1
    shift
    if [ -x /usr/bin/time ]; then
        local log kb
        log=$(mktemp)
        /usr/bin/time -v -o "$log" "$@" >/dev/null 2>&1 || true
        kb=$(awk -F: '/Maximum resident/ { gsub(/ /, "", $2); print $2 }' "$log")
        rm -f "$log"
        awk -v l="$label" -v k="$kb" 'BEGIN { printf "%-44s %8.1f MB peak RSS\n", l, k / 1024 }' | tee -a "$RESULTS"
    else
        say "$label: /usr/bin/time missing (apt-get install -y time)"
    fi
}

say "copydesk $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $CORES cores, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
say "corpus: $FILES x ${FILE_SIZE} B ($SMALL_BYTES B), big file $BIG_BYTES B, $TERMS generated terms + vi-news + existence/pattern rules"

# Counting per rule (`--statistics`) measures checking; the human report adds printing.
throughput "check $FILES files, -j 1" "$SMALL_BYTES" 1 \
    "$BIN" check "${PACKS[@]}" -j 1 --statistics "$OUT/small"
throughput "check $FILES files, -j $CORES" "$SMALL_BYTES" "$CORES" \
    "$BIN" check "${PACKS[@]}" --statistics "$OUT/small"
throughput "check $FILES files, -j $CORES, human output" "$SMALL_BYTES" "$CORES" \
    "$BIN" check "${PACKS[@]}" --color never "$OUT/small"
throughput "check one $BIG_MB MB file" "$BIG_BYTES" 1 \
    "$BIN" check "${PACKS[@]}" --statistics "$OUT/big/big.md"
throughput "check one $BIG_MB MB file, $TERMS terms only" "$BIG_BYTES" 1 \
    "$BIN" check "${TERMS_ONLY[@]}" --statistics "$OUT/big/big.md"

startup=$(mean_seconds "$BIN" check --no-config "$OUT/empty/empty.md")
awk -v s="$startup" 'BEGIN { printf "%-44s %8.1f ms (target < 20 ms)\n", "start-up: check an empty file, default pack", s * 1000 }' |
    tee -a "$RESULTS"

peak_memory "peak memory: one $BIG_MB MB file" "$BIN" check "${PACKS[@]}" --statistics "$OUT/big/big.md"
peak_memory "peak memory: $FILES files" "$BIN" check "${PACKS[@]}" --statistics "$OUT/small"

echo "written to $RESULTS"
