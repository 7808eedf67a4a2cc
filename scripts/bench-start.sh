#!/usr/bin/env bash
# Measures what the foundation promises for `cong demo`: the first start
# (building ~150 sites) under 3 s, a restart on existing data under 0.5 s,
# and the resident memory after start under 60 MB. Time is measured from
# launching the process to the first 200 from /healthz.
#
#   scripts/bench-start.sh [--db postgres://…]   (default: SQLite in a temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/cong
go build -o "$bin" ./cmd/cong
port=$((20000 + RANDOM % 20000))
dir=$(mktemp -d)
store=(--data "$dir")
if [[ "${1:-}" == "--db" ]]; then store=(--db "$2"); fi

ms() { date +%s%3N; }

start() {
  local t0 t1
  t0=$(ms)
  "$bin" demo "${store[@]}" --addr "127.0.0.1:$port" --log error >"$dir/out.log" 2>&1 &
  pid=$!
  until curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$dir/out.log"; exit 1; }
    sleep 0.005
  done
  t1=$(ms)
  took=$((t1 - t0))
}

rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

start; first=$took
sleep 0.5
rss_first=$(rss "$pid")
kill "$pid"; wait "$pid" 2>/dev/null || true

start; second=$took
sleep 0.5
rss_second=$(rss "$pid")
# A little traffic, then memory again.
for p in / /don-vi/ /lien-he /en/ /api/v1/sites; do curl -fsS -o /dev/null -H "Host: hanoi.localhost" "http://127.0.0.1:$port$p"; done
rss_after=$(rss "$pid")
kill "$pid"; wait "$pid" 2>/dev/null || true

echo "first start (build demo): ${first} ms   RSS ${rss_first} MB"
echo "restart (existing data):  ${second} ms   RSS ${rss_second} MB (${rss_after} MB after a few pages)"
rm -rf "$dir" "$(dirname "$bin")"
