#!/usr/bin/env bash
# rnnclust CPU vs scikit-learn, same data, same run: one k-means Lloyd iteration at each shape.
#
#   bench/compare-cpu.sh [N,D,K ...]      (default: 100000,64,100 1000000,32,100 200000,128,256)
#
# Installs Debian's python3-sklearn if missing and builds the jar if missing. scikit-learn runs
# under Debian's OpenBLAS, which on some CPUs picks a slow generic kernel unless OPENBLAS_CORETYPE
# names one; so it is timed once per candidate kernel (each run setting it for that process only)
# and its best is the reference. rnnclust's bundled OpenBLAS (0.3.31) knows current CPUs, so it runs
# with OPENBLAS_CORETYPE unset (autodetected), also for that process only. Prints a ratio table last
# (ratio > 1: rnnclust is faster); bench/RESULTS.md records it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
py=/usr/bin/python3
shapes=("$@")
[[ ${#shapes[@]} -gt 0 ]] || shapes=(100000,64,100 1000000,32,100 200000,128,256)
kernels=(${SKLEARN_CORETYPES:-Haswell SkylakeX Zen})

if ! "$py" -c "import sklearn, threadpoolctl" 2>/dev/null; then
  echo "installing python3-sklearn (Debian) ..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn python3-threadpoolctl >/dev/null
fi
[[ -f "$root/target/rnnclust.jar" ]] || (cd "$root" && mvn -q -B package -DskipTests)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; $(date -u +%F); commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"

rows=()
for shape in "${shapes[@]}"; do
  IFS=, read -r n d k <<<"$shape"
  x="$work/x-$n-$d.npy"
  "$py" -c "import numpy as np; np.save('$x', np.random.default_rng(0).standard_normal(($n, $d), dtype=np.float32))"

  best=""; best_kernel=""
  for kern in "${kernels[@]}"; do
    out=$(env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="$kern" "$py" "$root/bench/sklearn_kmeans_iteration.py" "$x" "$k" 3)
    ms=$(echo "$out" | "$py" -c "import json,sys; print(json.load(sys.stdin)['median_ms'])")
    echo "scikit-learn $shape kernel $kern: $ms ms" >&2
    if [[ -z "$best" ]] || "$py" -c "import sys; sys.exit(0 if $ms < $best else 1)"; then best=$ms; best_kernel=$kern; fi
  done

  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$root/rnnclust" bench --device cpu --kmeans "$shape" \
      --kmeans-data "$x" --warmup 10 --repeat 15 --json "$work/r.json" >&2
  ours=$("$py" -c "import json; r=[r for r in json.load(open('$work/r.json'))['results'] if r['operation']=='kmeans_iteration']; print(r[0]['median_ms'])")
  rows+=("$shape $ours $best $best_kernel")
done

echo
printf '%-18s %14s %16s %-10s %8s\n' "k-means N,D,K" "rnnclust ms" "scikit-learn ms" "(kernel)" "ratio"
for r in "${rows[@]}"; do
  read -r shape ours ref kern <<<"$r"
  "$py" -c "print('%-18s %14.2f %16.2f %-10s %7.2fx' % ('$shape', $ours, $ref, '$kern', $ref / $ours))"
done
