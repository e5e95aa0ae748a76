#!/usr/bin/env bash
# Compiles each kernels/*.cu into a fatbin in the jar's classes folder:
#   native/build-kernels.sh OUTPUT_CLASSES_DIR [CUDA_MAJOR]
# SASS for sm_80 (A100) and sm_90 (H100/H200), PTX for compute_90 so newer GPUs JIT-compile it.
# Called by Maven (process-classes). Without nvcc it says so and exits 0: the build still works,
# and the CUDA backend will compile the same sources at run time with NVRTC instead.
set -euo pipefail
out="${1:?classes dir}"
here="$(cd "$(dirname "$0")/.." && pwd)"
nvcc_bin="$(command -v nvcc || true)"
[[ -z "$nvcc_bin" && -x /usr/local/cuda/bin/nvcc ]] && nvcc_bin=/usr/local/cuda/bin/nvcc
if [[ -z "$nvcc_bin" ]]; then
  echo "kernels: nvcc not found: no fatbin in this build (NVRTC at run time)"; exit 0
fi
# A fatbin from a newer toolkit than the build targets (nvcc 13 for a -Pcuda12 build) would need a
# newer driver than that build's users have: leave it out, NVRTC of the target version compiles.
want="${2:-13}"
have="$("$nvcc_bin" --version | sed -n 's/.*release \([0-9]*\)\..*/\1/p')"
dest="$out/org/rnnclust/backend/cuda"
if [[ "$have" != "$want" ]]; then
  rm -f "$dest"/*.fatbin
  echo "kernels: nvcc is CUDA $have, this build targets CUDA $want: no fatbin (NVRTC at run time)"; exit 0
fi
mkdir -p "$dest"
for src in "$here"/kernels/*.cu; do
  name="$(basename "$src" .cu)"
  target="$dest/$name.fatbin"
  # Rebuild only when a source or header changed (*.cuh, and cell_math.h, which native/cpu shares).
  if [[ -f "$target" && -z "$(find "$here/kernels" -newer "$target" \( -name '*.cu*' -o -name '*.h' \) | head -1)" ]]; then
    continue
  fi
  "$nvcc_bin" -std=c++17 -O3 -fatbin \
      -gencode arch=compute_80,code=sm_80 -gencode arch=compute_90,code=sm_90 \
      -gencode arch=compute_90,code=compute_90 \
      -I"$here/kernels" -o "$target" "$src"
  echo "kernels: built $target"
done
