#!/usr/bin/env bash
# Compares `repere serve` with martin serving the same layers, on loopback, with one load tool.
#
# - martin (crates.io, installed once into target/tools) serves the GeoJSON files that
#   `repere tiles geojson` writes (same features, same properties);
# - both serve the composite of every layer (`communes,qpv,actors,stops,iris`);
# - the same fixed list of every z10-z14 tile over the Métropole is requested, in the same
#   order, by wrk (Debian) with a Lua script cycling through it;
# - run 1: tile caches off on both (`--tile-cache-mb 0`, martin `--cache-size 0`);
#   run 2: caches on on both (after a warm-up pass);
# - prints req/s, p50 and p99 for both and the ratios repere / martin.
#
# Goal (issue 4): repere ≥ 2× martin's req/s in both runs, p99 ≤ 5 ms uncached.
# Knobs: LAYERS (default every layer, composite), DURATION (default 15s), CONNECTIONS (default 16), THREADS (wrk, default 1),
# MARTIN_VERSION (default 1.14.0: the newest that builds with rustc 1.95).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TOOLS="$ROOT/target/tools"
WORK="$ROOT/target/compare_martin"
DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-1}
MARTIN_VERSION=${MARTIN_VERSION:-1.14.0}
REPERE_PORT=${REPERE_PORT:-18080}
MARTIN_PORT=${MARTIN_PORT:-18081}
LAYERS=${LAYERS:-communes,qpv,actors,stops,iris}

# --- tools -------------------------------------------------------------------------------------
if [ ! -x "$TOOLS/bin/martin" ]; then
  echo "installing martin $MARTIN_VERSION from crates.io into $TOOLS (several minutes)…"
  # Only the GeoJSON source: the default features add PostGIS, MBTiles, the web UI (built with
  # npm at build time), rendering… none of which this comparison uses.
  CARGO_TARGET_DIR="$TOOLS/martin-build" cargo install martin --version "$MARTIN_VERSION" --locked \
    --no-default-features --features geojson --root "$TOOLS"
fi
if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y wrk >/dev/null; else echo "wrk missing: apt-get install wrk" >&2; exit 1; fi
fi
cargo build --release -p repere-server --bin repere
REPERE="$ROOT/target/release/repere"

# --- data: the same layers as GeoJSON files for martin ----------------------------------------
rm -rf "$WORK"
mkdir -p "$WORK"
"$REPERE" tiles geojson --out-dir "$WORK/geojson" --layers "$LAYERS" >/dev/null

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

wait_up() { # url
  for _ in $(seq 1 150); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "server at $1 did not come up" >&2; return 1
}

start_repere() { # cache_mb
  "$REPERE" serve --addr "127.0.0.1:$REPERE_PORT" --tile-cache-mb "$1" 2>"$WORK/repere.log" &
  REPERE_PID=$!; PIDS+=("$REPERE_PID")
  wait_up "http://127.0.0.1:$REPERE_PORT/health"
}
start_martin() { # cache_mb
  "$TOOLS/bin/martin" --listen-addresses "127.0.0.1:$MARTIN_PORT" --cache-size "$1" "$WORK/geojson" >"$WORK/martin.log" 2>&1 &
  MARTIN_PID=$!; PIDS+=("$MARTIN_PID")
  wait_up "http://127.0.0.1:$MARTIN_PORT/catalog"
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# --- the fixed tile list: every z10-z14 tile over the Métropole's bounds ----------------------
start_repere 0
curl -fs "http://127.0.0.1:$REPERE_PORT/tiles/$LAYERS.json" >"$WORK/tilejson.json"
stop "$REPERE_PID"
python3 - "$WORK/tilejson.json" >"$WORK/tiles.txt" <<'PY'
import json, math, sys
w, s, e, n = json.load(open(sys.argv[1]))["bounds"]
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
sed "s|^|/tiles/$LAYERS/|; s|$|.mvt|" "$WORK/tiles.txt" >"$WORK/repere_paths.txt"
sed "s|^|/$LAYERS/|" "$WORK/tiles.txt" >"$WORK/martin_paths.txt"
cat >"$WORK/paths.lua" <<'LUA'
local paths = {}
local i = 0
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
echo "tiles: $(wc -l <"$WORK/tiles.txt") (z10-z14 over the Métropole), layers $LAYERS"

# Both must serve the same tiles: compare which tiles are non-empty on a sample.
check_same_coverage() {
  local diff=0
  while read -r t; do
    a=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$REPERE_PORT/tiles/$LAYERS/$t.mvt")
    b=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$MARTIN_PORT/$LAYERS/$t")
    [ "$a" = "$b" ] || diff=$((diff + 1))
  done < <(awk 'NR % 25 == 1' "$WORK/tiles.txt")
  echo "coverage check on every 25th tile: $diff status differences (200 vs 204)"
}

# --- load ------------------------------------------------------------------------------------
run_wrk() { # base_url paths_file label
  # Warm-up: every tile of the list once (fills the caches when they are on), then 2 s of load.
  sed "s|^|$1|" "$2" | xargs -P 4 -n 100 curl -s >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d2s -s "$WORK/paths.lua" "$1" -- "$2" >/dev/null
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/paths.lua" "$1" -- "$2" >"$WORK/$3.txt"
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$3.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/$3.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/$3.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$WORK/$3.txt")
  printf '%-22s %10s req/s   p50 %9s   p99 %9s   non-2xx %s\n' "$3" "$rps" "$p50" "$p99" "${non2xx:-0}"
  echo "$rps" >"$WORK/$3.rps"
}

ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$(cat "$WORK/$1.rps")" "$(cat "$WORK/$2.rps")"; }

echo "wrk: $THREADS thread(s), $CONNECTIONS connections, $DURATION per run, on $(nproc) cores"
for mode in uncached cached; do
  if [ "$mode" = uncached ]; then rc=0; mc=0; else rc=256; mc=512; fi
  start_repere "$rc"
  if [ "$mode" = uncached ]; then
    start_martin "$mc"
    check_same_coverage
    stop "$MARTIN_PID"
  fi
  run_wrk "http://127.0.0.1:$REPERE_PORT" "$WORK/repere_paths.txt" "repere_$mode"
  stop "$REPERE_PID"
  start_martin "$mc"
  run_wrk "http://127.0.0.1:$MARTIN_PORT" "$WORK/martin_paths.txt" "martin_$mode"
  stop "$MARTIN_PID"
  echo "ratio repere/martin req/s ($mode): $(ratio "repere_$mode" "martin_$mode")"
done
