#!/usr/bin/env bash
# Uncached vector tiles over HTTP on loopback against `repere serve` on France (issue 14, goal:
# p99 < 20 ms at z8-z12). Starts the release `repere serve` on benches/territories/france.toml
# (paths pointed at SHARED_DATA, default ../shared/data) with the tile cache disabled, waits for
# /health, then requests with curl (one keep-alive connection per zoom) the `all` layers tile of
# every France Travail agency's location (the 852 ALE sites: where people live), at most
# SAMPLE tiles per zoom, each once, and prints p50/p99/max per zoom.
# Usage: benches/http_tiles_p99.sh   (SAMPLE=150, PORT=18093, REPERE_BIN=target/release/repere)
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED_DATA="${SHARED_DATA:-$(cd .. && pwd)/shared/data}"
SAMPLE="${SAMPLE:-150}"
PORT="${PORT:-18093}"
BIN="${REPERE_BIN:-target/release/repere}"
AGENCIES="$SHARED_DATA/national/france_travail_agences_2019.csv"
if [ ! -f "$AGENCIES" ]; then
  echo "fichiers nationaux introuvables : $SHARED_DATA/national (donnez SHARED_DATA=dossier)" >&2
  exit 2
fi
[ -x "$BIN" ] || cargo build --release -p repere-server
OUT="target/http_tiles_p99"
mkdir -p "$OUT"
sed "s#\.\./\.\./\.\./shared/data#$SHARED_DATA#g" benches/territories/france.toml > "$OUT/france.toml"

start=$(date +%s.%N)
"$BIN" --territory "$OUT/france.toml" serve --addr "127.0.0.1:$PORT" --tile-cache-mb 0 --basemap none \
  > "$OUT/serve.log" 2>&1 &
SERVE=$!
trap 'kill $SERVE 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/health" > /dev/null; do
  kill -0 $SERVE 2>/dev/null || { echo "repere serve s'est arrêté :" >&2; cat "$OUT/serve.log" >&2; exit 1; }
  sleep 0.2
done
ready=$(date +%s.%N)
echo "serve ready (/health answers) after $(echo "$ready - $start" | bc) s wall"
echo "resident memory once ready: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$SERVE/status)"

# The tiles of the agencies, per zoom (deduplicated, in file order, every k-th up to SAMPLE).
python3 - "$AGENCIES" "$SAMPLE" "$PORT" "$OUT" <<'PY'
import csv, math, sys
path, sample, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = [r for r in csv.DictReader(open(path, encoding="utf-8")) if r["TYPE_SITE"] == "ALE"]
pts = [(float(r["DN_LONGITUDE"].replace(",", ".")), float(r["DN_LATITUDE"].replace(",", "."))) for r in rows]
for z in range(8, 13):
    n = 2 ** z
    tiles = []
    for lon, lat in pts:
        x = int((lon + 180) / 360 * n)
        y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
        if (x, y) not in tiles:
            tiles.append((x, y))
    step = max(1, len(tiles) // sample)
    with open(f"{out}/z{z}.curl", "w") as f:
        for x, y in tiles[::step][:sample]:
            f.write(f'url = "http://127.0.0.1:{port}/tiles/all/{z}/{x}/{y}.mvt"\noutput = "/dev/null"\n')
PY
for z in 8 9 10 11 12; do
  curl -s -K "$OUT/z$z.curl" -w '%{http_code} %{time_total} %{size_download}\n' > "$OUT/z$z.times"
done
echo "resident memory after the tiles: $(awk '/VmRSS/ {print $2/1024 " MB"}' /proc/$SERVE/status)"
python3 - "$OUT" <<'PY'
import sys
out = sys.argv[1]
print(f"{'zoom':>4} {'tiles':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'mean kB':>8}")
worst = 0.0
for z in range(8, 13):
    rows = [l.split() for l in open(f"{out}/z{z}.times")]
    bad = [r for r in rows if r[0] != "200"]
    if bad:
        sys.exit(f"z{z}: {len(bad)} réponse(s) non 200, par ex. {bad[0]}")
    t = sorted(float(r[1]) * 1e3 for r in rows)
    pick = lambda p: t[min(len(t) - 1, round((len(t) - 1) * p))]
    kb = sum(int(r[2]) for r in rows) / len(rows) / 1e3
    worst = max(worst, pick(0.99))
    print(f"{z:>4} {len(t):>6} {pick(0.5):>8.2f} {pick(0.99):>8.2f} {t[-1]:>8.2f} {kb:>8.1f}")
print(f"worst p99 over z8-z12: {worst:.2f} ms (goal < 20 ms)")
PY
