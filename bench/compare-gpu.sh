#!/usr/bin/env bash
# rnnclust on CUDA vs PyTorch (cuBLAS/cuDNN) on the GPU machine, same shapes, same call: one k-means
# Lloyd iteration (assignment + cluster sums + means) at each N,D,K, and one recurrent layer's forward
# and training step (forward + backward with the input gradient) against nn.LSTM/nn.GRU on cuDNN at
# each CELL:B,T,I,H. PyTorch's side is torch_anchors.py, copied into gpu-carry/ by
# ci/prepare-gpu-carry.sh (not committed).
#   bench/compare-gpu.sh           (KMEANS_SHAPES, RNN_SHAPES override the shapes ("" skips a set);
#                                   PRECISIONS="fp32 tf32" (default both: a column each; tf32x3
#                                   adds the 3xTF32 k-means kernel, against PyTorch in FP32);
#                                   ROUNDS=2: rnnclust and PyTorch alternate, each round both
#                                   precisions, and each figure is the median over the rounds;
#                                   GRAPHS=off launches the recurrent time loops op by op instead
#                                   of replaying CUDA graphs, to compare the two;
#                                   RNNCLUST_JAVA_OPTS adds JVM options, see below)
# The default shapes are every anchor of the device notes: the recurrent ones and the k-means ones.
# Prints rnnclust ms, PyTorch ms, speed-up (PyTorch / rnnclust) and rnnclust's floor ratio, last.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
read -r -a shapes <<<"${KMEANS_SHAPES-1000000,64,1024 4000000,128,256 10000000,32,100 1000000,256,4096 2000000,48,500}"
read -r -a rnns <<<"${RNN_SHAPES-lstm:256,28,28,128 lstm:256,28,28,512 lstm:64,256,1,256 lstm:1024,100,64,512 lstm:128,512,16,1024 lstm:32,1000,3,64 lstm:512,50,40,256 gru:256,28,28,128 gru:1024,100,64,512}"
read -r -a precisions <<<"${PRECISIONS:-${PRECISION:-fp32 tf32}}"
rounds=${ROUNDS:-2}
out="${OUT:-$root/out/compare-gpu}"
mkdir -p "$out"
source ci/gpu-env.sh
anchors=gpu-carry/torch_anchors.py
[[ -f $anchors ]] || { echo "compare-gpu: $anchors missing: run ci/prepare-gpu-carry.sh" >&2; exit 1; }
# (grep the file, not the pipe: grep -q stops reading early, tee then dies of SIGPIPE, and pipefail
# turned that into "no GPU" on the first GPU run)
"$java" -cp "$cp" org.rnnclust.cli.Main info | tee "$out/info.txt"
if ! grep -q '^GPU' "$out/info.txt"; then
  echo "no GPU: $(grep '^CUDA       unavailable' "$out/info.txt" | sed 's/^CUDA       unavailable: //')"; exit 3
fi

kargs=(); for s in "${shapes[@]}"; do kargs+=(--kmeans "$s"); done
rargs=(); targs=()
for s in "${rnns[@]}"; do rargs+=(--rnn "$s"); targs+=("--${s%%:*}" "${s#*:}"); done
jopts=(); [[ ${GRAPHS:-on} == off ]] && jopts+=(-Drnnclust.cuda.graphs=false)
# RNNCLUST_JAVA_OPTS adds JVM options, e.g. the earlier designs for a side-by-side run:
# "-Drnnclust.cuda.kmeans=gemm" (cuBLAS GEMM into an L2-sized tile, then argmin).
read -r -a extra <<<"${RNNCLUST_JAVA_OPTS:-}"; jopts+=("${extra[@]}")
# torch_anchors.py runs its default shapes for a kind given no shape: name a tiny one of each instead.
tk=("${kargs[@]}"); [[ ${#tk[@]} -gt 0 ]] || tk=(--kmeans 1000,8,4)
[[ " ${targs[*]} " == *" --lstm "* ]] || targs+=(--lstm 1,1,1,1)
[[ " ${targs[*]} " == *" --gru "* ]] || targs+=(--gru 1,1,1,1)
# Alternating rounds: a slow minute on a shared machine then hits both sides alike.
for ((round = 1; round <= rounds; round++)); do
  for precision in "${precisions[@]}"; do
    "$java" -Xmx40g "${jopts[@]}" -cp "$cp" org.rnnclust.cli.Main bench --device cuda --precision "$precision" \
        "${kargs[@]}" "${rargs[@]}" --warmup 3 --repeat 10 --json "$out/rnnclust-$precision-$round.json" \
        | tee "$out/rnnclust-$precision-$round.txt"
    # PyTorch has no 3xTF32: its FP32 is the reference for that column.
    tprec=$precision; [[ $precision == tf32x3 ]] && tprec=fp32
    python3 "$anchors" --precision "$tprec" "${tk[@]}" "${targs[@]}" --out "$out/torch-$precision-$round.json" \
        > "$out/torch-$precision-$round.txt"
  done
done

python3 - "$out" "$rounds" "${precisions[@]}" <<'PY'
import json, statistics, sys
out, rounds, precisions = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
def load(side, prec):
    return [json.load(open(f"{out}/{side}-{prec}-{r}.json")) for r in range(1, rounds + 1)]
def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float('nan')
for prec in precisions:
    ours, ref = load('rnnclust', prec), load('torch', prec)
    km = {}
    for run in ours:
        for r in run['results']:
            if r['operation'] == 'kmeans_iteration':
                km.setdefault((r['n'], r['d'], r['k']), []).append(r)
    theirs = {}
    for run in ref:
        for r in run['results']:
            if r['kind'] == 'kmeans_iter':
                theirs.setdefault((r['N'], r['D'], r['K']), []).append(r['iter_ms'])
    print(f"\nk-means iteration, {prec}, {ref[0]['device']}, torch {ref[0]['torch']}, median of {rounds} alternating rounds")
    # FP32 re-check: the share of points the tensor-core kernel left to FP32 (pairs, all centroids).
    print(f"{'N,D,K':<18} {'rnnclust ms':>12} {'PyTorch ms':>11} {'speed-up':>9} {'floor ms':>9} {'floor/t':>8}"
          f" {'re-check %':>14}")
    for key, rs in km.items():
        ms = med([r['median_ms'] for r in rs])
        tm = med(theirs.get(key, []))
        rc = (f"{100 * rs[-1]['rechecked_pairs']:.2f}+{100 * rs[-1]['rechecked_full']:.2f}"
              if 'rechecked_pairs' in rs[-1] else '-')
        print(f"{','.join(map(str, key)):<18} {ms:>12.2f} {tm:>11.2f} {tm / ms:>9.2f} "
              f"{rs[0]['floor_ms']:>9.2f} {rs[0]['floor_ms'] / ms:>8.2f} {rc:>14}")
    # Recurrent layers: speed-up = PyTorch ms / rnnclust ms (>= 1.0 is the goal), forward and training step.
    rnn = {}
    for run in ours:
        for r in run['results']:
            if 'batch' not in r: continue
            cell, kind = r['operation'].split('_', 1)
            rnn.setdefault((cell, r['batch'], r['steps'], r['input'], r['hidden']), {}).setdefault(kind, []).append(r)
    ref_rnn = {}
    for run in ref:
        for r in run['results']:
            if r['kind'] in ('lstm', 'gru'):
                ref_rnn.setdefault((r['kind'], r['B'], r['T'], r['I'], r['H']), []).append(r)
    if rnn:
        print(f"\nrecurrent layer, {prec}: rnnclust vs cuDNN, median of {rounds} alternating rounds")
        print(f"{'cell:B,T,I,H':<22} {'fwd ms':>8} {'cuDNN':>8} {'x':>6} {'train ms':>9} {'cuDNN':>8} {'x':>6} {'floor/t':>8}")
    for key, kinds in rnn.items():
        t = ref_rnn.get(key, [])
        f = med([r['median_ms'] for r in kinds.get('forward', [])])
        s = med([r['median_ms'] for r in kinds.get('train_step', [])])
        floor = kinds['train_step'][0]['floor_ms'] if 'train_step' in kinds else float('nan')
        tf, ts = med([r['fwd_ms'] for r in t]), med([r['train_step_ms'] for r in t])
        print(f"{key[0] + ':' + ','.join(map(str, key[1:])):<22} {f:>8.3f} {tf:>8.3f} {tf / f:>6.2f} "
              f"{s:>9.3f} {ts:>8.3f} {ts / s:>6.2f} {floor / s:>8.2f}")
PY
