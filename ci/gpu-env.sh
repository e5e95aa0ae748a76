# Sourced by the GPU machine's scripts (ci/gpu-check.sh, ci/gpu-session.sh, bench/compare-gpu.sh),
# from the repository root: the carried Java runtime, the CUDA toolkit's libraries and the classpath.
#   java  .jre/bin/java (ci/prepare-gpu-carry.sh), else the java on PATH, else empty
#   cp    gpu-carry/rnnclust-classes.jar and every jar of gpu-carry/lib, each named (the JUnit
#         console launcher does not expand "lib/*" as java does)
java=.jre/bin/java
[[ -x $java ]] || java=$(command -v java || true)
# The toolkit's libraries are not in ldconfig on the GPU machine; the engine searches these too.
for d in /usr/local/cuda/targets/x86_64-linux/lib /usr/local/cuda-13.0/targets/x86_64-linux/lib; do
  [[ -d $d ]] && export LD_LIBRARY_PATH="$d${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
done
cp="gpu-carry/rnnclust-classes.jar:$(ls gpu-carry/lib/*.jar 2>/dev/null | paste -sd: -)"
