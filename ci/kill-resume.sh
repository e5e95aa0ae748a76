#!/usr/bin/env bash
# Crash safety of training: kill -9 at a random moment, then --resume, must end with the same model
# file, byte for byte, as a run that was never interrupted (same seed). After each kill the folder
# must hold no model file at all (it is written last, atomically) and a checkpoint, if any, that
# --resume accepts (a corrupt one would be refused with "checksum mismatch" and fail the trial).
#
#   ci/kill-resume.sh [TRIALS]     (default 10; needs target/rnnclust.jar: mvn -q -B package -DskipTests)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
trials="${1:-10}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 400 noisy sine/square series of length 40, two classes, fixed by awk's seed.
awk 'BEGIN { srand(42); for (i = 0; i < 400; i++) { c = i % 2; printf "%d", c;
       for (t = 0; t < 40; t++) { v = (c ? (sin(t / 3) > 0 ? 1 : -1) : sin(t / 3)) + 0.3 * (rand() - 0.5);
         printf "\t%.5f", v } printf "\n" } }' > "$work/data.tsv"

args=(train --data "$work/data.tsv" --epochs 60 --patience 0 --hidden 16 --latent 4 --batch 8 --seed 7 --device cpu)
t0=$(date +%s%N)
"$root/rnnclust" "${args[@]}" --out "$work/whole" > /dev/null 2>&1
run_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "uninterrupted run: ${run_ms} ms, model sha256 $(sha256sum < "$work/whole/model.rnnclust" | cut -c1-16)"

failed=0
resumed=0
for trial in $(seq 1 "$trials"); do
  dir="$work/killed-$trial"
  "$root/rnnclust" "${args[@]}" --out "$dir" > /dev/null 2>&1 &
  pid=$!
  # Kill at a random moment between 20 % and 90 % of the uninterrupted run's time.
  delay_ms=$(( run_ms * (20 + RANDOM % 71) / 100 ))
  sleep "$(( delay_ms / 1000 )).$(printf '%03d' $(( delay_ms % 1000 )))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [[ -f "$dir/model.rnnclust" ]]; then
    echo "trial $trial: training had already finished before the kill; not a test of resume"
  elif [[ ! -f "$dir/checkpoints/last.ckpt" ]]; then
    echo -n "trial $trial: killed before the first checkpoint, started again: "
    "$root/rnnclust" "${args[@]}" --out "$dir" > /dev/null 2>&1
  else
    done_epochs=$(grep -a -o '"epochs" : [0-9]*' "$dir/checkpoints/last.ckpt" | head -1 | grep -o '[0-9]*$')
    leftovers=$(find "$dir" -name '.*.tmp' | wc -l)
    echo -n "trial $trial: killed after epoch $done_epochs ($leftovers unfinished temporary file(s) left, hidden), resumed: "
    resumed=$((resumed + 1))
    if ! "$root/rnnclust" "${args[@]}" --resume "$dir" > "$work/resume.log" 2>&1; then
      echo "resume FAILED: $(tail -1 "$work/resume.log")"; failed=1; continue
    fi
  fi
  if cmp -s "$work/whole/model.rnnclust" "$dir/model.rnnclust"; then
    echo "same model file"
  else
    echo "DIFFERENT model file"; failed=1
  fi
done
echo "$trials trials, $resumed resumed from a checkpoint, $([[ $failed == 0 ]] && echo "all identical" || echo "FAILURES")"
exit "$failed"
