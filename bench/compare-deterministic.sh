#!/usr/bin/env bash
# What the deterministic mode costs: the same `rnnclust bench` operations on the CPU with and
# without --deterministic, same machine, same run.
#
#   bench/compare-deterministic.sh      (KMEANS_SHAPES / RNN_SHAPES / ROUNDS override the defaults)
#
# The two modes run in alternation, ROUNDS times (default 3); each figure is the median over the
# rounds of the per-round median, so that a slow minute on a shared machine hits both alike. The
# default mode runs with OPENBLAS_CORETYPE unset (the kernel OpenBLAS picks for this CPU, as a user
# gets it). Prints one row per operation: both medians and det/default (> 1: the mode is slower).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
read -r -a kmeans <<<"${KMEANS_SHAPES:-100000,64,100 200000,128,256}"
read -r -a rnn <<<"${RNN_SHAPES:-lstm:256,28,28,128 gru:256,28,28,128 lstm:64,140,1,64 lstm:32,128,1,32}"
rounds=${ROUNDS:-3}
[[ -f "$root/target/rnnclust.jar" ]] || (cd "$root" && mvn -q -B package -DskipTests)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
args=(bench --device cpu --warmup 15 --repeat 10)
for s in "${kmeans[@]}"; do args+=(--kmeans "$s"); done
for s in "${rnn[@]}"; do args+=(--rnn "$s"); done
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; $(date -u +%F);" \
     "commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown); $rounds rounds"
for ((r = 1; r <= rounds; r++)); do
  env -u OPENBLAS_CORETYPE "$root/rnnclust" "${args[@]}" --json "$work/default-$r.json" >/dev/null
  env -u OPENBLAS_CORETYPE "$root/rnnclust" "${args[@]}" --deterministic --json "$work/det-$r.json" >/dev/null
done
/usr/bin/env python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def medians(mode):
    out = {}
    for r in range(1, rounds + 1):
        d = json.load(open(f"{work}/{mode}-{r}.json"))
        for x in d["results"]:
            fields = ("n", "d", "k") if "n" in x else ("batch", "steps", "input", "hidden")
            key = (x["operation"], ",".join(str(x[f]) for f in fields if f in x))
            out.setdefault(key, []).append(x["median_ms"])
        if r == 1: print(f"{mode}: {d['machine']['device']}")
    return {k: statistics.median(v) for k, v in out.items()}
a, b = medians("default"), medians("det")
print(f"| operation | shape | default ms | deterministic ms | det/default |")
print(f"|---|---|---:|---:|---:|")
for k in a:
    if k in b: print(f"| {k[0]} | {k[1]} | {a[k]:.2f} | {b[k]:.2f} | {b[k] / a[k]:.2f} |")
PY
