"""Single k-Shape starts against the least-SBD start of 3, on one UCR set (fit TRAIN, score TEST).

Uses the numpy reference of the k-Shape tests (java/src/test/resources/fixtures/baselines/
make_fixtures.py), which the Java code matches fit for fit. Prints, per start, the partition's
total SBD on TRAIN and its TRAIN and TEST NMI, then the mean single start and the mean of the
least-SBD start of each consecutive 3 (what `evaluate --methods kshape` keeps).

    /usr/bin/python3 bench/kshape_starts.py DATA_DIR ItalyPowerDemand [starts]
"""
import gzip
import os
import sys

import numpy as np
from sklearn.metrics import normalized_mutual_info_score as nmi

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "java", "src", "test", "resources",
                                "fixtures", "baselines"))
import make_fixtures as reference  # noqa: E402


def load(path):
    rows = np.loadtxt(gzip.open(path) if path.endswith(".gz") else path)
    return np.array([reference.znorm(r[1:, None]) for r in rows]), rows[:, 0].astype(int)


def split(data_dir, name, part):
    base = os.path.join(data_dir, name, f"{name}_{part}.tsv")
    return load(base if os.path.exists(base) else base + ".gz")


def main():
    data_dir, name = sys.argv[1], sys.argv[2]
    starts = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    train, train_labels = split(data_dir, name, "TRAIN")
    test, test_labels = split(data_dir, name, "TEST")
    k = len(set(train_labels))
    rows = []
    for seed in range(starts):
        initial = np.random.default_rng(seed).permutation(np.arange(len(train)) % k)
        labels, centroids, total_sbd, _, _ = reference.kshape(train, k, initial)
        assigned = [int(np.argmin([reference.sbd(c, x)[0] for c in centroids])) for x in test]
        rows.append((total_sbd, nmi(train_labels, labels), nmi(test_labels, assigned)))
        print(f"start {seed:2d}  sizes {np.bincount(labels, minlength=k)}  total SBD {rows[-1][0]:.3f}  "
              f"TRAIN NMI {rows[-1][1]:.3f}  TEST NMI {rows[-1][2]:.3f}", flush=True)
    rows = np.array(rows)
    triples = rows[: len(rows) // 3 * 3].reshape(-1, 3, 3)
    kept = [t[np.argmin(t[:, 0]), 2] for t in triples]
    print(f"{name}: mean TEST NMI of a single start {rows[:, 2].mean():.3f}; "
          f"of the least-SBD start of 3 {np.mean(kept):.3f}")


if __name__ == "__main__":
    main()
