"""PySAL spopt's MCLP (PuLP + CBC) on the coverage matrix Repère exported: same objective value
as Repère's exact solve, and the speed ratio. Reference oracle for benches/compare_spopt.sh.

The matrix (`repere suggest --export-matrix`): `weights` (young people of each gap cell),
`covers` (for each candidate, the gap cells within the threshold), `k`, and Repère's `objective`
and `solve_ms` (its whole exact solve: reduction, greedy start, HiGHS). Gap cells no candidate
covers add nothing to either model and are left out of spopt's cost matrix (0 = covered, 2 =
beyond a service radius of 1).
"""

import json
import sys
import time

import numpy as np
import pulp
from spopt.locate import MCLP


def main(path):
    with open(path, encoding="utf-8") as f:
        m = json.load(f)
    k = m["k"]
    weights = np.asarray(m["weights"], dtype=float)
    covers = m["covers"]
    n_fac = len(covers)
    elems = sorted({e for els in covers for e in els})
    row = {e: i for i, e in enumerate(elems)}
    cost = np.full((len(elems), n_fac), 2.0)
    for j, els in enumerate(covers):
        for e in els:
            cost[row[e], j] = 0.0
    w = weights[elems]
    t0 = time.perf_counter()
    mclp = MCLP.from_cost_matrix(cost, w, service_radius=1.0, p_facilities=k, name="repere")
    t1 = time.perf_counter()
    mclp = mclp.solve(pulp.PULP_CBC_CMD(msg=False))
    t2 = time.perf_counter()
    chosen = [j for j in range(n_fac) if (mclp.fac_vars[j].value() or 0.0) > 0.5]
    reached = sorted({e for j in chosen for e in covers[j]})
    objective = float(weights[reached].sum())
    repere = float(m["objective"])
    repere_s = m["solve_ms"] / 1000.0
    spopt_s = t2 - t0
    print(
        f"matrice : {n_fac} candidats, {len(weights)} carreaux hors seuil dont {len(elems)} "
        f"atteignables, {int((cost == 0).sum())} incidences, k = {k}"
    )
    print(f"spopt MCLP (PuLP/CBC) : {len(chosen)} lieux, objectif {objective:.3f} jeunes")
    print(f"Repère (HiGHS, exact) : objectif {repere:.3f} jeunes")
    print(
        f"temps : spopt {spopt_s:.3f} s (construction {t1 - t0:.3f} s, résolution {t2 - t1:.3f} s), "
        f"Repère {repere_s:.3f} s ; rapport {spopt_s / max(repere_s, 1e-6):.1f}x"
    )
    if len(chosen) != k or abs(objective - repere) > 1e-6 * max(1.0, repere):
        print("ÉCHEC : objectifs différents", file=sys.stderr)
        sys.exit(1)
    print("même objectif : oui")


if __name__ == "__main__":
    main(sys.argv[1])
