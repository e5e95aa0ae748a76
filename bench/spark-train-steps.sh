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
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${ROUNDS:-2}"
batches=("$@")
[[ ${#batches[@]} -gt 0 ]] || batches=(256 1024 4096)
[[ -f $root/target/rnnclust.jar && -f $root/spark/target/rnnclust-spark.jar ]] \
  || (cd "$root" && mvn -q -B package -DskipTests)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$root" && mvn -q -B -o -pl spark dependency:build-classpath -Dmdep.includeScope=provided \
  -Dmdep.outputFile="$work/spark-cp.txt" > /dev/null)
mapfile -t opens < "$root/spark/jvm-options"
spark=(java -Xmx4g "${opens[@]}" -cp "$root/spark/target/rnnclust-spark.jar:$(cat "$work/spark-cp.txt")"
       org.rnnclust.spark.cli.Main)
timed() { /usr/bin/time -f %e -o "$work/t" "$@" > /dev/null 2> "$work/err" || { tail -3 "$work/err" >&2; exit 1; }
  cat "$work/t"; }
python3 - "$work/train.tsv" <<'PY'
import math, random, sys
random.seed(1)
with open(sys.argv[1], 'w') as f:
    for i in range(16384):
        c = i % 3
        f.write(str(c + 1) + ''.join('\t%.5f' % (math.sin(t * (0.1 + 0.15 * c) + random.random()) + 0.1 * random.random())
                                     for t in range(64)) + '\n')
PY
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
