#!/usr/bin/env python3
"""Resident memory of `repere serve` under 8 editors (issue 26): each editor PATCHes its own actor
in a loop for DURATION s; VmRSS of PID is sampled every 5 s, then after IDLE s without requests.
The token file must hold the 8 editors of server/tests/common/binary.rs.

    repere serve --store /tmp/m/repere.gpkg --edit-token-file tokens &
    python3 benches/edit_memory.py PORT $! 60 20

Issue 26 (debug build, 2 shared cores, load average ~10): 78 -> 343 MB and staying before, 78 ->
133 MB after (no superseded analysis held by waiting edits; rebuilds on one thread, so in one
malloc arena)."""
import http.client, json, sys, threading, time

port, pid, duration, idle = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
TOKENS = [f"jeton-{n}-0123456789" for n in ["alice-123","bruno-123","chloe-123","damien-12","emma-1234","farid-123","gaelle-12","hugo-1234"]]

def req(method, path, headers=None, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    h = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body).encode(); h["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=h)
    r = c.getresponse(); b = r.read(); c.close()
    return r.status, b

def rss():
    with open(f"/proc/{pid}/status") as f:
        for l in f:
            if l.startswith("VmRSS"):
                return int(l.split()[1]) // 1024

s, b = req("GET", "/api/actors")
actors = [a["id"] for a in json.loads(b)["actors"] if a["status"] != "retired"][:8]
stop = time.time() + duration
lat = []; codes = {}
def editor(i):
    aid = actors[i]
    s, b = req("GET", f"/api/actors/{aid}")
    v = json.loads(b)["version"]
    n = 0
    while time.time() < stop:
        t = time.time()
        s, b = req("PATCH", f"/api/actors/{aid}", {"Authorization": f"Bearer {TOKENS[i]}", "If-Match": f'"v{v}"'}, {"name": f"Acteur {i} modification {n}"})
        lat.append(time.time() - t); codes[s] = codes.get(s, 0) + 1
        if s == 200: v += 1
        n += 1
ts = [threading.Thread(target=editor, args=(i,)) for i in range(8)]
print("rss before", rss(), "MB", flush=True)
for t in ts: t.start()
t0 = time.time(); samples = []
while any(t.is_alive() for t in ts):
    samples.append((round(time.time() - t0), rss())); time.sleep(5)
for t in ts: t.join()
lat.sort()
print("samples", samples)
print("edits", len(lat), "codes", codes, "p50 %.2f s p99 %.2f s" % (lat[len(lat)//2], lat[int(len(lat)*0.99)]))
print("rss end of load", rss(), "MB", flush=True)
time.sleep(idle)
print("rss after %d s idle" % idle, rss(), "MB")
