#!/usr/bin/env bash
# rnnclust on CUDA vs PyTorch (cuBLAS/cuDNN) on the GPU machine, same shapes, same call: one k-means
# Lloyd iteration (assignment + cluster sums + means) at each N,D,K, and one recurrent layer's forward
# and training step (forward + backward with the input gradient) against nn.LSTM/nn.GRU on cuDNN at
# each CELL:B,T,I,H, in FP32. PyTorch's side is
# torch_anchors.py, copied into gpu-carry/ by ci/prepare-gpu-carry.sh (not committed).
#   bench/compare-gpu.sh           (KMEANS_SHAPES, RNN_SHAPES override the shapes ("" skips a set);
#                                   PRECISION=tf32 for TF32; GRAPHS=off launches the recurrent time
#                                   loops op by op instead of replaying CUDA graphs, to compare the two;
#                                   RNNCLUST_JAVA_OPTS adds JVM options, see below)
# Prints rnnclust ms, PyTorch ms, speed-up (PyTorch / rnnclust) and rnnclust's floor ratio, last.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
read -r -a shapes <<<"${KMEANS_SHAPES-1000000,64,1024 4000000,128,256 10000000,32,100}"
read -r -a rnns <<<"${RNN_SHAPES-lstm:256,28,28,128 lstm:256,28,28,512 lstm:64,256,1,256 lstm:1024,100,64,512 gru:256,28,28,128}"
precision=${PRECISION:-fp32}
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
"$java" -Xmx40g "${jopts[@]}" -cp "$cp" org.rnnclust.cli.Main bench --device cuda --precision "$precision" "${kargs[@]}" "${rargs[@]}" \
    --warmup 3 --repeat 10 --json "$out/rnnclust.json" | tee "$out/rnnclust.txt"
# torch_anchors.py runs its default shapes for a kind given no shape: name a tiny one of each instead.
[[ ${#kargs[@]} -gt 0 ]] || kargs=(--kmeans 1000,8,4)
[[ " ${targs[*]} " == *" --lstm "* ]] || targs+=(--lstm 1,1,1,1)
[[ " ${targs[*]} " == *" --gru "* ]] || targs+=(--gru 1,1,1,1)
python3 "$anchors" --precision "$precision" "${kargs[@]}" "${targs[@]}" --out "$out/torch.json" > "$out/torch.txt"

python3 - "$out" "$precision" <<'PY'
import json, sys
out, prec = sys.argv[1], sys.argv[2]
ours = {(r['n'], r['d'], r['k']): r for r in json.load(open(out + '/rnnclust.json'))['results']
        if r['operation'] == 'kmeans_iteration'}
ref = json.load(open(out + '/torch.json'))
theirs = {(r['N'], r['D'], r['K']): r for r in ref['results'] if r['kind'] == 'kmeans_iter'}
print(f"\nk-means iteration, {prec}, {ref['device']}, torch {ref['torch']}")
print(f"{'N,D,K':<18} {'rnnclust ms':>12} {'PyTorch ms':>11} {'speed-up':>9} {'floor ms':>9} {'floor/t':>8}")
for key, r in ours.items():
    t = theirs.get(key)
    tm = t['iter_ms'] if t else float('nan')
    print(f"{','.join(map(str, key)):<18} {r['median_ms']:>12.2f} {tm:>11.2f} {tm / r['median_ms']:>9.2f} "
          f"{r['floor_ms']:>9.2f} {r['floor_ratio']:>8.2f}")

# Recurrent layers: speed-up = PyTorch ms / rnnclust ms (>= 1.0 is the goal), forward and training step.
rnn = {}
for r in json.load(open(out + '/rnnclust.json'))['results']:
    op = r['operation']
    if 'batch' not in r: continue
    cell, kind = op.split('_', 1)
    rnn.setdefault((cell, r['batch'], r['steps'], r['input'], r['hidden']), {})[kind] = r
ref_rnn = {(r['kind'], r['B'], r['T'], r['I'], r['H']): r for r in ref['results'] if r['kind'] in ('lstm', 'gru')}
if rnn:
    print(f"\nrecurrent layer, {prec}: rnnclust vs cuDNN")
    print(f"{'cell:B,T,I,H':<22} {'fwd ms':>8} {'cuDNN':>8} {'x':>6} {'train ms':>9} {'cuDNN':>8} {'x':>6} {'floor/t':>8}")
for key, kinds in rnn.items():
    t = ref_rnn.get(key, {})
    f, s = kinds.get('forward'), kinds.get('train_step')
    tf, ts = t.get('fwd_ms', float('nan')), t.get('train_step_ms', float('nan'))
    print(f"{key[0] + ':' + ','.join(map(str, key[1:])):<22} {f['median_ms']:>8.3f} {tf:>8.3f} {tf / f['median_ms']:>6.2f} "
          f"{s['median_ms']:>9.3f} {ts:>8.3f} {ts / s['median_ms']:>6.2f} {s['floor_ratio']:>8.2f}")
PY
