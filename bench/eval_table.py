#!/usr/bin/env python3
"""The evaluation table of docs/results.md from an `rnnclust evaluate` run.

    bench/eval_table.py out/suite/results.json [PUBLISHED.md]

Prints, in markdown: the mean NMI of every method per dataset (best of rnnclust's in bold) beside
the published NMI of a markdown table in PUBLISHED.md ("km-ED" and "biLSTM-AE+km", Lafabregue et
al.), the mean of each column, and how often the best recurrent method (rnn, rnn-dec, rnn-idec)
beats raw k-means. Standard library only.
"""
import json
import sys

RECURRENT = ("rnn", "rnn-dec", "rnn-idec")


def published(readme):
    """dataset -> (km-ED, biLSTM-AE+km) from the 'Published clustering scores' table."""
    out, header = {}, None
    for line in open(readme, encoding="utf-8"):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| dataset | km-ED |"):
            header = cells
            continue
        if header is None:
            continue
        if not line.startswith("|"):
            break
        if set(cells[0]) <= set("-:"):
            continue
        row = dict(zip(header, cells))
        out[row["dataset"]] = (row.get("km-ED", "–"), row.get("biLSTM-AE+km", "–"))
    return out


def main():
    results = json.load(open(sys.argv[1]))
    refs = published(sys.argv[2]) if len(sys.argv) > 2 else {}
    methods = results["methods"]
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
    if "kmeans" in methods:
        print(f"\nBest recurrent method (per dataset, of {', '.join(RECURRENT)}) beats raw k-means on {wins} of "
              f"{rows}; mean NMI of that best {best_sum / rows:.3f} against raw k-means {sums['kmeans'] / rows:.3f}.")


if __name__ == "__main__":
    main()
