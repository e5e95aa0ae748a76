#!/usr/bin/env bash
# Builds, here, what a call on the GPU machine needs (that machine has no Java and no Maven), into
# two git-ignored folders that the device `run` carries (64 MiB in all):
#   .jre/        a jlink'd Java 17 runtime (../shared/device/make-jre.sh)
#   gpu-carry/   rnnclust-classes.jar (with the kernel fatbin), rnnclust-tests.jar, lib/*.jar (runtime
#                dependencies), junit-platform-console-standalone.jar (runs the tests without Maven),
#                torch_anchors.py (copied from ../shared/bench for bench/compare-gpu.sh, never committed)
# Usage: ci/prepare-gpu-carry.sh        then see README "Running on a GPU" for the run call.
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
jar cf gpu-carry/rnnclust-tests.jar -C target/test-classes .
mvn -q -B -o dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=gpu-carry/lib
mvn -q -B dependency:copy -Dartifact="$junit_console" -DoutputDirectory=gpu-carry
mv gpu-carry/junit-platform-console-standalone-*.jar gpu-carry/junit-platform-console-standalone.jar
# Other platforms' natives are dead weight on the linux-x86_64 GPU machine.
find gpu-carry/lib -name '*-linux-arm64.jar' -o -name '*-macosx-*.jar' -o -name '*-windows-*.jar' | xargs -r rm -f
if [[ -f ../shared/bench/torch_anchors.py ]]; then cp ../shared/bench/torch_anchors.py gpu-carry/; fi

[[ -x .jre/bin/java ]] || ../shared/device/make-jre.sh .jre >/dev/null
total=$(du -cb .jre gpu-carry | tail -1 | cut -f1)
echo "carry: .jre $(du -sh .jre | cut -f1), gpu-carry $(du -sh gpu-carry | cut -f1), total $((total >> 20)) MiB (limit 64)"
if (( total > 64 << 20 )); then
  echo "over the 64 MiB carry limit: drop the OpenBLAS jars (gpu-carry/lib/openblas-*) and skip the CPU parity tests" >&2
  exit 1
fi
