#!/usr/bin/env python3
"""One method of an `rnnclust evaluate` run against the published same-protocol scores.

    bench/quality_targets.py RESULTS.json METHOD PUBLISHED.md [--seed S]

PUBLISHED.md is a markdown file holding two tables (the datasets' README in this project's data
folder): Lafabregue et al.'s (header "| dataset | km-ED | biLSTM-AE+km | best deep (Lafabregue) |
DTCR |"; rows marked "multivariate" score the TRAIN split and are skipped) and the tsml-eval one
(header "| dataset | R-Clust | KASBA | ...", rows in italics are means and skipped). Prints, for
METHOD's mean NMI over the run's seeds (or seed S alone), how many datasets it beats raw k-means
(the run's own `kmeans`), biLSTM-AE+km, DTCR, and each tsml-eval method on, its mean over those
sets against theirs, and its mean over all the run's datasets. A tie counts as not beating. With --table, first a markdown table of the per-dataset
NMI: METHOD, the run's other methods, and the published columns where the dataset has them (the
mean of each column over the sets that have it in the last row).
Standard library only.
"""
import argparse
import json


def tables(path):
    """Every markdown table of the file: list of (header cells, list of row dicts)."""
    out, header, rows = [], None, []
    for line in open(path, encoding="utf-8"):
        if not line.startswith("|"):
            if header:
                out.append((header, rows))
            header, rows = None, []
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = cells
        elif not set("".join(cells)) <= set("-: "):
            rows.append(dict(zip(header, cells)))
    if header:
        out.append((header, rows))
    return out


def number(cell):
    try:
        return float(cell)
    except ValueError:
        return None


def print_table(a, run, score):
    published = {}
    for header, rows in tables(a.published):
        keep = {"km-ED": ("biLSTM-AE+km", "DTCR"), "R-Clust": ("R-Clust", "k-Shape")}.get(header[1] if len(header) > 1 else "")
        if header[0] != "dataset" or keep is None:
            continue
        for r in rows:
            if "multivariate" in r["dataset"] or r["dataset"].startswith("*"):
                continue
            for column in keep:
                published.setdefault(r["dataset"], {})[column] = number(r[column])
    methods = [a.method] + [m for m in run["methods"] if m != a.method]
    columns = ("biLSTM-AE+km", "DTCR", "R-Clust", "k-Shape")
    print("| dataset | " + " | ".join(f"`{m}`" for m in methods) + " | "
          + " | ".join(f"published {c}" for c in columns) + " |")
    print("|---|" + "---:|" * (len(methods) + len(columns)))
    sums = {}
    for d in run["datasets"]:
        values = [score(d, m) for m in methods] + [published.get(d["name"], {}).get(c) for c in columns]
        for i, v in enumerate(values):
            if v is not None:
                sums.setdefault(i, []).append(v)
        print(f"| {d['name']} | " + " | ".join(f"{v:.3f}" if v is not None else "–" for v in values) + " |")
    means = [f"*{sum(sums[i]) / len(sums[i]):.3f} ({len(sums[i])})*" if i in sums else "" for i in
             range(len(methods) + len(columns))]
    print("| *mean (sets)* | " + " | ".join(means) + " |")
    print()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results")
    ap.add_argument("method")
    ap.add_argument("published")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--table", action="store_true")
    a = ap.parse_args()
    run = json.load(open(a.results, encoding="utf-8"))

    def score(dataset, method):
        m = next((m for m in dataset["methods"] if m["method"] == method), None)
        if m is None:
            return None
        if a.seed is None:
            return m["nmi_mean"]
        return next(r["nmi"] for r in m["runs"] if r["seed"] == a.seed)

    ours = {d["name"]: score(d, a.method) for d in run["datasets"]}
    kmeans = {d["name"]: score(d, "kmeans") for d in run["datasets"]}
    ours = {k: v for k, v in ours.items() if v is not None}
    if a.table:
        print_table(a, run, score)
    print(f"{a.method}, {'seed ' + str(a.seed) if a.seed is not None else 'mean of seeds'}: {len(ours)} datasets,"
          f" mean NMI {sum(ours.values()) / len(ours):.3f}")
    both = [k for k in ours if kmeans.get(k) is not None]
    if both:
        wins = sum(ours[k] > kmeans[k] for k in both)
        print(f"  beats the run's raw k-means on {wins} of {len(both)}"
              f" (means {sum(ours[k] for k in both) / len(both):.3f} vs {sum(kmeans[k] for k in both) / len(both):.3f})")
    for header, rows in tables(a.published):
        if header[:2] == ["dataset", "km-ED"]:
            uni = [r for r in rows if "multivariate" not in r["dataset"]]
            for column in ("biLSTM-AE+km", "DTCR"):
                pairs = [(ours[r["dataset"]], number(r[column])) for r in uni
                         if r["dataset"] in ours and number(r.get(column, "–")) is not None]
                if pairs:
                    print(f"  beats {column} on {sum(o > p for o, p in pairs)} of {len(pairs)}"
                          f" (means {sum(o for o, _ in pairs) / len(pairs):.3f} vs {sum(p for _, p in pairs) / len(pairs):.3f})")
        elif header[:2] == ["dataset", "R-Clust"]:
            sets = [r for r in rows if not r["dataset"].startswith("*") and r["dataset"] in ours]
            mean = sum(ours[r["dataset"]] for r in sets) / len(sets)
            print(f"  over the {len(sets)} tsml-eval sets: mean NMI {mean:.3f}")
            for column in header[1:]:
                theirs = [number(r[column]) for r in sets]
                wins = sum(ours[r["dataset"]] > t for r, t in zip(sets, theirs))
                print(f"    {column:8s} mean {sum(theirs) / len(theirs):.3f}, beaten on {wins} of {len(sets)}")


if __name__ == "__main__":
    main()
