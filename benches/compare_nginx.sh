#!/usr/bin/env bash
# Compares `repere serve` (cached tiles) with nginx serving the same gzipped tiles from disk, on
# loopback, with one load tool, in one run.
#
# - the tiles: every non-empty z10-z14 tile of the Métropole's base composite (`all`, the
#   selection the page draws), taken gzipped from `repere serve` itself (the same bytes on both
#   sides) and written to a temporary folder as `all/{z}/{x}/{y}.mvt`;
# - nginx (Debian `nginx-light`, loopback only, access log off, `sendfile`, keep-alive without a
#   request limit) serves them with `add_header Content-Encoding gzip`;
# - `repere serve` (release) serves them from its tile cache at the versioned URL the TileJSON
#   hands out (the page's URL), after a warm-up pass that fills the cache in gzip;
# - wrk (Debian) with a Lua script cycling through the same list in the same order, with
#   `Accept-Encoding: gzip` as browsers send it; THREADS threads, CONNECTIONS connections,
#   DURATION per side, one side after the other;
# - prints req/s, p50 and p99 of both and the ratios repere / nginx.
#
# Goal (issue 28): repere ≥ 0.8× nginx's req/s with p99 ≤ 2× nginx's.
# Knobs: DURATION (default 15s), CONNECTIONS (16), THREADS (1), ROUNDS (1: nginx then repere;
# more rounds alternate), NGINX_WORKERS (default auto: one per core, as repere's runtime).
# This is a bench script (not run by the tests): it installs nginx-light and wrk with apt-get when
# they are missing and it runs as root.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/compare_nginx.XXXXXX")
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-1}
ROUNDS=${ROUNDS:-1}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
REPERE_PORT=${REPERE_PORT:-18090}
NGINX_PORT=${NGINX_PORT:-18091}
LAYERS=all

# --- tools -------------------------------------------------------------------------------------
missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
command -v wrk >/dev/null || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "missing: ${missing[*]} (apt-get install ${missing[*]})" >&2; exit 1
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
cargo build --release -p repere-server --bin repere
REPERE="$ROOT/target/release/repere"

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_up() { # url
  for _ in $(seq 1 300); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "server at $1 did not come up" >&2; return 1
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

start_repere() {
  "$REPERE" serve --addr "127.0.0.1:$REPERE_PORT" --tile-cache-mb 256 2>"$WORK/repere.log" &
  REPERE_PID=$!; PIDS+=("$REPERE_PID")
  wait_up "http://127.0.0.1:$REPERE_PORT/health"
}

# --- the tiles: every non-empty z10-z14 tile of the composite, gzipped by repere --------------
start_repere
curl -fs "http://127.0.0.1:$REPERE_PORT/tiles/$LAYERS.json" >"$WORK/tilejson.json"
python3 - "$WORK/tilejson.json" >"$WORK/candidates.txt" <<'PY'
import json, math, sys
doc = json.load(open(sys.argv[1]))
w, s, e, n = doc["bounds"]
def tile(lon, lat, z):
    k = 2 ** z
    x = int((lon + 180) / 360 * k)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * k)
    return min(max(x, 0), k - 1), min(max(y, 0), k - 1)
for z in range(10, 15):
    x0, y0 = tile(w, n, z)
    x1, y1 = tile(e, s, z)
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            print(f"{z}/{x}/{y}")
PY
# The versioned prefix the TileJSON hands out: `{version}/all/{z}/{x}/{y}.mvt`.
VERSION=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["tiles"][0].split("/")[0])' "$WORK/tilejson.json")
mkdir -p "$WORK/root"
chmod 755 "$WORK"  # nginx workers (user nobody) read the tiles
: >"$WORK/tiles.txt"
while read -r t; do
  f="$WORK/root/$LAYERS/$t.mvt"
  mkdir -p "$(dirname "$f")"
  code=$(curl -s -H 'Accept-Encoding: gzip' -o "$f" -w '%{http_code}' \
    "http://127.0.0.1:$REPERE_PORT/tiles/$VERSION/$LAYERS/$t.mvt")
  if [ "$code" = 200 ]; then echo "$t" >>"$WORK/tiles.txt"; else rm -f "$f"; fi
done <"$WORK/candidates.txt"
stop "$REPERE_PID"
# Every file must be gzip (magic bytes 1f 8b): the same bytes repere serves.
for f in $(find "$WORK/root" -name '*.mvt' | head -50); do
  [ "$(head -c2 "$f" | od -An -tx1 | tr -d ' ')" = 1f8b ] || { echo "$f is not gzip" >&2; exit 1; }
done
echo "tiles: $(wc -l <"$WORK/tiles.txt") non-empty of $(wc -l <"$WORK/candidates.txt") (z10-z14 over the Métropole, layers $LAYERS), $(du -sk "$WORK/root" | cut -f1) kB gzipped on disk"

sed "s|^|/tiles/$VERSION/$LAYERS/|; s|$|.mvt|" "$WORK/tiles.txt" >"$WORK/repere_paths.txt"
sed "s|^|/$LAYERS/|; s|$|.mvt|" "$WORK/tiles.txt" >"$WORK/nginx_paths.txt"
cat >"$WORK/paths.lua" <<'LUA'
local paths = {}
local i = 0
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Accept-Encoding"] = "gzip" })
end
LUA

# --- nginx -------------------------------------------------------------------------------------
mkdir -p "$WORK/nginx_tmp"
cat >"$WORK/nginx.conf" <<CONF
daemon off;
worker_processes $NGINX_WORKERS;
pid $WORK/nginx.pid;
error_log $WORK/nginx_error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_requests 10000000;
  keepalive_timeout 75s;
  client_body_temp_path $WORK/nginx_tmp/body;
  proxy_temp_path $WORK/nginx_tmp/proxy;
  fastcgi_temp_path $WORK/nginx_tmp/fastcgi;
  uwsgi_temp_path $WORK/nginx_tmp/uwsgi;
  scgi_temp_path $WORK/nginx_tmp/scgi;
  types { }
  default_type application/vnd.mapbox-vector-tile;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/root;
    location / {
      add_header Content-Encoding gzip;
      add_header Vary Accept-Encoding;
    }
  }
}
CONF
start_nginx() {
  "$NGINX" -c "$WORK/nginx.conf" -p "$WORK" &
  NGINX_PID=$!; PIDS+=("$NGINX_PID")
  wait_up "http://127.0.0.1:$NGINX_PORT/$(head -1 "$WORK/nginx_paths.txt" | sed 's|^/||')"
}

# Both must answer the same bytes for the same tile (a sample).
check_same_bytes() {
  local diff=0
  while read -r t; do
    a=$(curl -s -H 'Accept-Encoding: gzip' "http://127.0.0.1:$REPERE_PORT/tiles/$VERSION/$LAYERS/$t.mvt" | sha256sum)
    b=$(curl -s -H 'Accept-Encoding: gzip' "http://127.0.0.1:$NGINX_PORT/$LAYERS/$t.mvt" | sha256sum)
    [ "$a" = "$b" ] || diff=$((diff + 1))
  done < <(awk 'NR % 20 == 1' "$WORK/tiles.txt")
  echo "same bytes check on every 20th tile: $diff differences"
  [ "$diff" = 0 ]
}

# --- load --------------------------------------------------------------------------------------
run_wrk() { # base_url paths_file label
  # Warm-up: every tile of the list once in gzip (fills repere's compressed cache), then 2 s.
  sed "s|^|$1|" "$2" | xargs -P 4 -n 100 curl -s -H 'Accept-Encoding: gzip' >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s "$WORK/paths.lua" "$1" -- "$2" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/paths.lua" "$1" -- "$2" >"$WORK/$3.txt"
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$3.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/$3.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/$3.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/$3.txt")
  printf '%-10s %10s req/s   p50 %9s   p99 %9s   non-2xx %s\n' "$3" "$rps" "$p50" "$p99" "${non2xx:-0}"
  echo "$rps $p99" >"$WORK/$3.res"
}

ratios() { # repere_label nginx_label
  python3 - "$WORK/$1.res" "$WORK/$2.res" <<'PY'
import sys
def ms(v):
    for unit, f in (("us", 1e-3), ("ms", 1.0), ("s", 1e3)):
        if v.endswith(unit):
            return float(v[: -len(unit)]) * f
    raise SystemExit(f"unreadable latency {v}")
r = open(sys.argv[1]).read().split()
n = open(sys.argv[2]).read().split()
print(f"ratio repere/nginx: req/s {float(r[0]) / float(n[0]):.2f}×, p99 {ms(r[1]) / ms(n[1]):.2f}× "
      f"(goal ≥ 0.8× req/s, p99 ≤ 2×)")
PY
}

echo "wrk: $THREADS thread(s), $CONNECTIONS connections, $DURATION per side, on $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
start_repere
start_nginx
check_same_bytes
stop "$NGINX_PID"
stop "$REPERE_PID"
for round in $(seq 1 "$ROUNDS"); do
  start_nginx
  run_wrk "http://127.0.0.1:$NGINX_PORT" "$WORK/nginx_paths.txt" "nginx_$round"
  stop "$NGINX_PID"
  start_repere
  run_wrk "http://127.0.0.1:$REPERE_PORT" "$WORK/repere_paths.txt" "repere_$round"
  stop "$REPERE_PID"
  ratios "repere_$round" "nginx_$round"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
