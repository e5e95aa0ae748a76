#!/usr/bin/env bash
# The persistent LSTM/GRU kernels' GPU check (kernels/rnn_persist.cu, backend/cuda/PersistentRnn),
# in one short call on a lent GPU machine, each step under its own time limit:
#   1. tests     PersistentRnnCudaTest (persistent vs per-step CUDA vs CPU: outputs and every
#                gradient at the anchor shapes and odd ones), CudaTensorOpsTest and
#                RecurrentStackPyTorchCudaTest run with -Drnnclust.cuda.rnn=auto (so they take the
#                persistent path where the rule prefers it, against the CPU and PyTorch's fixtures)
#   2. racecheck compute-sanitizer racecheck and synccheck over a forward + backward of small
#                shapes forced onto the persistent kernels (shared-memory hazards, barriers)
#   3. timing    `bench --rnn` at the anchor shapes, stepwise then persistent, on the same machine:
#                the numbers the shape rule (PersistentRnn.PREFERRED_BLOCK_STEP_LOADS) should follow
# Usage: ci/prepare-gpu-carry.sh here, then on the device (carry [".jre","gpu-carry"]):
#   ci/persist-gpu-check.sh            logs to $OUT (or out/persist-gpu-check)
# Exit: 0 all passed, 1 a step failed, 3 no GPU.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${OUT:-$root/out/persist-gpu-check}"
mkdir -p "$out"
source ci/gpu-env.sh
if [[ -z $java || ! -f gpu-carry/rnnclust-classes.jar ]]; then
  echo "persist-gpu-check: no Java runtime or no gpu-carry/: run ci/prepare-gpu-carry.sh and carry .jre and gpu-carry" >&2
  exit 1
fi
"$java" -cp "$cp" org.rnnclust.cli.Main info > "$out/info.txt" 2>&1
if grep -q "^CUDA       unavailable" "$out/info.txt"; then echo "no GPU: $(grep '^CUDA' "$out/info.txt")"; exit 3; fi
status=0
step() {  # step NAME LIMIT COMMAND...
  local name=$1 limit=$2
  shift 2
  echo "== $name"
  timeout -k 10 "$limit" "$@" 2>&1 | tee "$out/$name.log"
  local rc=${PIPESTATUS[0]}
  [[ $rc == 0 ]] || { echo "== $name: exit $rc"; status=1; }
}

step tests 300 "$java" -Xmx16g -Drnnclust.cuda.rnn=auto -jar gpu-carry/junit-platform-console-standalone.jar execute \
    --class-path "gpu-carry/rnnclust-tests.jar:$cp" \
    --select-class org.rnnclust.backend.cuda.PersistentRnnCudaTest \
    --select-class org.rnnclust.backend.cuda.CudaTensorOpsTest \
    --select-class org.rnnclust.nn.RecurrentStackPyTorchCudaTest \
    --details=tree --disable-banner --disable-ansi-colors

rnn_small=(--rnn lstm:37,9,5,7 gru:37,9,5,7 lstm:70,12,4,300 gru:32,20,3,64 --warmup 0 --repeat 1)
for tool in racecheck synccheck; do
  step "$tool" 120 compute-sanitizer --tool "$tool" --target-processes all --print-limit 10 --error-exitcode 9 \
      "$java" -Xmx8g -Drnnclust.cuda.rnn=persistent -cp "$cp" org.rnnclust.cli.Main bench --device cuda "${rnn_small[@]}"
done

anchors=(--rnn lstm:256,28,28,128 lstm:64,256,1,256 lstm:32,1000,3,64 lstm:512,50,40,256 gru:256,28,28,128)
for mode in stepwise persistent; do
  step "bench-$mode" 150 "$java" -Xmx16g -Drnnclust.cuda.rnn=$mode -cp "$cp" org.rnnclust.cli.Main bench \
      --device cuda "${anchors[@]}" --warmup 3 --repeat 10 --json "$out/bench-$mode.json"
done
echo "== persist-gpu-check: $([[ $status == 0 ]] && echo passed || echo FAILED) ($(grep '^GPU' "$out/info.txt" | head -1))"
exit $status
