"""What both GeoPandas reference oracles share (`compare_geopandas.py` for the Métropole,
`compare_geopandas_national.py` for France): the timing, the overlay and the point-in-polygon
counts done the same way on both territories, and the comparison of counts and of timings with
Repère's JSON (`export_overlays`)."""

import statistics
import time

import geopandas as gpd


def median_ms(fn, repeat):
    """Median wall time of `repeat` calls of `fn`, milliseconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def areas(communes, qpv):
    """Commune x QPV intersection areas, m2, by (commune code, QPV code); empty pieces left out."""
    pieces = gpd.overlay(communes[["code", "geometry"]], qpv, how="intersection", keep_geom_type=True)
    pieces["area_m2"] = pieces.geometry.area
    return {(r.code, r.qpv): r.area_m2 for r in pieces.itertuples() if r.area_m2 > 0}


def counts(communes, actors):
    """Actors per commune code (point in polygon)."""
    joined = gpd.sjoin(actors, communes[["code", "geometry"]], predicate="within", how="inner")
    return joined.groupby("code").size().to_dict()


def count_differences(rs_counts, py_counts):
    """(code, Repère, GeoPandas) of every commune whose counts differ, sorted."""
    codes = set(rs_counts) | set(py_counts)
    return codes, sorted((c, rs_counts.get(c, 0), py_counts.get(c, 0)) for c in codes if rs_counts.get(c, 0) != py_counts.get(c, 0))


def print_timings(repere, geopandas_ms, repeat, digits):
    """The timing table: Repère's `timing_ms` against GeoPandas's, per step and in total."""
    t = repere["timing_ms"]
    print(f"timings, median of {repere['repeat']} (Repère) and {repeat} (GeoPandas) runs, ms (loading excluded):")
    print(f"   {'':<9} {'Repère':>9} {'GeoPandas':>10} {'ratio':>7}")
    total_r = total_p = 0.0
    for name in ("areas", "counts", "nearest"):
        tr, tp = t[name], geopandas_ms[name]
        total_r += tr
        total_p += tp
        print(f"   {name:<9} {tr:>9.{digits}f} {tp:>10.{digits}f} {tp / tr:>6.1f}x")
    print(f"   {'total':<9} {total_r:>9.{digits}f} {total_p:>10.{digits}f} {total_p / total_r:>6.1f}x  (GeoPandas time / Repère time)")
