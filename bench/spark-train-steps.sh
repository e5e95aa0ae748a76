#!/usr/bin/env bash
# Synchronous data-parallel training on Spark (local[2]) against single-process training: the cost
# of one step at several global batch sizes.
#
#   [ROUNDS=2] bench/spark-train-steps.sh [BATCH ...]      (default: 256 1024 4096)
#
# The data: 16,384 generated series of 64 steps (three classes), converted once to Parquet. The
# model: the LSTM autoencoder (hidden 32, latent 8). A whole command's wall time includes the JVM's
# and Spark's start-up and the final k-means, so each setting runs for 1 and for 3 epochs, and an
# epoch's time is half their difference: steps/s = 16384 / BATCH / (that time). The settings run in
# turn for ROUNDS rounds; medians.
set -euo pipefail
rounds="${ROUNDS:-2}"
batches=("$@")
[[ ${#batches[@]} -gt 0 ]] || batches=(256 1024 4096)
spark_heap=4g
source "$(dirname "$0")/spark-common.sh"
training_series "$work/train.tsv" 16384
"${spark[@]}" convert --master 'local[2]' --data "$work/train.tsv" --partitions 4 --out "$work/train.parquet" > /dev/null 2>&1
flags=(--k 3 --hidden 32 --latent 8 --seed 1 --device cpu)
printf 'batch\tsingle_epoch_s\tspark_epoch_s\tsingle_steps_per_s\tspark_steps_per_s\n'
for b in "${batches[@]}"; do
  s1=() s3=() p1=() p3=()
  for r in $(seq "$rounds"); do
    for e in 1 3; do
      rm -rf "$work/m" "$work/p"
      t=$(timed java -jar "$root/target/rnnclust.jar" train --representation autoencoder --refine none \
          --data "$work/train.tsv" "${flags[@]}" --epochs "$e" --batch "$b" --out "$work/m")
      if [[ $e == 1 ]]; then s1+=("$t"); else s3+=("$t"); fi
      t=$(timed "${spark[@]}" train --master 'local[2]' --data "$work/train.parquet" "${flags[@]}" --epochs "$e" \
          --batch "$b" --out "$work/p")
      if [[ $e == 1 ]]; then p1+=("$t"); else p3+=("$t"); fi
    done
  done
  python3 - "$b" "${s1[*]}" "${s3[*]}" "${p1[*]}" "${p3[*]}" <<'PY'
import statistics, sys
b = int(sys.argv[1])
s1, s3, p1, p3 = ([float(x) for x in a.split()] for a in sys.argv[2:6])
m = statistics.median
single = (m(s3) - m(s1)) / 2
spark = (m(p3) - m(p1)) / 2
steps = 16384 / b
print('%d\t%.2f\t%.2f\t%.2f\t%.2f' % (b, single, spark, steps / single, steps / spark))
PY
done
