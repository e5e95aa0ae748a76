#!/usr/bin/env bash
# embed's throughput when it streams an .npy in chunks against the same file embedded as one chunk
# (the whole file in memory, as the in-memory path reads it), same machine, alternating rounds:
#
#   bench/compare-streaming.sh [MB] [ROUNDS]     (default 200 MB, 5 rounds)
#
# The data: ci/npy_blocks.py's block of 1,024 series × 1,024 steps, repeated to MB megabytes; the
# model: a reservoir of 20 units (one member) trained on the block, so that reading and writing
# weigh as much as they can against the embedding. Each round times both commands once (wall
# seconds, /usr/bin/time); the figures are the medians over the rounds and the median of the
# per-round ratios (streamed / whole: above 1, streaming is slower). bench/RESULTS.md records it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mb="${1:-200}"
rounds="${2:-5}"
jar="${RNNCLUST_JAR:-$root/target/rnnclust.jar}"
[[ -f $jar ]] || (cd "$root" && mvn -q -B package -DskipTests)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$root/ci/npy_blocks.py" "$work" "$mb"
java -jar "$jar" train --data "$work/block.npy" --k 3 --reservoir-units 20 --members 1 --seed 1 --out "$work/model" \
    > /dev/null
rows=$(python3 -c "import sys; b=open(sys.argv[1],'rb').read(200); print(int(b.split(b'(')[1].split(b',')[0]))" "$work/big.npy")
timed() { /usr/bin/time -f %e -o "$work/t" java -jar "$jar" embed --model "$work/model" --data "$work/big.npy" \
    --out "$work/e.npy" --device cpu "$@" > /dev/null; cat "$work/t"; }
streamed=() whole=() ratios=()
for r in $(seq "$rounds"); do
  s=$(timed --chunk-rows 0)
  w=$(timed --chunk-rows "$rows")
  streamed+=("$s") whole+=("$w") ratios+=("$(python3 -c "print($s / $w)")")
done
median() { python3 -c "import statistics,sys; print('%.3f' % statistics.median(float(v) for v in sys.argv[1:]))" "$@"; }
echo "embed of $((rows)) series × 1024 steps ($(($(stat -c %s "$work/big.npy") / 1000000)) MB), $rounds rounds:"
echo "  streamed (automatic chunks): median $(median "${streamed[@]}") s"
echo "  one chunk (whole file):      median $(median "${whole[@]}") s"
echo "  streamed / whole:            median $(median "${ratios[@]}")  (per round: ${ratios[*]})"
