#!/usr/bin/env bash
# Measures the publishing targets with the real binary on the demo:
#   - a cached article page with wrk -t2 -c64 (target ≥ 20,000 req/s), and
#     nginx serving the same saved bytes in the same run, as the ceiling;
#   - the Go benchmarks for a cache-miss article render (median ≤ 2 ms) and
#     for a publication becoming visible on the article, its lists and feeds
#     (≤ 1 s).
#
#   scripts/bench-publishing.sh [seconds]      (default 10 s per wrk run)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)"; exit 1; }
work=$(mktemp -d)
trap 'kill "${pid:-}" "${npid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
go build -o "$work/cong" ./cmd/cong
port=$((20000 + RANDOM % 20000))
"$work/cong" demo --data "$work/data" --addr "127.0.0.1:$port" --log error >"$work/out.log" 2>&1 &
pid=$!
until curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/out.log"; exit 1; }
  sleep 0.05
done
host="hanoi.localhost"
path=$(curl -fsS -H "Host: $host" "http://127.0.0.1:$port/tin-tuc" | grep -o 'href="/tin-tuc/[a-z0-9-]*"' | head -1 | cut -d'"' -f2)
url="http://127.0.0.1:$port$path"
curl -fsS -H "Host: $host" -o "$work/page.html" "$url"                  # renders and caches
curl -fsS -H "Host: $host" -D "$work/headers" -o "$work/page.html" "$url"
grep -qi '^x-cache: hit' "$work/headers" || { echo "not served from the cache"; cat "$work/headers"; exit 1; }
size=$(wc -c <"$work/page.html")
echo "article: $path ($size bytes)"

echo "== cong, cached article page: wrk -t2 -c64 -d${secs}s"
wrk -t2 -c64 -d"${secs}s" -H "Host: $host" "$url" | tee "$work/cong.txt"

# nginx serving the same bytes, with sendfile: the ceiling on this machine.
nport=$((port + 1))
mkdir -p "$work/www" "$work/nginx"
cp "$work/page.html" "$work/www/page.html"
chmod 755 "$work" "$work/www"; chmod 644 "$work/www/page.html"   # nginx workers run as nobody
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen 127.0.0.1:$nport;
    location / { root $work/www; default_type text/html; }
  }
}
CONF
/usr/sbin/nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' &
npid=$!
sleep 0.5
echo "== nginx, the same bytes: wrk -t2 -c64 -d${secs}s"
wrk -t2 -c64 -d"${secs}s" "http://127.0.0.1:$nport/page.html" | tee "$work/nginx.txt"
kill "$npid"; wait "$npid" 2>/dev/null || true; npid=
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

echo "== Go benchmarks: cache-miss render, publication to visibility"
go test -run XXX -bench 'ArticleRender|PublishVisible' -benchtime 200x ./internal/news/ | grep -E '^Benchmark|ok'

printf '\ncong  %s req/s\nnginx %s req/s\n' "$(awk '/Requests\/sec/ {print $2}' "$work/cong.txt")" "$(awk '/Requests\/sec/ {print $2}' "$work/nginx.txt")"
