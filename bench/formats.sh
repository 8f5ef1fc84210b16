#!/usr/bin/env bash
# Speed of HTML and Word input: a 1 MB HTML page and a 50-page .docx, checked by the
# release binary with the built-in pack (median of 5 runs, wall clock).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
# The generator runs in the dev profile: a release build would compile every dev-dependency.
cargo run --quiet --example formats_gen -- target/bench-formats
bin=target/release/copydesk
for f in target/bench-formats/page-1MB.html target/bench-formats/report-50-pages.docx; do
  times=()
  for _ in 1 2 3 4 5; do
    s=$(date +%s%N)
    "$bin" check --no-config -q "$f" >/dev/null || true
    e=$(date +%s%N)
    times+=($(( (e - s) / 1000000 )))
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
  findings=$("$bin" check --no-config --format json "$f" | grep -o '"rule"' | wc -l || true)
  echo "$f: median $(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p) ms (runs: $sorted), $findings findings"
done
