"""A real addok for the geocoder tests, on a free port, over a throwaway redis-server.

Run with the Python of the virtual environment that scripts/install-geocoder-deps.sh makes:

    target/addok-venv/bin/python scripts/addok-fixture.py DATA_DIR

It builds, at start, a small address index from REAL rows of the default data: the France
services (data/actors/france_services_76_2024.csv) and the France Travail agencies
(data/actors/employment_services_76.geojson), which carry an address and the position the source
gives it. Only rows whose address starts with a house number are indexed (as a BAN-style street
document with that house number at the source's position; the street's own point is that same
known position, since no other point of the street is known). The missions locales, known by
address only, are NOT indexed: nothing is placed at an invented point.

With REPERE_ADDOK_WITHOUT_CSV set, its batch endpoint (`POST /search/csv`, the addok-csv
plugin) answers 404, as an instance without that plugin does.

It prints one JSON line on stdout ({"url", "documents", "setup_ms"}) once addok answers, then
serves until its standard input is closed (the test that started it ended or died), and removes
everything it made (redis-server stopped, temporary folder deleted).
"""
import csv
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

START = time.monotonic()
HOUSE = re.compile(r"^\s*(\d+)\s*(bis|ter|quater|[a-d])?\b[\s,]+(.+?)\s*$", re.IGNORECASE)

CONFIG = """
BATCH_WORKERS = 1
ATTRIBUTION = "Repère (données de test : France services, France Travail)"
LICENCE = "Licence Ouverte"
FILTERS = ["type", "postcode", "citycode"]
QUERY_PROCESSORS_PYPATHS = [
    "addok.helpers.text.check_query_length",
    "addok_france.extract_address",
    "addok_france.clean_query",
    "addok_france.remove_leading_zeros",
]
SEARCH_RESULT_PROCESSORS_PYPATHS = [
    "addok.helpers.results.match_housenumber",
    "addok_france.make_labels",
    "addok.helpers.results.score_by_importance",
    "addok.helpers.results.score_by_autocomplete_distance",
    "addok.helpers.results.score_by_ngram_distance",
    "addok.helpers.results.score_by_geo_distance",
    "addok.helpers.results.adjust_scores",
]
PROCESSORS_PYPATHS = [
    "addok.helpers.text.tokenize",
    "addok.helpers.text.normalize",
    "addok_france.glue_ordinal",
    "addok_france.fold_ordinal",
    "addok_france.flag_housenumber",
    "addok.helpers.text.synonymize",
    "addok_fr.phonemicize",
]
"""


def addresses(data_dir):
    """(source id, number, street, postcode, city, citycode, lon, lat) of the real rows."""
    path = os.path.join(data_dir, "actors", "france_services_76_2024.csv")
    with open(path, newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            yield ("fs-" + row["id_fs"], row["adresse"], row["code_postal"], row["lib_com"],
                   row["insee_com"], float(row["longitude"]), float(row["latitude"]))
    path = os.path.join(data_dir, "actors", "employment_services_76.geojson")
    with open(path, encoding="utf-8") as f:
        for feature in json.load(f)["features"]:
            p = feature["properties"]
            lon, lat = feature["geometry"]["coordinates"][:2]
            yield ("ft-" + str(p["fixture_pk"]), p["address_line_1"], p["post_code"],
                   p["city"], p.get("insee_city") or "", float(lon), float(lat))


def documents(data_dir):
    streets = {}
    for source_id, address, postcode, city, citycode, lon, lat in addresses(data_dir):
        m = HOUSE.match(address or "")
        if not m:
            continue
        number = m.group(1) + (" " + m.group(2).lower() if m.group(2) else "")
        street = m.group(3)
        key = (street.lower(), postcode)
        doc = streets.get(key)
        if doc is None:
            doc = streets[key] = {
                "id": source_id, "type": "street", "name": street, "postcode": postcode,
                "city": city, "citycode": citycode, "lon": lon, "lat": lat,
                "importance": 0.5, "context": "76, Seine-Maritime, Normandie",
                "housenumbers": {},
            }
        doc["housenumbers"].setdefault(number, {"lon": lon, "lat": lat, "id": source_id})
    return list(streets.values())


def main():
    data_dir = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="repere-addok-")
    redis = None
    try:
        sock = os.path.join(tmp, "redis.sock")
        redis = subprocess.Popen(
            ["redis-server", "--port", "0", "--unixsocket", sock, "--save", "",
             "--appendonly", "no", "--dir", tmp, "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=sys.stderr)
        for _ in range(500):
            if os.path.exists(sock):
                break
            if redis.poll() is not None:
                raise SystemExit("redis-server s'est arrêté au démarrage")
            time.sleep(0.01)
        os.environ["REDIS_SOCKET"] = sock
        conf = os.path.join(tmp, "addok.conf")
        with open(conf, "w") as f:
            f.write(CONFIG)
        os.environ["ADDOK_CONFIG_MODULE"] = conf
        os.environ["ADDOK_LOG_DIR"] = tmp
        # addok prints its loaded plugins on stdout: keep stdout for the one JSON line.
        real_stdout = sys.stdout
        sys.stdout = sys.stderr
        from addok.config import config
        config.load()
        from addok.batch import process_documents
        docs = documents(data_dir)
        process_documents(*[json.dumps(d) for d in docs])
        from wsgiref.simple_server import WSGIRequestHandler, WSGIServer
        from socketserver import ThreadingMixIn
        from addok.http.wsgi import application

        class Quiet(WSGIRequestHandler):
            def log_message(self, *args):
                pass

        class Server(ThreadingMixIn, WSGIServer):
            daemon_threads = True

        app = application
        if os.environ.get("REPERE_ADDOK_WITHOUT_CSV"):
            # An instance without the addok-csv plugin (its batch endpoint answers 404), as
            # many are: the clients' one-by-one path is tested against it.
            def app(environ, start_response):
                if environ.get("PATH_INFO", "").rstrip("/").endswith("/csv"):
                    start_response("404 Not Found", [("Content-Type", "application/json")])
                    return [b'{"title": "404 Not Found"}']
                return application(environ, start_response)

        httpd = Server(("127.0.0.1", 0), Quiet)
        httpd.set_app(app)
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        port = httpd.server_address[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        sys.stdout = real_stdout
        print(json.dumps({"url": f"http://127.0.0.1:{port}", "documents": len(docs),
                          "setup_ms": int((time.monotonic() - START) * 1000)}), flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        sys.stdin.read()
        httpd.shutdown()
    finally:
        if redis is not None:
            redis.terminate()
            try:
                redis.wait(5)
            except subprocess.TimeoutExpired:
                redis.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
