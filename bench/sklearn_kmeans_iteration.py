#!/usr/bin/python3
"""Times one scikit-learn k-means Lloyd iteration on X.npy, the reference for rnnclust's bench.

    /usr/bin/python3 bench/sklearn_kmeans_iteration.py X.npy K [repeats]

The centroids start as X's first K rows (rnnclust's bench does the same). One iteration's time is
(t(max_iter=11) - t(max_iter=1)) / 10, which cancels scikit-learn's per-fit overhead (input checks,
the final label pass); tol=0 keeps it from stopping early. Prints one JSON line.
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_info

x = np.load(sys.argv[1])
k = int(sys.argv[2])
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
init = x[:k].copy()


def fit_seconds(iters):
    km = KMeans(n_clusters=k, init=init, n_init=1, max_iter=iters, tol=0.0, algorithm="lloyd")
    t0 = time.perf_counter()
    km.fit(x)
    return time.perf_counter() - t0, km.n_iter_


fit_seconds(1)  # warm-up: imports, thread pools
per_iter = []
for _ in range(repeats):
    t1, _ = fit_seconds(1)
    t11, it = fit_seconds(11)
    if it != 11:
        raise SystemExit(f"scikit-learn converged after {it} iterations; use random data")
    per_iter.append((t11 - t1) / 10 * 1e3)
blas = [p for p in threadpool_info() if p["user_api"] == "blas"]
print(json.dumps({"n": x.shape[0], "d": x.shape[1], "k": k, "median_ms": float(np.median(per_iter)),
                  "runs_ms": per_iter,
                  "blas": {key: blas[0].get(key) for key in ("internal_api", "version", "architecture",
                                                              "num_threads")} if blas else None}))
