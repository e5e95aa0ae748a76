# Sourced by the benchmarks that run the Spark module (compare-spark.sh, row-growth.sh,
# spark-train-steps.sh). It sets root (the checkout), builds the jars when they are missing, makes
# work (a temporary folder, removed on exit), and defines:
#   spark            rnnclust-spark from its Maven jars with spark/jvm-options, as spark-submit runs
#                    it (a command array, so that /usr/bin/time can run it); -Xmx$spark_heap when the
#                    caller set spark_heap
#   timed CMD...     runs CMD with its output discarded and prints its wall seconds; on failure, its
#                    stderr and exit 1
#   training_series FILE N
#                    N labelled series × 64 steps of three classes (noisy sines), a UCR file
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ -f $root/target/rnnclust.jar && -f $root/spark/target/rnnclust-spark.jar ]] \
  || (cd "$root" && mvn -q -B package -DskipTests)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$root" && mvn -q -B -o -pl spark dependency:build-classpath -Dmdep.includeScope=provided \
  -Dmdep.outputFile="$work/spark-cp.txt" > /dev/null)
mapfile -t opens < "$root/spark/jvm-options"
spark=(java ${spark_heap:+"-Xmx$spark_heap"} "${opens[@]}"
       -cp "$root/spark/target/rnnclust-spark.jar:$(cat "$work/spark-cp.txt")" org.rnnclust.spark.cli.Main)

timed() {
  /usr/bin/time -f %e -o "$work/t" "$@" > /dev/null 2> "$work/err" || { cat "$work/err" >&2; exit 1; }
  cat "$work/t"
}

training_series() {
  python3 - "$1" "$2" <<'PY'
import math, random, sys
random.seed(1)
with open(sys.argv[1], 'w') as f:
    for i in range(int(sys.argv[2])):
        c = i % 3
        f.write(str(c + 1) + ''.join('\t%.5f' % (math.sin(t * (0.1 + 0.15 * c) + random.random()) + 0.1 * random.random())
                                     for t in range(64)) + '\n')
PY
}
