#!/usr/bin/env bash
# Host emulation of kernels/rnn.cu against native/cpu/cells.c (see host_check.cpp), of
# kernels/kmeans.cu and kmeans_tc.cu against plain loops (kmeans_check.cpp, kmeans_loop_check.cpp),
# of kernels/rnn_persist.cu against the per-step path (persist_check.cpp) and of kernels/spectral.cu
# against the CPU backend's loops (spectral_check.cpp), no GPU needed (only g++):
#   native/kernel-check/check.sh      prints one line per comparison; exits 1 on any mismatch or
#                                     when a check does not build or run
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Dynamic shared memory becomes a static array; cells.c loses its JNI part. Both include
# kernels/cell_math.h (the element math they share), so what this compares is the walk over rows
# and units, the masking and the workspace layout.
sed 's/extern __shared__ double shared\[\];/static double shared[4096];/' "$root/kernels/rnn.cu" > "$work/rnn_host.cu"
sed -e 's/#include <jni.h>//' -e '/#include "isa.h"/d' -e '/JNI entry points/,$d' -e 's/#define CELL_BODY.*/#define CELL_BODY static inline/' \
    -e 's/restrict/__restrict/g' "$root/native/cpu/cells.c" > "$work/cells_host.h"
cp "$here/shim.h" "$here/cuda_keywords.h" "$here/host_check.cpp" "$work/"
g++ -O1 -std=c++17 -w -I"$work" -I"$root/kernels" "$work/host_check.cpp" -o "$work/check" -lm
"$work/check" | tee "$work/out.txt"
# kernels/kmeans.cu needs real blocks (shared tiles, barriers, shuffles): one host thread per CUDA thread.
sed -e 's/extern __shared__ float partial\[\];/static float partial[1 << 16];/' -e 's/extern __shared__ double shared\[\];/static double shared[1024];/' "$root/kernels/kmeans.cu" > "$work/kmeans_host.cu"
cp "$here/threads_shim.h" "$here/mma_shim.h" "$here/kmeans_check.cpp" "$work/"
g++ -O1 -std=c++20 -w -pthread -I"$work" -I"$root/kernels" "$work/kmeans_check.cpp" -o "$work/kmeans_check" -lm
"$work/kmeans_check" | tee -a "$work/out.txt"
cp "$here/kmeans_loop_check.cpp" "$work/"
g++ -O1 -std=c++20 -w -pthread -I"$work" -I"$root/kernels" "$work/kmeans_loop_check.cpp" -o "$work/kmeans_loop_check" -lm
"$work/kmeans_loop_check" | tee -a "$work/out.txt"
# kernels/rnn_persist.cu synchronises its whole grid: every thread of every block at once
# (grid_shim.h), its dynamic shared memory one array per block.
sed 's/extern __shared__ float persistShared\[\];/float *persistShared = hostBlockShared();/' "$root/kernels/rnn_persist.cu" > "$work/rnn_persist_host.cu"
grep -q 'hostBlockShared' "$work/rnn_persist_host.cu"
cp "$here/grid_shim.h" "$here/persist_check.cpp" "$work/"
g++ -O1 -std=c++20 -w -pthread -I"$work" -I"$root/kernels" "$work/persist_check.cpp" -o "$work/persist_check" -lm
"$work/persist_check" | tee -a "$work/out.txt"
# kernels/spectral.cu the same way, against the CPU backend's loops; no contracted multiply-adds on
# either side, as the kernels' __dmul_rn / __dadd_rn promise.
sed -e 's/extern __shared__ double knnShared\[\];/static double knnShared[1 << 15];/' "$root/kernels/spectral.cu" > "$work/spectral_host.cu"
cp "$here/spectral_check.cpp" "$work/"
g++ -O1 -std=c++20 -w -pthread -ffp-contract=off -I"$work" -I"$root/kernels" "$work/spectral_check.cpp" -o "$work/spectral_check" -lm
"$work/spectral_check" | tee -a "$work/out.txt"
if grep -q MISMATCH "$work/out.txt"; then
  echo "kernel-check: FAILED ($(grep -c MISMATCH "$work/out.txt") mismatches)" >&2
  exit 1
fi
echo "kernel-check: all $(grep -cw ok "$work/out.txt") comparisons ok"
