#!/usr/bin/env bash
# The GPU machine's check, in one call: the GPU tests (parity against the CPU backend for k-means and
# every tensor op, whole training steps, rnn vs PyTorch, CPU vs GPU training, streaming, leaks, out of memory), the device-selection tests, a streaming run that the budget cuts into many
# chunks, and the GPU k-means and recurrent-layer benchmarks; prints a short table last. Runs from the carried .jre and
# gpu-carry/ (ci/prepare-gpu-carry.sh), without Maven. Results also go to $OUT (or out/gpu-check).
#   ci/gpu-check.sh            everything (not yet run whole; on the H100 the tests took 12 s,
#                              the streaming run 9-12 s, one bench set about 20 s)
#   ci/gpu-check.sh --quick    tests only
# Exit: 0 all passed, 1 a test or step failed, 3 no GPU here (one line saying why).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
quick=${1:-}
out="${OUT:-$root/out/gpu-check}"
mkdir -p "$out"
source ci/gpu-env.sh
if [[ -z $java || ! -f gpu-carry/rnnclust-classes.jar ]]; then
  echo "gpu-check: no Java runtime or no gpu-carry/: run ci/prepare-gpu-carry.sh and carry .jre and gpu-carry" >&2; exit 1
fi
run() { "$java" -Xmx40g -cp "$cp" org.rnnclust.cli.Main "$@"; }

run info | tee "$out/info.txt"
if [[ ${GPU_CHECK_DRY_RUN:-} == 1 ]]; then echo "(dry run: tests and benchmarks even without a GPU)" && sed -i "s/^CUDA       unavailable/CUDA-dry   unavailable/" "$out/info.txt"; fi
if grep -q "^CUDA       unavailable" "$out/info.txt"; then
  echo "no GPU: $(grep '^CUDA       unavailable' "$out/info.txt" | sed 's/^CUDA       unavailable: //')"; exit 3
fi

status=0
# The tests tagged "gpu" (@Tag("gpu"): the CUDA backend's and every CPU-vs-GPU parity test), found by
# scanning the test jar; the carried runtime has jdk.zipfs, which reading inside a jar needs.
"$java" -Xmx16g -Drnnclust.shared.data=../shared/data -jar gpu-carry/junit-platform-console-standalone.jar execute \
    --class-path "gpu-carry/rnnclust-tests.jar:$cp" --scan-class-path gpu-carry/rnnclust-tests.jar --include-tag gpu \
    --details=tree --disable-banner --disable-ansi-colors 2>&1 | tee "$out/tests.txt" || status=1
tests=$(grep -E "tests (successful|failed|skipped|aborted)" "$out/tests.txt" | sed 's/^\[ *//; s/ *\]$//' | tr -s ' ' | paste -sd, -)

if [[ $quick != --quick ]]; then
  # Streaming: 20M x 32 (2.4 GiB) through a 256 MiB budget.
  run bench --device cuda --max-device-memory 256M --kmeans 20000000,32,100 --warmup 1 --repeat 3 \
      --json "$out/streaming.json" | tee "$out/streaming.txt" || status=1
  run bench --device cuda --warmup 3 --repeat 10 --json "$out/bench.json" | tee "$out/bench.txt" || status=1
  run bench --device cuda --precision tf32 --warmup 3 --repeat 10 --json "$out/bench-tf32.json" \
      | tee "$out/bench-tf32.txt" || status=1
  # The recurrent layers' two forward paths side by side at the persistent kernel's anchor shapes
  # (backend/cuda/PersistentRnn's rule is an estimate until these are measured).
  for mode in stepwise persistent; do
    "$java" -Xmx40g -Drnnclust.cuda.rnn=$mode -cp "$cp" org.rnnclust.cli.Main bench --device cuda \
        --rnn lstm:256,28,28,128 lstm:64,256,1,256 lstm:32,1000,3,64 lstm:512,50,40,256 gru:256,28,28,128 \
        --warmup 3 --repeat 10 --json "$out/rnn-$mode.json" | tee "$out/rnn-$mode.txt" || status=1
  done
fi

echo
echo "== gpu-check summary ($(grep '^GPU' "$out/info.txt" | head -1 | sed 's/^GPU *//'))"
echo "tests: ${tests:-none run}"
if [[ $quick != --quick ]]; then
  python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
print(f"{'run':<14} {'operation':<18} {'N,D,K / B,T,I,H':<18} {'median ms':>10} {'floor ms':>9} {'floor/t':>8} {'GB/s of points':>15}")
for name in ('bench', 'bench-tf32', 'streaming', 'rnn-stepwise', 'rnn-persistent'):
    p = os.path.join(out, name + '.json')
    if not os.path.exists(p): continue
    for r in json.load(open(p))['results']:
        if 'n' in r:
            shape = f"{r['n']},{r['d']},{r['k']}"
            gbs = f"{r['n'] * r['d'] * 4 / (r['median_ms'] / 1e3) / 1e9:>15.1f}"
        else:  # a recurrent layer: batch, steps, input, hidden
            shape = f"{r['batch']},{r['steps']},{r['input']},{r['hidden']}"
            gbs = f"{'':>15}"
        print(f"{name:<14} {r['operation']:<18} {shape:<18} "
              f"{r['median_ms']:>10.2f} {r['floor_ms']:>9.2f} {r['floor_ratio']:>8.2f} {gbs}")
PY
fi
exit $status
