"""Reference oracle: the same overlays with GeoPandas/Shapely (EPSG:2154), compared with Repère.

Reads the project's data files directly (not Repère's output) and computes:
  1. commune x QPV intersection areas (71 member communes x QPV 2024 and 2015), m2;
  2. actors per commune (point in polygon), over the four actor files of the default manifest;
  3. nearest actor per actor file from each QPV 2024: boundary (0 inside) and centroid, metres.
Then compares with the JSON exported by Repère (`export_overlays` example) and prints the
agreement and the speed ratio (median of repeated runs on both sides, loading excluded).

Usage: python compare_geopandas.py DATA_DIR REPERE_JSON
"""

import json
import sys

import geopandas as gpd
import pandas as pd
import shapely

from geopandas_common import areas, count_differences, counts, median_ms, print_timings

REPEAT = 21
TOLERANCE = 0.005  # 0.5 %
MARGIN_M = 10_000  # the manifest's territory margin: actors farther than this are not loaded


def load(data):
    members = pd.read_csv(f"{data}/communes/metropole_rouen_normandie_71_communes.csv", dtype=str)
    communes = gpd.read_file(f"{data}/communes/communes_76_2018.geojson")
    communes = communes[communes["code"].isin(members["code_insee"])].to_crs(2154).reset_index(drop=True)
    q24 = gpd.read_file(f"{data}/qpv/qpv2024_metropole_rouen.geojson").rename(columns={"IDENTIFIAN": "qpv"})
    q15 = gpd.read_file(f"{data}/qpv/qpv2015_dep76.geojson").rename(columns={"CODE_QP": "qpv"})
    qpv = pd.concat([q24[["qpv", "geometry"]], q15[["qpv", "geometry"]]]).to_crs(2154).reset_index(drop=True)
    actors = []
    for name, file in [("france_travail", "employment_services_76.geojson"), ("siae", "siae_76.geojson")]:
        g = gpd.read_file(f"{data}/actors/{file}")[["geometry"]]
        g["source"] = name
        actors.append(g)
    for name, file, lon, lat in [
        ("france_services", "france_services_76_2024.csv", "longitude", "latitude"),
        ("hauts_de_rouen", "structures_hauts_de_rouen.csv", "lon", "lat"),
    ]:
        df = pd.read_csv(f"{data}/actors/{file}").dropna(subset=[lon, lat])
        g = gpd.GeoDataFrame({"source": name}, index=df.index, geometry=gpd.points_from_xy(df[lon], df[lat]), crs=4326)
        actors.append(g)
    actors = pd.concat(actors).to_crs(2154).reset_index(drop=True)
    # Keep actors within the territory's bounding box grown by the margin, as Repère does.
    minx, miny, maxx, maxy = communes.total_bounds
    x, y = actors.geometry.x, actors.geometry.y
    box = (x >= minx - MARGIN_M) & (x <= maxx + MARGIN_M) & (y >= miny - MARGIN_M) & (y <= maxy + MARGIN_M)
    return communes, qpv, q24.to_crs(2154), actors[box].reset_index(drop=True)


def nearest(q24, actors):
    out = {}
    for q in q24.itertuples():
        c = q.geometry.centroid
        for source, g in actors.groupby("source"):
            b = shapely.distance(q.geometry, g.geometry.values).min()
            d = shapely.distance(c, g.geometry.values).min()
            out[(q.qpv, source)] = (b, d)
    return out


def rel(a, b):
    return abs(a - b) / max(abs(b), 1.0)


def main():
    data, repere_json = sys.argv[1], sys.argv[2]
    r = json.load(open(repere_json))
    communes, qpv, q24, actors = load(data)

    py_areas = areas(communes, qpv)
    py_counts = counts(communes, actors)
    py_nearest = nearest(q24, actors)
    timings = {
        "areas": median_ms(lambda: areas(communes, qpv), REPEAT),
        "counts": median_ms(lambda: counts(communes, actors), REPEAT),
        "nearest": median_ms(lambda: nearest(q24, actors), REPEAT),
    }

    rs_areas = {(p["commune"], p["qpv"]): p["area_m2"] for p in r["areas"]}
    # Pieces below 1 m2 are numerical dust on either side: compare the rest.
    keys = {k for k, v in {**py_areas, **rs_areas}.items() if v >= 1.0}
    missing = sorted(k for k in keys if k not in py_areas or k not in rs_areas)
    area_err = [rel(rs_areas[k], py_areas[k]) for k in keys if k in py_areas and k in rs_areas]
    bad_areas = [k for k in keys if k in py_areas and k in rs_areas and rel(rs_areas[k], py_areas[k]) > TOLERANCE]

    rs_counts = r["actor_counts"]
    all_codes, count_diff = count_differences(rs_counts, py_counts)

    rs_nearest = {(n["qpv"], n["source"]): (n["boundary_m"], n["centroid_m"]) for n in r["nearest"]}
    dist_err, bad_dist = [], []
    for k, (pb, pc) in py_nearest.items():
        if k not in rs_nearest:
            bad_dist.append((k, "missing in Repère"))
            continue
        rb, rc = rs_nearest[k]
        # Boundary distances of 0 (actor inside) must be 0 on both sides; others relative.
        for what, a, b in (("boundary", rb, pb), ("centroid", rc, pc)):
            e = 0.0 if (a == 0 and b == 0) else rel(a, b)
            dist_err.append(e)
            if e > TOLERANCE and abs(a - b) > 0.01:
                bad_dist.append((k, what, a, b))

    print(f"actors compared: Repère {r['actors_total']} loaded, GeoPandas {len(actors)} within the margin")
    print(f"1. commune x QPV areas: {len(keys)} pieces >= 1 m2; missing on one side: {len(missing)} {missing[:5]}")
    print(f"   max relative difference {max(area_err):.2e}; beyond 0.5 %: {len(bad_areas)}")
    print(f"2. actors per commune: {len(all_codes)} communes with actors; differing counts: {len(count_diff)} {count_diff[:5]}")
    print(f"3. nearest actor per source from 16 QPV (boundary and centroid): {len(dist_err)} distances")
    print(f"   max relative difference {max(dist_err):.2e}; beyond 0.5 %: {len(bad_dist)} {bad_dist[:5]}")
    ok = not missing and not bad_areas and not count_diff and not bad_dist
    print("AGREEMENT:", "yes (counts identical, areas and distances within 0.5 %)" if ok else "NO")
    print_timings(r, timings, REPEAT, 3)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
