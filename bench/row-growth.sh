#!/usr/bin/env bash
# How each cost grows with the number of rows, on one machine and on Spark in local[2]:
#
#   [ROUNDS=3] bench/row-growth.sh [ROWS ...]        (default: 1000000 4000000 16000000)
#
# The data: ROWS series of 16 steps (three shapes and noise, float32, an .npy of 64 bytes a row:
# 1 GB at 16M rows). The model: a small LSTM autoencoder (hidden 8, latent 4, 2 epochs, k = 3)
# trained on 10,000 such rows. For each size, wall seconds of the whole command (JVM and
# Spark start-up included); the three embeds run in turn for ROUNDS rounds (medians, and the medians
# of the per-round ratios local[1]/local[2] and local[2]/single), the others once:
#   embed      ./rnnclust embed of the .npy (streamed), -Xmx1g
#   cluster    ./rnnclust cluster of the .npy (streamed), -Xmx1g
#   kmeans     ./rnnclust kmeans --batch-size 4096 --max-iter 1 of the raw rows (read from disk), -Xmx1g
#   convert    rnnclust-spark convert of the .npy to Parquet, local[2] (each task reads its rows of the file)
#   spark-embed  rnnclust-spark embed of the Parquet table, local[2] (two tasks, one thread each)
#   spark-embed-1  the same in local[1] (one task): spark-embed-1 / spark-embed is two tasks' speed-up
# Spark runs with -Xmx4g, the engine with -Xmx1g.
# Writes bench/row-growth.tsv and the log-log plot bench/row-growth.svg (matplotlib, through
# /usr/bin/python3), and prints a Markdown table with rows per second.
set -euo pipefail
rounds="${ROUNDS:-3}"
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000000 4000000 16000000)
spark_heap=4g
source "$(dirname "$0")/spark-common.sh"
engine=(java -Xmx1g -jar "$root/target/rnnclust.jar")

make_rows() {  # rows, file: three shapes (flat, rising, a bump) with unit noise, in blocks of 1M rows
  /usr/bin/python3 - "$1" "$2" <<'PY'
import sys
import numpy as np
n, path = int(sys.argv[1]), sys.argv[2]
out = np.lib.format.open_memmap(path, mode='w+', dtype='<f4', shape=(n, 16))
rng = np.random.default_rng(n)
t = np.linspace(0, 1, 16, dtype=np.float32)
shapes = np.stack([np.zeros(16, np.float32), 4 * t, 4 * np.exp(-((t - 0.5) ** 2) / 0.02)])
for start in range(0, n, 1 << 20):
    m = min(1 << 20, n - start)
    out[start:start + m] = shapes[rng.integers(0, 3, m)] + rng.standard_normal((m, 16), dtype=np.float32)
out.flush()
PY
}

make_rows 10000 "$work/sample.npy"
"${engine[@]}" train --data "$work/sample.npy" --k 3 --representation autoencoder --refine none --hidden 8 \
  --latent 4 --epochs 2 --seed 1 --device cpu --out "$work/model" > /dev/null 2>&1
printf 'rows\tembed\tcluster\tkmeans\tconvert\tspark-embed\tspark-embed-1\tlocal1/local2\tlocal2/single\n' \
  > "$work/growth.tsv"
for n in "${sizes[@]}"; do
  make_rows "$n" "$work/x.npy"
  c=$(timed "${engine[@]}" cluster --model "$work/model" --data "$work/x.npy" --out "$work/c" --device cpu)
  k=$(timed "${engine[@]}" kmeans --data "$work/x.npy" --k 3 --batch-size 4096 --max-iter 1 --out "$work/k" --device cpu)
  v=$(timed "${spark[@]}" convert --master 'local[2]' --data "$work/x.npy" --partitions 16 --out "$work/x.parquet")
  # The three embeds in turn, ROUNDS times: medians, and the medians of the per-round ratios.
  es=() s2s=() s1s=()
  for r in $(seq "$rounds"); do
    rm -f "$work/e.npy"
    es+=("$(timed "${engine[@]}" embed --model "$work/model" --data "$work/x.npy" --out "$work/e.npy" --device cpu)")
    rm -rf "$work/se.parquet" "$work/se1.parquet"
    s2s+=("$(timed "${spark[@]}" embed --master 'local[2]' --model "$work/model" --data "$work/x.parquet" \
        --device cpu --out "$work/se.parquet")")
    s1s+=("$(timed "${spark[@]}" embed --master 'local[1]' --model "$work/model" --data "$work/x.parquet" \
        --device cpu --out "$work/se1.parquet")")
  done
  line=$(/usr/bin/python3 - "$n" "$c" "$k" "$v" "${es[*]}" "${s2s[*]}" "${s1s[*]}" <<'PY'
import statistics, sys
n, c, k, v = sys.argv[1:5]
e, s2, s1 = ([float(x) for x in a.split()] for a in sys.argv[5:8])
m = statistics.median
print('\t'.join([n, '%.2f' % m(e), c, k, v, '%.2f' % m(s2), '%.2f' % m(s1),
                 '%.3f' % m(b / a for a, b in zip(s2, s1)), '%.3f' % m(b / a for a, b in zip(e, s2))]))
PY
)
  echo "$line" | tee -a "$work/growth.tsv" >&2
  rm -rf "$work/x.npy" "$work/e.npy" "$work/c" "$work/k" "$work/x.parquet" "$work/se.parquet" "$work/se1.parquet"
done
cp "$work/growth.tsv" "$root/bench/row-growth.tsv"
/usr/bin/python3 - "$root/bench/row-growth.tsv" "$root/bench/row-growth.svg" <<'PY'
import csv, sys
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
n = [int(r['rows']) for r in rows]
fig, ax = plt.subplots(figsize=(6.4, 4.4))
for cost in ['embed', 'cluster', 'kmeans', 'convert', 'spark-embed', 'spark-embed-1']:
    ax.loglog(n, [float(r[cost]) for r in rows], marker='o', label=cost)
lo, hi = n[0], n[-1]
base = float(rows[0]['embed'])
ax.loglog([lo, hi], [base, base * hi / lo], linestyle=':', color='grey', label='linear (slope 1)')
ax.set_xlabel('rows (16 steps each)')
ax.set_ylabel('wall seconds, whole command')
ax.set_title('rnnclust: cost against rows (log-log)')
ax.legend(fontsize=8)
ax.grid(True, which='both', alpha=0.3)
fig.tight_layout()
fig.savefig(sys.argv[2], metadata={'Date': None})
costs = [c for c in rows[0] if c != 'rows' and '/' not in c]
ratios = [c for c in rows[0] if '/' in c]
print('| rows | ' + ' | '.join(costs + ratios) + ' |')
print('|---:' * (1 + len(costs) + len(ratios)) + '|')
for r in rows:
    cells = ['%.1f s (%.2f M rows/s)' % (float(r[c]), int(r['rows']) / float(r[c]) / 1e6) for c in costs]
    cells += [r[c] for c in ratios]
    print('| %s | %s |' % (f"{int(r['rows']):,}", ' | '.join(cells)))
PY
