"""Summarises bench/membership/*.json (MembershipAttack runs): per dataset and privacy setting the
mean over seeds of epsilon, the attack's AUC, and the non-members' NMI and ACC; writes a TSV, a plot
(AUC and NMI against epsilon) and prints the Markdown table.

    /usr/bin/python3 bench/membership_table.py DIR OUT.tsv OUT.svg
"""
import glob
import json
import os
import statistics
import sys

src, tsv, svg = sys.argv[1:4]
rows = {}
for f in sorted(glob.glob(os.path.join(src, "*-s*.json"))):
    name = os.path.basename(f).rsplit("-s", 1)[0]
    for r in json.load(open(f))["runs"]:
        rows.setdefault((name, r["target_epsilon"]), []).append(r)

order = ["untrained", "none", "8", "4", "1"]
datasets = sorted({k[0] for k in rows})
lines = ["dataset\ttarget\tseeds\tepsilon\tsigma\tauc\tauc_min\tauc_max\tnmi\tacc\tseconds"]
table = ["| dataset | DP target ε | ε spent | σ | attack AUC (mean; min–max) | NMI | ACC | seconds a run |",
         "|---|---|---:|---:|---|---:|---:|---:|"]
mean = statistics.mean
for d in datasets:
    for t in order:
        rs = rows.get((d, t))
        if not rs:
            continue
        auc = [r["auc"] for r in rs]
        private = t not in ("none", "untrained")
        eps = "%.2f" % mean(r["epsilon"] for r in rs) if private else "—"
        sigma = "%.2f" % mean(r["noise_multiplier"] for r in rs) if private else "—"
        lines.append("\t".join([d, t, str(len(rs)), eps, sigma, "%.4f" % mean(auc), "%.4f" % min(auc),
                                "%.4f" % max(auc), "%.4f" % mean(r["nmi"] for r in rs),
                                "%.4f" % mean(r["acc"] for r in rs), "%.0f" % mean(r["seconds"] for r in rs)]))
        table.append("| %s | %s | %s | %s | %.3f (%.3f–%.3f) | %.3f | %.3f | %.0f |" % (
            d, {"none": "none", "untrained": "initial network (control)"}.get(t, t), eps, sigma, mean(auc), min(auc), max(auc),
            mean(r["nmi"] for r in rs), mean(r["acc"] for r in rs), mean(r["seconds"] for r in rs)))
open(tsv, "w").write("\n".join(lines) + "\n")
print("\n".join(table))
print("\nseeds per row: %s" % sorted({len(v) for v in rows.values()}))

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
xs = {"1": 1, "4": 4, "8": 8, "none": 16}
for d in datasets:
    ts = [t for t in order[::-1] if (d, t) in rows and t != "untrained"]
    x = [xs[t] for t in ts]
    left.plot(x, [mean(r["auc"] for r in rows[(d, t)]) for t in ts], marker="o", label=d)
    right.plot(x, [mean(r["nmi"] for r in rows[(d, t)]) for t in ts], marker="o", label=d)
for ax, what in ((left, "membership attack AUC"), (right, "NMI on non-members")):
    ax.set_xscale("log", base=2)
    ax.set_xticks([1, 4, 8, 16])
    ax.set_xticklabels(["ε=1", "ε=4", "ε=8", "no DP"])
    ax.set_ylabel(what)
    ax.grid(alpha=0.3)
left.axhline(0.5, color="grey", lw=0.8, ls="--")
left.legend(fontsize=8)
fig.tight_layout()
fig.savefig(svg)
