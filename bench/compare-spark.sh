#!/usr/bin/env bash
# The Spark module's embed against single-process embed on the same rows, same machine, alternating
# rounds:
#
#   bench/compare-spark.sh [MB] [ROUNDS]     (default 64 MB, 3 rounds)
#
# The data: ci/npy_blocks.py's block of 1,024 series × 1,024 steps repeated to MB megabytes,
# converted once to Parquet (not timed). The model: two reservoirs of 100 units trained on the
# block. Each round times, wall seconds including JVM and Spark start-up:
#   single   ./rnnclust embed (the .npy, streamed, all cores)
#   spark-2  rnnclust-spark embed in local[2] (two tasks at once, one compute thread each)
#   spark-1  rnnclust-spark embed in local[1] (one task, one thread)
# and prints the medians and the median per-round ratios spark-1/spark-2 (the speed-up of two
# tasks) and spark-2/single (Spark's overhead). Spark runs from its Maven jars (the module's
# provided dependencies) with spark/jvm-options, as spark-submit would run it.
# Then training: the LSTM autoencoder (hidden 32, latent 8) on 2,048 generated series of 64 steps,
# 2 epochs of global batches of 256 (16 steps), single-process `train --representation autoencoder`
# (all cores) against rnnclust-spark train in local[2] (synchronous) and local[2] averaging,
# whole commands timed (start-up and the final k-means included). bench/RESULTS.md records it.
set -euo pipefail
mb="${1:-64}"
rounds="${2:-3}"
source "$(dirname "$0")/spark-common.sh"
python3 "$root/ci/npy_blocks.py" "$work" "$mb"
java -jar "$root/target/rnnclust.jar" train --data "$work/block.npy" --k 3 --reservoir-units 100 --members 2 \
  --seed 1 --out "$work/model" > /dev/null
"${spark[@]}" convert --master 'local[2]' --data "$work/big.npy" --partitions 8 --out "$work/big.parquet" > /dev/null 2>&1
rows=$(python3 -c "import sys; b=open(sys.argv[1],'rb').read(200); print(int(b.split(b'(')[1].split(b',')[0]))" "$work/big.npy")
# timed, once the output OUT of the last round is gone: the commands refuse to overwrite it.
timed_fresh() { rm -rf "$work/$1"; shift; timed "$@"; }
single=() s2=() s1=() speedup=() overhead=()
for r in $(seq "$rounds"); do
  a=$(timed_fresh e.npy java -jar "$root/target/rnnclust.jar" embed --model "$work/model" --data "$work/big.npy" \
      --out "$work/e.npy" --device cpu)
  b=$(timed_fresh e2.parquet "${spark[@]}" embed --master 'local[2]' --model "$work/model" --data "$work/big.parquet" \
      --device cpu --out "$work/e2.parquet")
  c=$(timed_fresh e1.parquet "${spark[@]}" embed --master 'local[1]' --model "$work/model" --data "$work/big.parquet" \
      --device cpu --out "$work/e1.parquet")
  single+=("$a") s2+=("$b") s1+=("$c")
  speedup+=("$(python3 -c "print('%.3f' % ($c / $b))")") overhead+=("$(python3 -c "print('%.3f' % ($b / $a))")")
done
# Training.
training_series "$work/train.tsv" 2048
"${spark[@]}" convert --master 'local[2]' --data "$work/train.tsv" --partitions 4 --out "$work/train.parquet" > /dev/null 2>&1
flags=(--k 3 --epochs 2 --batch 256 --hidden 32 --latent 8 --seed 1 --device cpu)
tsingle=() tsync=() tavg=()
for r in $(seq "$rounds"); do
  tsingle+=("$(timed_fresh m1 java -jar "$root/target/rnnclust.jar" train --representation autoencoder --refine none \
      --data "$work/train.tsv" "${flags[@]}" --out "$work/m1")")
  tsync+=("$(timed_fresh m2 "${spark[@]}" train --master 'local[2]' --data "$work/train.parquet" "${flags[@]}" --out "$work/m2")")
  tavg+=("$(timed_fresh m3 "${spark[@]}" train --master 'local[2]' --data "$work/train.parquet" "${flags[@]}" --mode averaging \
      --local-steps 2 --out "$work/m3")")
done
median() { python3 -c "import statistics,sys; print('%.3f' % statistics.median(float(v) for v in sys.argv[1:]))" "$@"; }
echo "embed of $rows series × 1024 steps ($(($(stat -c %s "$work/big.npy") / 1000000)) MB), $(nproc) cores, $rounds rounds:"
echo "  single process:   median $(median "${single[@]}") s"
echo "  spark local[2]:   median $(median "${s2[@]}") s"
echo "  spark local[1]:   median $(median "${s1[@]}") s"
echo "  local[1]/local[2]: median $(median "${speedup[@]}")  (per round: ${speedup[*]})"
echo "  local[2]/single:   median $(median "${overhead[@]}")  (per round: ${overhead[*]})"
echo "train, 2,048 series × 64 steps, 16 steps of 256 (whole commands):"
echo "  single process:           median $(median "${tsingle[@]}") s  (${tsingle[*]})"
echo "  spark local[2] sync:      median $(median "${tsync[@]}") s  (${tsync[*]})"
echo "  spark local[2] averaging: median $(median "${tavg[@]}") s  (${tavg[*]})"
