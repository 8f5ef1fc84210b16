#!/usr/bin/env bash
# Load figures for `copydesk serve` on loopback (see bench/README.md, "Service load").
#
#   bench/serve.sh                          # the three modes, 8 clients, 60 s each
#   MODE=distinct bench/serve.sh            # different real-size articles, no block cache
#   MODE=session bench/serve.sh             # editing sessions: one paragraph changed a request
#   MODE=incremental bench/serve.sh         # the same edits, sent as edits (the web editor's protocol)
#   SECONDS_=20 CLIENTS=4 bench/serve.sh    # shorter, fewer clients
#   REQUESTS=10000 bench/serve.sh           # a fixed number of requests (memory check)
#   CORPUS=path/to/txt/folder bench/serve.sh  # real articles (three metadata lines, one paragraph a line)
#   SHARE_FIXES=0 bench/serve.sh            # session mode without "share_fixes" (the whole CLI document)
#   STEADY=1 bench/serve.sh                 # edits alternate typing and deleting: articles keep their size
#   BIN=old/copydesk bench/serve.sh         # another build of the service (e.g. main's), same load client
#
# `session` and `incremental` ask for "share_fixes": true, as the web editor does; `distinct` and
# `same` for `check --format json`'s document, as a CMS calling the API would.
set -euo pipefail
cd "$(dirname "$0")/.."

CLIENTS=${CLIENTS:-8}
SECONDS_=${SECONDS_:-60}
REQUESTS=${REQUESTS:-}
WORDS=${WORDS:-5000}
MODES=${MODE:-distinct session incremental}

cargo build --release --quiet --bin copydesk --example serve_load
# The binaries are where cargo put them (CARGO_TARGET_DIR when set); BIN runs another
# build of the service against the same load client (an older binary, to compare).
target=${CARGO_TARGET_DIR:-target}
BIN=${BIN:-$target/release/copydesk}
extra=()
[ -n "$REQUESTS" ] && extra+=(--requests "$REQUESTS")
[ -n "${CORPUS:-}" ] && extra+=(--corpus "$CORPUS")
status=0
for mode in $MODES; do
  # A fresh server per mode, so neither run warms the other.
  log=$(mktemp)
  "$BIN" serve --no-config --listen 127.0.0.1:0 --reload-interval-ms 0 2>"$log" &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"' EXIT
  for _ in $(seq 1 100); do
    grep -q 'http://' "$log" && break
    sleep 0.1
  done
  url=$(grep -o 'http://[0-9.:]*' "$log" | head -1)
  [ -n "$url" ] || { cat "$log"; exit 1; }
  share=()
  [ "$mode" != distinct ] && [ "$mode" != same ] && [ "${SHARE_FIXES:-1}" != 0 ] && share=(--share-fixes)
  [ "${STEADY:-0}" = 1 ] && share+=(--steady)
  echo "== $mode   cores: $(nproc)  server: $url (pid $pid)"
  "$target/release/examples/serve_load" --url "$url" --pid "$pid" --clients "$CLIENTS" \
    --seconds "$SECONDS_" --words "$WORDS" --mode "$mode" "${extra[@]}" "${share[@]}" || status=1
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$log"
  trap - EXIT
done
exit $status
