#!/usr/bin/env bash
# rnn (autoencoder + k-means) vs rnn-dec vs rnn-idec vs raw k-means on UCR sets, the published
# protocol: fit on TRAIN without labels, assign TEST, score TEST. `rnn` is the k-means assignment
# before refinement (metrics.json's before_refine) of the same pretrained model, so the three rnn
# rows differ only by the refinement.
#   bench/compare-refine.sh [DATA_DIR] [SEEDS] [DATASET ...]
# Prints one row per dataset with the NMI mean over seeds (and ACC), then the mean over datasets.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-../shared/data}
seeds=${2:-3}
shift $(( $# > 2 ? 2 : $# ))
sets=("$@")
[ ${#sets[@]} -eq 0 ] && sets=(CBF SyntheticControl Trace GunPoint ECG200 TwoLeadECG)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for ds in "${sets[@]}"; do
  tr="$data/$ds/${ds}_TRAIN.tsv.gz"; te="$data/$ds/${ds}_TEST.tsv.gz"
  for s in $(seq 1 "$seeds"); do
    ./rnnclust kmeans --data "$tr" --test "$te" --seed "$s" --out "$out/$ds-kmeans-$s" > /dev/null
    for m in dec idec; do
      ./rnnclust train --representation autoencoder --data "$tr" --test "$te" --seed "$s" --refine "$m" --out "$out/$ds-$m-$s" > /dev/null 2>&1
    done
  done
done
/usr/bin/python3 - "$out" "$seeds" "${sets[@]}" <<'PY'
import json, sys, statistics as st
out, seeds, sets = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def m(ds, run, s): return json.load(open(f"{out}/{ds}-{run}-{s}/metrics.json"))
cols = ["kmeans", "rnn", "rnn-dec", "rnn-idec"]
print("| dataset | " + " | ".join(f"{c} NMI (ACC)" for c in cols) + " | rnn-dec s | rnn-idec s |")
print("|---" * (len(cols) + 3) + "|")
means = {c: [] for c in cols}
for ds in sets:
    row = {}
    for c in cols:
        nmi, acc = [], []
        for s in range(1, seeds + 1):
            if c == "kmeans": r = m(ds, "kmeans", s)
            elif c == "rnn": r = m(ds, "dec", s)["before_refine"]
            else: r = m(ds, c[4:], s)
            nmi.append(r["nmi"]); acc.append(r["acc"])
        row[c] = (st.mean(nmi), st.mean(acc)); means[c].append(st.mean(nmi))
    secs = [st.mean(m(ds, x, s)["seconds"] for s in range(1, seeds + 1)) for x in ("dec", "idec")]
    print(f"| {ds} | " + " | ".join(f"{row[c][0]:.3f} ({row[c][1]:.3f})" for c in cols)
          + f" | {secs[0]:.1f} | {secs[1]:.1f} |")
print("| mean | " + " | ".join(f"{st.mean(means[c]):.3f}" for c in cols) + " | | |")
PY
