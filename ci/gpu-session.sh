#!/usr/bin/env bash
# Everything a lent GPU machine is asked to check, in one call (device time is 15 minutes a
# session, and a machine takes a minute or more to start): each step under its own time limit,
# so that a hang or a crash in one still leaves time and a log for the others.
#   1. ci/gpu-check.sh --quick       the GPU tests (parity with the CPU backend, PyTorch fixtures,
#                                    leaks, out of memory)
#   2. bench/compare-gpu.sh          k-means iteration and LSTM/GRU layers vs PyTorch/cuDNN, same call
#   3. the README's MNIST preset     on the GPU, timed (needs gpu-carry/data/MNIST)
# Steps are picked with STEPS (default "tests compare mnist"); limits in seconds with
# TESTS_S, COMPARE_S, MNIST_S. Logs go to $OUT as one tarball plus the summaries (the device
# returns at most 8 files).
# Usage (device run, carry [".jre","gpu-carry"]):  ci/gpu-session.sh
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
final="${OUT:-$root/out/gpu-session}"
mkdir -p "$final"
logs=$(mktemp -d)
steps=" ${STEPS:-tests compare mnist} "
status=0
step() {  # step NAME LIMIT COMMAND...: runs it, its output to the console and to $logs/NAME.log
  local name=$1 limit=$2; shift 2
  echo "== $name (limit ${limit}s) $(date -u +%T)"
  local t0=$SECONDS
  OUT="$logs/$name" timeout -k 10 "$limit" "$@" 2>&1 | tee "$logs/$name.log"
  local rc=${PIPESTATUS[0]}
  echo "== $name: exit $rc after $((SECONDS - t0)) s"
  echo "$name exit $rc $((SECONDS - t0))s" >>"$logs/steps.txt"
  ((rc == 0)) || status=1
}
nvidia-smi --query-gpu=name,memory.total,memory.used,driver_version --format=csv,noheader 2>&1 | tee "$logs/gpu.txt"

[[ $steps == *" tests "* ]] && step tests "${TESTS_S:-240}" ci/gpu-check.sh --quick
[[ $steps == *" compare "* ]] && step compare "${COMPARE_S:-150}" bench/compare-gpu.sh
if [[ $steps == *" mnist "* ]]; then
  if [[ -f gpu-carry/data/MNIST/t10k-images-idx3-ubyte.gz ]]; then
    for d in /usr/local/cuda/targets/x86_64-linux/lib /usr/local/cuda-13.0/targets/x86_64-linux/lib; do
      [[ -d $d ]] && export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    done
    cp="gpu-carry/rnnclust-classes.jar:$(ls gpu-carry/lib/*.jar | paste -sd: -)"
    # The README's MNIST preset, seed 1, unchanged but for the device.
    step mnist "${MNIST_S:-120}" .jre/bin/java -Xmx16g -cp "$cp" org.rnnclust.cli.Main train --device cuda \
        --data gpu-carry/data/MNIST/t10k-images-idx3-ubyte.gz --labels gpu-carry/data/MNIST/t10k-labels-idx1-ubyte.gz \
        --normalize minmax --bidirectional --hidden 128 --latent 10 --epochs 60 --batch 256 --lr 3e-3 \
        --refine idec --refine-epochs 40 --update-interval 140 --seed "${MNIST_SEED:-1}" --out "$logs/mnist-model"
  else
    echo "== mnist: skipped (no gpu-carry/data/MNIST: ci/prepare-gpu-carry.sh copies it from ../shared/data)"
  fi
fi

rm -rf "$logs/mnist-model/checkpoints"
tar czf "$final/logs.tgz" -C "$logs" .
cp "$logs/steps.txt" "$final/" 2>/dev/null
echo
echo "== gpu-session: $(cat "$logs/gpu.txt")"
cat "$logs/steps.txt" 2>/dev/null
exit $status
