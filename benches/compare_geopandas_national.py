"""Reference oracle for France: the same overlays as Repère with GeoPandas/Shapely (EPSG:2154).

Reads the national files directly (not Repère's output), as `benches/territories/france.toml`
describes them, and computes:
  1. commune x QPV 2015 intersection areas, m2: the 2018 commune polygons, those of communes
     merged since unioned into their 2026 commune through the records' `anciensCodes`, polygons
     matching no current commune left out (Repère's rule), x the official QPV 2015 shapefile;
  2. France Travail agencies (TYPE_SITE = ALE) per commune (point in polygon);
  3. nearest agency from each QPV: boundary (0 inside) and centroid, metres.
Then compares with the JSON exported by Repère (`export_overlays --national`) and prints the
agreement (identical QPV lists per commune, areas within 0.1 %, distances within 1 m) and the
speed ratio (median of repeated runs on both sides, loading excluded).

Usage: python compare_geopandas_national.py SHARED_DATA_DIR REPERE_JSON
"""

import json
import sys
import time

import geopandas as gpd
import pandas as pd
import shapely

from geopandas_common import areas, count_differences, counts, median_ms, print_timings

REPEAT = 3
AREA_TOLERANCE = 0.001  # 0.1 %
DISTANCE_TOLERANCE_M = 1.0
DUST_M2 = 1.0  # pieces below 1 m2 are numerical dust on either side


def load(data):
    records = json.load(open(f"{data}/national/communes_france_decoupage_2026.json"))
    current = {r["code"] for r in records if r.get("type", "commune-actuelle") == "commune-actuelle"}
    merged_into = {
        old: r["code"]
        for r in records
        if r.get("type", "commune-actuelle") == "commune-actuelle"
        for old in r.get("anciensCodes", [])
        if old != r["code"]
    }
    communes = gpd.read_file(f"{data}/national/communes_france_2018.geojson")[["code", "geometry"]]
    communes["code"] = [c if c in current else merged_into.get(c, c) for c in communes["code"]]
    communes = communes[communes["code"].isin(current)]
    communes = communes.dissolve(by="code", as_index=False).to_crs(2154).reset_index(drop=True)
    communes["geometry"] = shapely.make_valid(communes.geometry.values)
    qpv = gpd.read_file(f"{data}/qpv/qpv2015_official_lb93/QP_METROPOLE_LB93.shp")
    qpv = qpv.rename(columns={"CODE_QP": "qpv"})[["qpv", "geometry"]].set_crs(2154, allow_override=True)
    qpv["geometry"] = shapely.make_valid(qpv.geometry.values)
    ft = pd.read_csv(f"{data}/national/france_travail_agences_2019.csv", dtype=str)
    ft = ft[ft["TYPE_SITE"] == "ALE"]
    lon = ft["DN_LONGITUDE"].str.replace(",", ".").astype(float)
    lat = ft["DN_LATITUDE"].str.replace(",", ".").astype(float)
    actors = gpd.GeoDataFrame(
        {"id": ft["REFERENCE_PE"].values}, geometry=gpd.points_from_xy(lon, lat), crs=4326
    ).to_crs(2154)
    return communes, qpv, actors


def nearest(qpv, actors):
    boundary = gpd.sjoin_nearest(qpv, actors, distance_col="d", how="left")
    centroids = gpd.GeoDataFrame({"qpv": qpv["qpv"]}, geometry=qpv.geometry.centroid, crs=2154)
    centroid = gpd.sjoin_nearest(centroids, actors, distance_col="d", how="left")
    b = boundary.groupby("qpv")["d"].min().to_dict()
    c = centroid.groupby("qpv")["d"].min().to_dict()
    return {q: (b[q], c[q]) for q in b}


def lists(pieces):
    out = {}
    for (commune, q), a in pieces.items():
        if a >= DUST_M2:
            out.setdefault(commune, set()).add(q)
    return out


def main():
    data, repere_json = sys.argv[1], sys.argv[2]
    r = json.load(open(repere_json))
    t = time.perf_counter()
    communes, qpv, actors = load(data)
    load_s = time.perf_counter() - t
    print(f"GeoPandas {gpd.__version__}, Shapely {shapely.__version__} (GEOS {shapely.geos_version_string})")
    print(f"loaded in {load_s:.1f} s: {len(communes)} communes, {len(qpv)} QPV 2015, {len(actors)} agencies"
          f" (Repère: {r['communes']} communes, {r['qpv']} QPV, {r['actors_total']} actors)")

    py_areas = areas(communes, qpv)
    py_counts = counts(communes, actors)
    py_nearest = nearest(qpv, actors)
    timings = {
        "areas": median_ms(lambda: areas(communes, qpv), REPEAT),
        "counts": median_ms(lambda: counts(communes, actors), REPEAT),
        "nearest": median_ms(lambda: nearest(qpv, actors), REPEAT),
    }

    rs_areas = {(p["commune"], p["qpv"]): p["area_m2"] for p in r["areas"]}
    py_lists, rs_lists = lists(py_areas), lists(rs_areas)
    list_diff = sorted(
        (c, sorted(rs_lists.get(c, set())), sorted(py_lists.get(c, set())))
        for c in set(py_lists) | set(rs_lists)
        if rs_lists.get(c, set()) != py_lists.get(c, set())
    )
    keys = {k for k, v in {**py_areas, **rs_areas}.items() if v >= DUST_M2}
    both = [k for k in keys if k in py_areas and k in rs_areas]
    area_err = [abs(rs_areas[k] - py_areas[k]) / py_areas[k] for k in both]
    bad_areas = sorted((k, rs_areas[k], py_areas[k]) for k, e in zip(both, area_err) if e > AREA_TOLERANCE)

    rs_counts = r["actor_counts"]
    all_codes, count_diff = count_differences(rs_counts, py_counts)

    rs_nearest = {n["qpv"]: (n["boundary_m"], n["centroid_m"]) for n in r["nearest"] if n["group"] == "FT"}
    dist_err, bad_dist = [], []
    for q, (pb, pc) in py_nearest.items():
        if q not in rs_nearest:
            bad_dist.append((q, "missing in Repère"))
            continue
        rb, rc = rs_nearest[q]
        for what, a, b in (("boundary", rb, pb), ("centroid", rc, pc)):
            dist_err.append(abs(a - b))
            if abs(a - b) > DISTANCE_TOLERANCE_M:
                bad_dist.append((q, what, a, b))

    print(f"1. commune x QPV 2015: {len(keys)} pieces >= {DUST_M2} m2, {len(both)} on both sides;"
          f" QPV lists of {len(set(py_lists) | set(rs_lists))} communes, differing: {len(list_diff)} {list_diff[:5]}")
    print(f"   max relative area difference {max(area_err):.2e}; beyond 0.1 %: {len(bad_areas)} {bad_areas[:5]}")
    print(f"2. agencies per commune: {len(all_codes)} communes; differing counts: {len(count_diff)} {count_diff[:5]}")
    print(f"3. nearest agency from {len(py_nearest)} QPV (boundary and centroid): {len(dist_err)} distances;"
          f" max difference {max(dist_err):.3f} m; beyond 1 m: {len(bad_dist)} {bad_dist[:5]}")
    ok = not list_diff and not bad_areas and not count_diff and not bad_dist
    print("AGREEMENT:", "yes (QPV lists and counts identical, areas within 0.1 %, distances within 1 m)" if ok else "NO")
    print_timings(r, timings, REPEAT, 1)
    print(f"   load: Repère {r['timing_ms']['load'] / 1e3:.1f} s, GeoPandas {load_s:.1f} s")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
