#!/usr/bin/env python3
"""The evaluation table of docs/results.md from an `rnnclust evaluate` run.

    bench/eval_table.py out/suite/results.json [PUBLISHED.md]

Prints, in markdown: the mean NMI of every method per dataset (best of rnnclust's in bold) beside
the published NMI of a markdown table in PUBLISHED.md ("km-ED" and "biLSTM-AE+km", Lafabregue et
al.), the mean of each column; how often each recurrent method (one fixed method, as a user runs it)
beats raw k-means, and with several of them the best per dataset (which needs the test labels to pick);
each method's seed spread (the sample standard deviation of NMI over the seeds, averaged over the
datasets); and the mode, device and commit the run records. Standard library only.
"""
import json
import sys

from quality_targets import tables

RECURRENT = ("rnn", "rnn-ae", "rnn-ae-dec", "rnn-ae-idec")


def published(readme):
    """dataset -> (km-ED, biLSTM-AE+km) from the 'Published clustering scores' table."""
    for header, rows in tables(readme):
        if header[:2] == ["dataset", "km-ED"]:
            return {r["dataset"]: (r.get("km-ED", "–"), r.get("biLSTM-AE+km", "–")) for r in rows}
    return {}


def nmi_of(dataset, method):
    return next(m["nmi_mean"] for m in dataset["methods"] if m["method"] == method)


def main():
    results = json.load(open(sys.argv[1]))
    refs = published(sys.argv[2]) if len(sys.argv) > 2 else {}
    methods = results["methods"]
    machine = results.get("machine") or {}
    print(f"Mode: {results.get('mode', 'not recorded')}; device: {results.get('device', '?')}; "
          f"commit {machine.get('commit', '?')}; {results['seeds']} seed(s); {results['seconds']:.0f} s.\n")
    print("| dataset | " + " | ".join(methods) + " | published km-ED | published biLSTM-AE+km |")
    print("|---|" + "---:|" * (len(methods) + 2))
    sums = {m: 0.0 for m in methods}
    wins, best_sum, rows = 0, 0.0, 0
    for ds in sorted(results["datasets"], key=lambda d: d["name"].lower()):
        nmi = {m["method"]: m["nmi_mean"] for m in ds["methods"]}
        top = max(nmi.values())
        cells = []
        for m in methods:
            v = nmi.get(m)
            sums[m] += v if v is not None else 0.0
            cells.append("–" if v is None else (f"**{v:.3f}**" if v == top else f"{v:.3f}"))
        km, lstm = refs.get(ds["name"], ("–", "–"))
        print(f"| {ds['name']} | " + " | ".join(cells) + f" | {km} | {lstm} |")
        recurrent = [nmi[m] for m in RECURRENT if m in nmi]
        if recurrent and "kmeans" in nmi:
            best = max(recurrent)
            best_sum += best
            wins += best > nmi["kmeans"]
        rows += 1
    print(f"| *mean of {rows}* | " + " | ".join(f"*{sums[m] / rows:.3f}*" for m in methods) + " | | |")
    sets = results["datasets"]
    print("\nMean over the datasets of the seed std of NMI: " + ", ".join(
        f"{m} {sum(x['nmi_std'] for d in sets for x in d['methods'] if x['method'] == m) / len(sets):.3f}"
        for m in methods) + ".")
    if "kmeans" in methods:
        for m in RECURRENT:
            if m in methods:
                beats = sum(1 for d in sets if nmi_of(d, m) > nmi_of(d, "kmeans"))
                print(f"{m} beats raw k-means on {beats} of {rows}.")
        present = [m for m in RECURRENT if m in methods]
        if len(present) > 1:
            print(f"\nBest recurrent method (per dataset, of {', '.join(present)}; picking it needs the test labels) "
                  f"beats raw k-means on {wins} of {rows}; mean NMI of that best {best_sum / rows:.3f} against raw "
                  f"k-means {sums['kmeans'] / rows:.3f}.")


if __name__ == "__main__":
    main()
