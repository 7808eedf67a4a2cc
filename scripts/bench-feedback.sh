#!/usr/bin/env bash
# Measures what issue 5 promises for citizen feedback on SQLite: accepted
# submissions per second, sustained (durable: each is committed before its
# code is sent), from many simulated citizens each at its own address; and
# the time to serve a page of the cached public list of answers.
#
#   scripts/bench-feedback.sh [seconds] [concurrency]      (default 20 s, 16)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
conc=${2:-16}
tmp=$(mktemp -d)
go build -o "$tmp/cong" ./cmd/cong
go build -o "$tmp/load" ./scripts/feedbackload
port=$((20000 + RANDOM % 20000))
# The forms' proof of work is turned off: the load generator would spend
# the two cores solving it. Everything else (validation, duplicate
# detection, audit log, rate limits per address and per contact) is on.
"$tmp/cong" demo --data "$tmp/data" --addr "127.0.0.1:$port" --log error --trust-proxy 127.0.0.1 \
  --feedback-pow-bits 0 >"$tmp/out.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
until curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/out.log"; exit 1; }
  sleep 0.05
done
echo "== submissions: $conc citizens for $secs s (SQLite, WAL, synchronous=NORMAL)"
"$tmp/load" -url "http://127.0.0.1:$port" -d "${secs}s" -c "$conc"
echo "== cached public list of answers"
go test -run XXX -bench 'PublicList' -benchtime 2000x ./internal/server/ | grep -E 'Benchmark|ok'
