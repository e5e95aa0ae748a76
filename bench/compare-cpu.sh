#!/usr/bin/env bash
# rnnclust CPU vs scikit-learn and PyTorch CPU, same machine, same run:
#   - one k-means Lloyd iteration at each N,D,K (same data) against scikit-learn;
#   - one recurrent layer's forward and training step (forward + backward) against PyTorch.
#
#   bench/compare-cpu.sh            (shapes below; KMEANS_SHAPES / RNN_SHAPES override them, "" skips a set)
#
# Installs Debian's python3-sklearn if missing and builds the jar if missing. scikit-learn runs
# under Debian's OpenBLAS, which on some CPUs picks a slow generic kernel unless OPENBLAS_CORETYPE
# names one; so it is timed once per candidate kernel (each run setting it for that process only)
# and its best is the reference. rnnclust's bundled OpenBLAS (0.3.31) knows current CPUs, so it runs
# with OPENBLAS_CORETYPE unset (autodetected), also for that process only. Prints a ratio table last
# (ratio > 1: rnnclust is faster); bench/RESULTS.md records it.
#
# Shared machines drift: once the reference's best configuration is found, the two sides run in
# alternation, ROUNDS times (default 3), and each side's figure is the median over the rounds of
# its per-round median, so that a slow minute hits both sides alike. rnnclust's recurrent runs get 15
# warm-up steps (the JIT compiles the Java half of a step over the first ten or so; a training run
# has thousands), PyTorch's 3 (its C++ is compiled ahead): both are timed in their steady state.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
py=/usr/bin/python3
read -r -a shapes <<<"${KMEANS_SHAPES-100000,64,100 1000000,32,100 200000,128,256}"
read -r -a rnn_shapes <<<"${RNN_SHAPES-lstm:256,28,28,128 lstm:64,140,1,64 lstm:64,256,1,256 gru:256,28,28,128}"
kernels=(${SKLEARN_CORETYPES:-Haswell SkylakeX Zen})
rounds=${ROUNDS:-3}
median() { "$py" -c "import statistics,sys; print(statistics.median(float(v) for v in sys.argv[1:]))" "$@"; }

if ! "$py" -c "import sklearn, threadpoolctl, torch" 2>/dev/null; then
  echo "installing python3-sklearn and python3-torch (Debian) ..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-sklearn python3-threadpoolctl \
      python3-torch >/dev/null
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

  ours_runs=(); ref_runs=("$best")
  for ((round = 1; round <= rounds; round++)); do
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$root/rnnclust" bench --device cpu --kmeans "$shape" \
        --kmeans-data "$x" --warmup 10 --repeat 25 --json "$work/r.json" >&2
    ours_runs+=("$("$py" -c "import json; r=[r for r in json.load(open('$work/r.json'))['results'] if r['operation']=='kmeans_iteration']; print(r[0]['median_ms'])")")
    if ((round < rounds)); then
      out=$(env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="$best_kernel" "$py" "$root/bench/sklearn_kmeans_iteration.py" "$x" "$k" 3)
      ref_runs+=("$(echo "$out" | "$py" -c "import json,sys; print(json.load(sys.stdin)['median_ms'])")")
    fi
  done
  echo "k-means $shape rounds: rnnclust ${ours_runs[*]} ms; scikit-learn ${ref_runs[*]} ms" >&2
  rows+=("$shape $(median "${ours_runs[@]}") $(median "${ref_runs[@]}") $best_kernel")
done

rnn_rows=()
for shape in "${rnn_shapes[@]}"; do
  IFS=: read -r cell dims <<<"$shape"
  IFS=, read -r b t i h <<<"$dims"
  best_f=""; best_s=""; how=""; best_kern=""; best_threads=""
  for kern in "${kernels[@]}"; do
    for threads in 1 "$(nproc)"; do
      out=$(env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="$kern" TORCH_THREADS="$threads" \
            "$py" "$root/bench/torch_cpu_rnn.py" "$cell" "$b" "$t" "$i" "$h" 7)
      read -r f s <<<"$(echo "$out" | "$py" -c "import json,sys; d=json.load(sys.stdin); print(d['forward_ms'], d['train_step_ms'])")"
      echo "pytorch $shape kernel $kern threads $threads: forward $f ms, train step $s ms" >&2
      if [[ -z "$best_s" ]] || "$py" -c "import sys; sys.exit(0 if $s < $best_s else 1)"; then
        best_s=$s; best_f=$f; how="$kern/$threads"; best_kern=$kern; best_threads=$threads
      fi
    done
  done
  # Rounds: rnnclust, then PyTorch in its best configuration (the search's run counts as round 1's).
  of_runs=(); os_runs=(); tf_runs=("$best_f"); ts_runs=("$best_s")
  for ((round = 1; round <= rounds; round++)); do
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$root/rnnclust" bench --device cpu --rnn "$shape" \
        --warmup 15 --repeat 15 --json "$work/r.json" >&2
    read -r of os <<<"$("$py" -c "import json; r={x['operation'].split('_',1)[1]: x['median_ms'] for x in json.load(open('$work/r.json'))['results']}; print(r['forward'], r['train_step'])")"
    of_runs+=("$of"); os_runs+=("$os")
    if ((round < rounds)); then
      out=$(env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="$best_kern" TORCH_THREADS="$best_threads" \
            "$py" "$root/bench/torch_cpu_rnn.py" "$cell" "$b" "$t" "$i" "$h" 7)
      read -r f s <<<"$(echo "$out" | "$py" -c "import json,sys; d=json.load(sys.stdin); print(d['forward_ms'], d['train_step_ms'])")"
      tf_runs+=("$f"); ts_runs+=("$s")
    fi
  done
  echo "recurrent $shape rounds: rnnclust step ${os_runs[*]} ms; pytorch step ${ts_runs[*]} ms" >&2
  rnn_rows+=("$shape $(median "${of_runs[@]}") $(median "${tf_runs[@]}") $(median "${os_runs[@]}") $(median "${ts_runs[@]}") $how")
done

echo
printf '%-18s %14s %16s %-10s %8s\n' "k-means N,D,K" "rnnclust ms" "scikit-learn ms" "(kernel)" "ratio"
for r in "${rows[@]}"; do
  read -r shape ours ref kern <<<"$r"
  "$py" -c "print('%-18s %14.2f %16.2f %-10s %7.2fx' % ('$shape', $ours, $ref, '$kern', $ref / $ours))"
done

echo
printf '%-20s %10s %10s %7s   %10s %10s %7s  %s\n' "recurrent B,T,I,H" "fwd ours" "fwd torch" "ratio" \
    "step ours" "step torch" "ratio" "(torch best for the step: kernel/threads)"
for r in "${rnn_rows[@]}"; do
  read -r shape of tf os ts how <<<"$r"
  "$py" -c "print('%-20s %10.2f %10.2f %6.2fx   %10.2f %10.2f %6.2fx  %s' % ('$shape', $of, $tf, $tf / $of, $os, $ts, $ts / $os, '$how'))"
done
