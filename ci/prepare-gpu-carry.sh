#!/usr/bin/env bash
# Builds, here, what a call on the GPU machine needs (that machine has no Java and no Maven), into
# two git-ignored folders that the device `run` carries (64 MiB in all):
#   .jre/        a jlink'd Java 17 runtime (make-jre.sh of the device kit, see ci/README.md)
#   gpu-carry/   rnnclust-classes.jar (with the kernel fatbin), rnnclust-tests.jar, lib/*.jar (runtime
#                dependencies), junit-platform-console-standalone.jar (runs the tests without Maven),
#                torch_anchors.py (PyTorch's side of bench/compare-gpu.sh, copied, never committed)
# Usage: ci/prepare-gpu-carry.sh        then see ci/README.md for the run call.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
junit_console=org.junit.platform:junit-platform-console-standalone:1.14.4

mvn -q -B -o package -DskipTests
mvn -q -B -o test-compile
[[ -f target/classes/org/rnnclust/backend/cuda/kmeans.fatbin ]] || echo "note: no fatbin (nvcc absent): the GPU will compile the kernels with NVRTC" >&2

rm -rf gpu-carry
mkdir -p gpu-carry/lib
jar cf gpu-carry/rnnclust-classes.jar -C target/classes .
# The test jar without fixtures that no GPU check reads (the metric, PCA and NPY-dtype fixtures, the
# generating scripts): the carry is 64 MiB and the OpenBLAS jar alone takes 19.
tests_dir=$(mktemp -d)
trap 'rm -rf "$tests_dir"' EXIT
cp -r target/test-classes/. "$tests_dir/"
rm -rf "$tests_dir/fixtures/metrics.json" "$tests_dir/fixtures/linalg" "$tests_dir/fixtures/npy" "$tests_dir"/fixtures/*.py \
    "$tests_dir"/fixtures/*/*.py "$tests_dir/junit-platform.properties"
jar cf gpu-carry/rnnclust-tests.jar -C "$tests_dir" .
mvn -q -B -o dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=gpu-carry/lib
mvn -q -B dependency:copy -Dartifact="$junit_console" -DoutputDirectory=gpu-carry
mv gpu-carry/junit-platform-console-standalone-*.jar gpu-carry/junit-platform-console-standalone.jar
# Other platforms' natives are dead weight on the linux-x86_64 GPU machine; so is the plotting
# library (no GPU check writes a report).
find gpu-carry/lib -name '*-linux-arm64.jar' -o -name '*-macosx-*.jar' -o -name '*-windows-*.jar' | xargs -r rm -f
rm -f gpu-carry/lib/xchart-*.jar
# The CUDA presets' platform jar carries a JNI binding for every CUDA library; rnnclust loads only
# cudart, cuBLAS and NVRTC (org.bytedeco.cuda.global.{cudart,cublas,nvrtc}). The others (NPP,
# cuFFT, cuSPARSE, cuSOLVER, cuRAND, cuDNN, NCCL, NVML, ...) are ~4 MB of the 64 MiB carry.
for jar in gpu-carry/lib/cuda-*-linux-x86_64.jar; do
  unused=$(unzip -Z1 "$jar" | grep -E '^org/bytedeco/cuda/linux-x86_64/libjni[a-z0-9_]+\.so$' \
      | grep -vE '/libjni(cudart|cublas|nvrtc)\.so$' || true)
  if [[ -n $unused ]]; then echo "$unused" | xargs zip -q -d "$jar"; fi
done
# The OpenBLAS jar carries three JNI bindings; rnnclust loads only openblas_nolapack (OpenBlas.java).
# The full and LAPACK bindings and the C headers are 7 MiB of the carry, compressed.
for jar in gpu-carry/lib/openblas-*-linux-x86_64.jar; do
  zip -q -d "$jar" 'org/bytedeco/openblas/linux-x86_64/libjniopenblas.so' \
      'org/bytedeco/openblas/linux-x86_64/libjniopenblas_full.so' 'org/bytedeco/openblas/linux-x86_64/include/*'
done
if [[ -f ../shared/bench/torch_anchors.py ]]; then cp ../shared/bench/torch_anchors.py gpu-carry/; fi
# The datasets folder does not travel: the MNIST test set (1.6 MiB) does, for the MNIST preset's GPU timing.
if [[ -d ../shared/data/MNIST ]]; then mkdir -p gpu-carry/data && cp -r ../shared/data/MNIST gpu-carry/data/; fi

# jdk.zipfs: tests read their fixtures as paths inside the test jar (a "jar" file system).
modules=java.base,java.logging,jdk.unsupported,java.management,jdk.zipfs
if ! { [[ -x .jre/bin/java ]] && .jre/bin/java --list-modules | grep -q '^jdk.zipfs'; }; then
  JRE_MODULES=$modules ../shared/device/make-jre.sh .jre >/dev/null
fi
# The limit covers the working tree too (the tracked files travel with the carried folders).
tree=$(git ls-files -z | xargs -0 du -cb | tail -1 | cut -f1)
total=$(( $(du -cb .jre gpu-carry | tail -1 | cut -f1) + tree ))
echo "carry: .jre $(du -sh .jre | cut -f1), gpu-carry $(du -sh gpu-carry | cut -f1), working tree $((tree >> 20)) MiB; total $((total >> 20)) MiB (limit 64)"
if (( total > 64 << 20 )); then
  echo "over the 64 MiB carry limit: drop the OpenBLAS jars (gpu-carry/lib/openblas-*) and skip the CPU parity tests" >&2
  exit 1
fi
