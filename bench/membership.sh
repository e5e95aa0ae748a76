#!/usr/bin/env bash
# Membership inference against the recurrent autoencoder, without and with DP-SGD:
#
#   bench/membership.sh [DATA_DIR] [SEEDS]     (a folder with ECG200/, ItalyPowerDemand/, MNIST/; 3 seeds)
#
# For each dataset and seed (org.rnnclust.eval.MembershipAttack): 100 sequences drawn from the
# whole set are the members, up to 1000 others the non-members; an LSTM autoencoder (bidirectional
# encoder, hidden 32, latent 16, batches of 10, Adam 3e-3, 400 epochs, no early stopping, no
# refinement) trains on the members, the attack scores each sequence's reconstruction loss (low:
# "member") and reports its AUC; k-means of the embeddings is scored (NMI, ACC) on the
# non-members. Without privacy, then with DP-SGD at target epsilon 8, 4 and 1 (delta 1e-3, below
# 1/100; clipping norm 1; sigma calibrated to spend the target over the 400 epochs), and as a control
# the initial network, which learned nothing: its AUC is what the split alone gives. A small
# training set trained long is what makes the network overfit: the setting where the attack works.
# A finished dataset and seed (its .json) is not run again: delete bench/membership/ to start over.
# Datasets: MNIST's test images read as 28 rows of 28 pixels (scaled by 1/255, not normalised:
# min-max statistics of 100 images leave border columns without range), ItalyPowerDemand and
# ECG200 (TRAIN and TEST joined, each series z-normalised).
# Writes bench/membership/*.json, bench/membership.tsv and bench/membership.svg (matplotlib, through
# /usr/bin/python3), and prints the Markdown table of bench/RESULTS.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
data="${1:-../shared/data}"
seeds="${2:-3}"
jar="${JAR:-$root/target/rnnclust.jar}"  # JAR=...: a copy, safe from rebuilds during the run
[[ -f "$jar" ]] || (cd "$root" && mvn -q -B package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true)
out="$root/bench/membership"
mkdir -p "$out"
common=(members=100 others=1000 epochs=400 hidden=32 latent=16 batch=10 lr=3e-3 clip=1 delta=1e-3
        epsilons=untrained/none/8/4/1)
run() {  # name, seed, data spec, extra settings...
  local name=$1 seed=$2 spec=$3
  shift 3
  [[ -f "$out/$name-s$seed.json" ]] && return 0
  java -Xmx4g -cp "$jar" org.rnnclust.eval.MembershipAttack "$out/$name-s$seed.json" "$spec" "${common[@]}" \
    seed="$seed" "$@" 2>&1 | grep -v ' INFO ' || true
  [[ -f "$out/$name-s$seed.json" ]] || { echo "membership: $name seed $seed failed" >&2; exit 1; }
}
ucr() { echo "$data/$1/$1_TRAIN.tsv.gz+$data/$1/$1_TEST.tsv.gz"; }
for ((s = 0; s < seeds; s++)); do
  run ItalyPowerDemand "$s" "$(ucr ItalyPowerDemand)"
  run ECG200 "$s" "$(ucr ECG200)"
  run MNIST "$s" "$data/MNIST/t10k-images-idx3-ubyte.gz" labels="$data/MNIST/t10k-labels-idx1-ubyte.gz" \
    normalize=none scale=0.003921569
done
/usr/bin/python3 "$root/bench/membership_table.py" "$out" "$root/bench/membership.tsv" "$root/bench/membership.svg"
