#!/usr/bin/env bash
# Everything a lent GPU machine is asked to check, in one call (device time is 15 minutes a
# session, and a machine takes a minute or more to start): each step under its own time limit,
# so that a hang or a crash in one still leaves time and a log for the others.
#   1. ci/gpu-check.sh --quick       the GPU tests (parity with the CPU backend, PyTorch fixtures,
#                                    leaks, out of memory)
#   2. bench/compare-gpu.sh          k-means iteration and LSTM/GRU layers vs PyTorch/cuDNN at every
#                                    anchor shape, FP32 and TF32, alternating rounds, same call
#      fit                           the end-to-end k-means fit (seeding + iterations, metrics.json's
#                                    seconds) at 1M x 64, K 1024: --n-init 1 and the default, against
#                                    PyTorch Lloyd from random starts (bench/torch_kmeans_fit.py), and
#                                    --n-init 1 with the loop's state on the host (kmeansLoop=host)
#   3. baseline                      the same comparison with the first k-means design (GEMM then
#                                    argmin), for the fused kernel's side-by-side ratio
#   4. streaming                     k-means at 20M x 32 through a 256 MiB device budget
#   5. sanitize                      compute-sanitizer memcheck over a small training run and a fit
#   6. profile                       Nsight Compute kernel times: LSTM forward, k-means kernels
#      persist                       ci/persist-gpu-check.sh: the persistent LSTM/GRU kernels' tests,
#                                    racecheck and timings (not a default step: about 6 minutes)
#      bidir                         a bidirectional layer's directions on two streams
#                                    (-Drnnclust.cuda.bidirectional=concurrent): CudaConcurrentDirectionsTest,
#                                    then training epochs of a bidirectional autoencoder timed serial
#                                    and concurrent side by side (not a default step: about 2 minutes)
#      resident                      training epochs with the training set resident on the device
#                                    (-Drnnclust.cuda.residentData=true) and uploaded per batch, side
#                                    by side (not a default step: about a minute)
#      stride0                       training epochs with the decoder's input read at stride 0
#                                    (-Drnnclust.cuda.decoderInput=stride0) and copied T times, side
#                                    by side (not a default step: about a minute)
#   7. the MNIST preset              of docs/results.md on the GPU, timed, seeds MNIST_SEEDS (default 1; needs
#                                    gpu-carry/data/MNIST)
# Steps are picked with STEPS (default "tests compare fit baseline streaming mnist", in order of
# priority); each step's limit in seconds with TESTS_S, COMPARE_S (also baseline), FIT_S,
# STREAMING_S, SANITIZE_S, PROFILE_S, MNIST_S, PERSIST_S, BIDIR_S, RESIDENT_S, STRIDE0_S.
# Logs go to $OUT as one tarball (rewritten after every step) and steps.txt: the device returns at
# most 8 files.
# Usage (device run, carry [".jre","gpu-carry"]):  ci/gpu-session.sh
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
final="${OUT:-$root/out/gpu-session}"
mkdir -p "$final"
logs=$(mktemp -d)
steps=" ${STEPS:-tests compare fit baseline streaming mnist} "
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
  # After every step, so that a call cut off by its time limit still returns what ran.
  tar czf "$final/logs.tgz" --exclude='*/checkpoints' --exclude='*.rnnclust' -C "$logs" .
}
nvidia-smi --query-gpu=name,memory.total,memory.used,driver_version --format=csv,noheader 2>&1 | tee "$logs/gpu.txt"

source ci/gpu-env.sh

[[ $steps == *" tests "* ]] && step tests "${TESTS_S:-240}" ci/gpu-check.sh --quick
[[ $steps == *" compare "* ]] && step compare "${COMPARE_S:-300}" bench/compare-gpu.sh
if [[ $steps == *" fit "* ]]; then
  python3 -c "import numpy as np; np.save('gpu-carry/fit.npy', np.random.default_rng(0).standard_normal((1000000, 64), dtype=np.float32))"
  fit() {  # the fit of rnnclust then PyTorch's, for each n-init, rnnclust's seconds from metrics.json
    for ninit in 1 10; do
      "$java" -Xmx16g -cp "$cp" org.rnnclust.cli.Main kmeans --device cuda --data gpu-carry/fit.npy --k 1024 \
          --n-init "$ninit" --seed 1 --out "$logs/fit-$ninit" >/dev/null || return 1
      python3 -c "import json, sys; m = json.load(open(sys.argv[1])); print('rnnclust n_init', m['n_init'], 'fit', m['seconds'], 's, iterations', m['iterations'], 'inertia', m['inertia'])" "$logs/fit-$ninit/metrics.json"
      python3 bench/torch_kmeans_fit.py gpu-carry/fit.npy 1024 --n-init "$ninit" || return 1
    done
    # The same fit with seeding and the Lloyd state on the host, as before they moved to the device.
    "$java" -Xmx16g -Drnnclust.cuda.kmeansLoop=host -cp "$cp" org.rnnclust.cli.Main kmeans --device cuda \
        --data gpu-carry/fit.npy --k 1024 --n-init 1 --seed 1 --out "$logs/fit-host-1" >/dev/null || return 1
    python3 -c "import json, sys; m = json.load(open(sys.argv[1])); print('rnnclust host loop n_init', m['n_init'], 'fit', m['seconds'], 's, iterations', m['iterations'], 'inertia', m['inertia'])" "$logs/fit-host-1/metrics.json"
  }
  # (timeout runs programs, not functions: the function goes to a child bash with what it reads)
  export -f fit; export java cp logs
  step fit "${FIT_S:-240}" bash -c fit
fi
# The same comparison with the first k-means design (cuBLAS GEMM then argmin), in the same call,
# for the side-by-side ratio of the fused kernel.
[[ $steps == *" baseline "* ]] && RNNCLUST_JAVA_OPTS="-Drnnclust.cuda.kmeans=gemm" \
    step baseline "${COMPARE_S:-150}" bench/compare-gpu.sh
# Streaming: 20M x 32 (2.4 GiB) through a 256 MiB device budget.
# The persistent LSTM/GRU kernels' own check (tests with the shape rule on, racecheck, stepwise
# against persistent timings): not in the default steps, its 6 minutes are a session of their own.
[[ $steps == *" persist "* ]] && step persist "${PERSIST_S:-420}" ci/persist-gpu-check.sh
# A bidirectional layer's two directions on two streams: the test (concurrent against serial, bit
# for bit on the per-step path), then whole training epochs of a bidirectional encoder (CBF, 900 x
# 128 steps, H 128, batch 256) with the two modes alternating, on the same machine, for the ratio
# the default (serial until measured) should follow.
if [[ $steps == *" bidir "* ]]; then
  step bidir-test "${BIDIR_S:-120}" "$java" -Xmx16g -jar gpu-carry/junit-platform-console-standalone.jar execute \
      --class-path "gpu-carry/rnnclust-tests.jar:$cp" \
      --select-class org.rnnclust.backend.cuda.CudaConcurrentDirectionsTest \
      --details=tree --disable-banner --disable-ansi-colors
  for round in 1 2; do
    for mode in serial concurrent; do
      for cell in lstm gru; do
        step "bidir-$cell-$mode-$round" "${BIDIR_S:-120}" "$java" -Xmx16g -Drnnclust.cuda.bidirectional=$mode \
            -cp "$cp" org.rnnclust.cli.Main bench --device cuda --train-epoch cbf --cell "$cell" --bidirectional \
            --hidden 128 --batch 256 --warmup 2 --repeat 5 --json "$logs/bidir-$cell-$mode-$round.json"
      done
    done
  done
fi
# The training set resident on the device against a batch uploaded per step: training epochs of
# the default autoencoder on CBF (900 x 128), batch 64 (more batches, more uploads), alternating.
# ResidentDataCudaTest, its correctness check, runs in the tests step with the other gpu tests.
if [[ $steps == *" resident "* ]]; then
  for round in 1 2; do
    for resident in false true; do
      step "resident-$resident-$round" "${RESIDENT_S:-90}" "$java" -Xmx16g -Drnnclust.cuda.residentData=$resident \
          -cp "$cp" org.rnnclust.cli.Main bench --device cuda --train-epoch cbf --batch 64 --warmup 2 --repeat 5 \
          --json "$logs/resident-$resident-$round.json"
    done
  done
fi
# The decoder's input read at stride 0 against T copies: training epochs of the default autoencoder
# on CBF (900 x 128 steps: 128 copies of each batch's embedding) at H 128, batch 256, alternating.
# SequenceAutoencoderStride0CudaTest, its correctness check, runs in the tests step.
if [[ $steps == *" stride0 "* ]]; then
  for round in 1 2; do
    for mode in repeat stride0; do
      step "stride0-$mode-$round" "${STRIDE0_S:-90}" "$java" -Xmx16g -Drnnclust.cuda.decoderInput=$mode \
          -cp "$cp" org.rnnclust.cli.Main bench --device cuda --train-epoch cbf --hidden 128 --batch 256 \
          --warmup 2 --repeat 5 --json "$logs/stride0-$mode-$round.json"
    done
  done
fi
[[ $steps == *" streaming "* ]] && step streaming "${STREAMING_S:-120}" "$java" -Xmx40g -cp "$cp" \
    org.rnnclust.cli.Main bench --device cuda --max-device-memory 256M --kmeans 20000000,32,100 --warmup 1 --repeat 3
# compute-sanitizer's memcheck over every kernel a small training run (2-layer bidirectional LSTM
# and GRU with IDEC, odd sizes) and a k-means fit launch: out-of-bounds and misaligned accesses.
if [[ $steps == *" sanitize "* ]]; then
  python3 - gpu-carry/odd.tsv <<'PY'
import random, sys
random.seed(1)
with open(sys.argv[1], "w") as f:
    for i in range(37):
        f.write("\t".join([str(i % 3 + 1)] + [f"{random.gauss(i % 3, 1):.4f}" for _ in range(23)]) + "\n")
PY
  san=(compute-sanitizer --tool memcheck --target-processes all --print-limit 10 --error-exitcode 9)
  for cell in lstm gru; do
    step "sanitize-$cell" "${SANITIZE_S:-90}" "${san[@]}" "$java" -Xmx8g -cp "$cp" org.rnnclust.cli.Main train \
        --device cuda --data gpu-carry/odd.tsv --cell "$cell" --layers 2 --bidirectional --hidden 19 --latent 5 \
        --batch 16 --epochs 2 --refine idec --refine-epochs 2 --out "$logs/sanitize-$cell"
  done
  step sanitize-kmeans "${SANITIZE_S:-90}" "${san[@]}" "$java" -Xmx8g -cp "$cp" org.rnnclust.cli.Main kmeans \
      --device cuda --data gpu-carry/odd.tsv --k 5 --out "$logs/sanitize-kmeans"
fi
# Nsight Compute's per-kernel times (no clock control, as METHOD.md asks) of one LSTM forward at
# 256,28,28,128 (where cuDNN is ahead; skipping 80 launches is meant to pass the peak measurement
# and a warm-up forward, not yet checked; 400 landed in the training steps) and of the k-means
# kernels at 4M,128,256.
if [[ $steps == *" profile "* ]]; then
  step profile-lstm "${PROFILE_S:-90}" ncu --clock-control none --target-processes all --launch-skip 80 --launch-count 60 \
      --metrics gpu__time_duration.sum,sm__throughput.avg.pct_of_peak_sustained_elapsed \
      "$java" -cp "$cp" org.rnnclust.cli.Main bench --device cuda --rnn lstm:256,28,28,128 --warmup 2 --repeat 3
  step profile-kmeans "${PROFILE_S:-90}" ncu --clock-control none --target-processes all -k regex:'nearestCentroids|clusterSums' \
      --launch-count 4 --section SpeedOfLight --section Occupancy \
      "$java" -Xmx16g -cp "$cp" org.rnnclust.cli.Main bench --device cuda --kmeans 4000000,128,256 --warmup 1 --repeat 1
fi
if [[ $steps == *" mnist "* ]]; then
  if [[ -f gpu-carry/data/MNIST/t10k-images-idx3-ubyte.gz ]]; then
    # The MNIST preset of docs/results.md, unchanged but for the device, for each seed of MNIST_SEEDS.
    for seed in ${MNIST_SEEDS:-1}; do
      step "mnist-$seed" "${MNIST_S:-120}" "$java" -Xmx16g -cp "$cp" org.rnnclust.cli.Main train --representation autoencoder --device cuda \
          --data gpu-carry/data/MNIST/t10k-images-idx3-ubyte.gz --labels gpu-carry/data/MNIST/t10k-labels-idx1-ubyte.gz \
          --normalize minmax --bidirectional --hidden 128 --latent 10 --epochs 60 --batch 256 --lr 3e-3 \
          --refine idec --refine-epochs 40 --update-interval 140 --cluster-init spectral --seed "$seed" \
          --out "$logs/mnist-$seed"
    done
  else
    echo "== mnist: skipped (no gpu-carry/data/MNIST: ci/prepare-gpu-carry.sh copies it from ../shared/data)"
  fi
fi

rm -rf "$logs"/mnist-*/checkpoints "$logs"/mnist-*/model.rnnclust
tar czf "$final/logs.tgz" -C "$logs" .
cp "$logs/steps.txt" "$final/" 2>/dev/null
echo
echo "== gpu-session: $(cat "$logs/gpu.txt")"
cat "$logs/steps.txt" 2>/dev/null
exit $status
