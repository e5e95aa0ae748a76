#!/usr/bin/env bash
# embed of an .npy larger than the JVM's heap: it must finish, and its output must hold the same
# embeddings as an in-memory embed of the same rows. Then train --sample on the same file under the
# same heap: it must finish too (the sample's rows are StreamingInputTest's concern). Last, kmeans --batch-size
# reads it from disk under that heap. The file repeats one block of 1,024 series (1,024 steps each, 4 MiB), so
# every block's embeddings must equal the block's own, and every block must get the same clusters.
#   ci/streaming-embed.sh            the CI-sized case: 600 MB under -Xmx256m (about a minute)
#   ci/streaming-embed.sh 3000 512m  3 GB under -Xmx512m (run by hand)
# Exit: 0 passed, 1 failed (one line saying why).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mb="${1:-600}"
heap="${2:-256m}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
jar="${RNNCLUST_JAR:-$root/target/rnnclust.jar}"
[[ -f $jar ]] || { echo "streaming-embed: $jar not found: build it first" >&2; exit 1; }

# One block of 1,024 series (1,024 steps) and the big file: that block repeated (ci/npy_blocks.py).
python3 "$root/ci/npy_blocks.py" "$work" "$mb"
java -jar "$jar" train --data "$work/block.npy" --k 3 --reservoir-units 20 --members 1 --seed 1 --deterministic \
    --out "$work/model" > /dev/null
java -jar "$jar" embed --model "$work/model" --data "$work/block.npy" --out "$work/block-e.npy" --deterministic > /dev/null
size=$(stat -c %s "$work/big.npy")
start=$(date +%s)
if ! java "-Xmx$heap" -jar "$jar" embed --model "$work/model" --data "$work/big.npy" --out "$work/big-e.npy" \
    --deterministic > "$work/embed.txt" 2>&1; then
  echo "streaming-embed: FAILED: embed of $((size / 1000000)) MB under -Xmx$heap: $(tail -1 "$work/embed.txt")" >&2; exit 1
fi
seconds=$(( $(date +%s) - start ))
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
def body(path):
    b = open(path, 'rb').read()
    return b[10 + int.from_bytes(b[8:10], 'little'):]
block, big = body(work + '/block-e.npy'), open(work + '/big-e.npy', 'rb')
head = big.read(10); big.read(int.from_bytes(head[8:10], 'little'))
k = 0
while True:
    chunk = big.read(len(block))
    if not chunk: break
    if chunk != block: sys.exit("streaming-embed: FAILED: block %d of the big file's embeddings differs from the block's own" % k)
    k += 1
print("streaming-embed: %d blocks of 1024 series, each embedded as the block alone" % k)
PY
echo "streaming-embed: $((size / 1000000)) MB embedded under -Xmx$heap in ${seconds} s"
start=$(date +%s)
if ! java "-Xmx$heap" -jar "$jar" train --data "$work/big.npy" --sample 2000 --k 3 --reservoir-units 20 --members 1 \
    --seed 1 --out "$work/sampled" > "$work/train.txt" 2>&1; then
  echo "streaming-embed: FAILED: train --sample 2000 of $((size / 1000000)) MB under -Xmx$heap: $(tail -1 "$work/train.txt")" >&2
  exit 1
fi
echo "streaming-embed: train --sample 2000 of $((size / 1000000)) MB under -Xmx$heap in $(( $(date +%s) - start )) s"
# Mini-batch k-means read from disk under the same heap: every repeated block must get the same clusters.
start=$(date +%s)
if ! java "-Xmx$heap" -jar "$jar" kmeans --data "$work/big.npy" --k 3 --batch-size 1024 --max-iter 3 --seed 1 \
    --out "$work/kmeans" > "$work/kmeans.txt" 2>&1; then
  echo "streaming-embed: FAILED: kmeans --batch-size 1024 of $((size / 1000000)) MB under -Xmx$heap: $(tail -1 "$work/kmeans.txt")" >&2
  exit 1
fi
python3 - "$work/kmeans/assignments.csv" <<'PY'
import sys
clusters = [line.split(',')[1] for line in open(sys.argv[1]).read().split('\n')[1:] if line]
blocks = [clusters[i:i + 1024] for i in range(0, len(clusters), 1024)]
if len(clusters) % 1024 or any(b != blocks[0] for b in blocks):
    sys.exit("streaming-embed: FAILED: kmeans gave the repeated blocks different clusters")
PY
echo "streaming-embed: kmeans --batch-size 1024 of $((size / 1000000)) MB under -Xmx$heap in $(( $(date +%s) - start )) s"
