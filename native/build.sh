#!/usr/bin/env bash
# Builds the small native CPU library (native/cpu/*.c) into the jar's classes folder:
#   native/build.sh OUTPUT_CLASSES_DIR JAVA_HOME [JAVACPP_PLATFORM]
# Called by Maven (process-classes). Where gcc or the JNI headers are missing, or the machine or
# the platform the jar is built for (-Djavacpp.platform) is not linux-x86_64, it says so and exits
# 0: rnnclust then uses its pure-Java path.
set -euo pipefail
out="${1:?classes dir}"
jhome="${2:?java home}"
here="$(cd "$(dirname "$0")" && pwd)"
arch="$(uname -s)-$(uname -m)"
platform="${3:-linux-x86_64}"
if [[ "$platform" != "linux-x86_64" ]]; then
  rm -rf "$out/org/rnnclust/backend/cpu/linux-x86_64"
  echo "native: the jar is built for $platform: no native CPU library in it (pure-Java path there)"; exit 0
fi
if [[ "$arch" != "Linux-x86_64" ]]; then
  echo "native: $arch is not linux-x86_64: skipping the native CPU library (pure-Java path)"; exit 0
fi
if ! command -v gcc >/dev/null 2>&1; then
  echo "native: gcc not found: skipping the native CPU library (pure-Java path)"; exit 0
fi
if [[ ! -f "$jhome/include/jni.h" ]]; then
  echo "native: no JNI headers under $jhome/include: skipping the native CPU library (pure-Java path)"; exit 0
fi
dest="$out/org/rnnclust/backend/cpu/linux-x86_64"
mkdir -p "$dest"
# cells.c includes kernels/cell_math.h, the element math it shares with the CUDA kernels. No
# multiply-add contraction (-std=c11 already implies it; stated because the pure-Java reference
# must get the same bits).
gcc -O3 -std=c11 -ffp-contract=off -shared -fPIC -Wall -Wextra -Werror \
    -I"$jhome/include" -I"$jhome/include/linux" -I"$here/../kernels" \
    -o "$dest/librnnclust_cpu.so" "$here/cpu/rnnclust_cpu.c" "$here/cpu/cells.c" "$here/cpu/gemm.c" \
    "$here/cpu/kmeans.c" "$here/cpu/sums.c" "$here/cpu/transpose.c"
echo "native: built $dest/librnnclust_cpu.so"
