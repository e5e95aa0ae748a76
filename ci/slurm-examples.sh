#!/usr/bin/env bash
# The Slurm examples (examples/slurm/) run outside Slurm, as Slurm would run them, on small generated
# data and the CPU:
#   - train-gpu.sbatch: the first run gets SIGTERM (as --signal=B:TERM sends it to the batch shell)
#     after its first checkpoint and must end with exit 75 and no model; the same script again (the
#     requeue) must finish, with the model bytes of an uninterrupted run of the same flags;
#   - evaluate-array.sbatch as two array tasks (SLURM_ARRAY_TASK_ID 0 and 1), then
#     evaluate-combine.sbatch: the combined table must equal one evaluate run over both datasets.
# About a minute. Exit: 0 passed, 1 failed (one line saying why).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "slurm-examples: FAILED: $*" >&2; exit 1; }
[[ -f $root/target/rnnclust.jar ]] || fail "$root/target/rnnclust.jar not found: build it first"
export RNNCLUST_HOME="$root" RNNCLUST_DEVICE=cpu JAVA_OPTS=-Xmx1g
unset SLURM_JOB_ID
slurm="$root/examples/slurm"
"$root/rnnclust" generate cbf --n 60 --length 64 --seed 1 --out "$work/data/CBF/CBF_TRAIN.tsv" > /dev/null
"$root/rnnclust" generate cbf --n 60 --length 64 --seed 2 --out "$work/data/CBF/CBF_TEST.tsv" > /dev/null
"$root/rnnclust" generate synthetic-control --n 60 --seed 3 --out "$work/data/SC/SC_TRAIN.tsv" > /dev/null
"$root/rnnclust" generate synthetic-control --n 60 --seed 4 --out "$work/data/SC/SC_TEST.tsv" > /dev/null

# The training job: interrupted once, then requeued.
flags=(--epochs 60 --patience 0 --hidden 16 --latent 4 --batch 8 --refine none --seed 3)
bash "$slurm/train-gpu.sbatch" "$work/data/CBF/CBF_TRAIN.tsv" "$work/run" "${flags[@]}" > "$work/first.log" 2>&1 &
job=$!
for _ in $(seq 1 600); do
  [[ -f $work/run/checkpoints/last.ckpt ]] && break
  kill -0 "$job" 2>/dev/null || break
  sleep 0.1
done
[[ -f $work/run/checkpoints/last.ckpt ]] || fail "the first run wrote no checkpoint: $(tail -1 "$work/first.log")"
kill -TERM "$job"
rc=0; wait "$job" || rc=$?
[[ $rc -eq 75 ]] || fail "the interrupted job script exited $rc, not 75: $(tail -1 "$work/first.log")"
grep -q "run this script again to continue" "$work/first.log" || fail "the job script did not say how to continue"
[[ ! -e $work/run/model.rnnclust ]] || fail "the interrupted run left a model file"
bash "$slurm/train-gpu.sbatch" "$work/data/CBF/CBF_TRAIN.tsv" "$work/run" "${flags[@]}" > "$work/requeue.log" 2>&1 \
  || fail "the requeued job script failed: $(tail -1 "$work/requeue.log")"
grep -q "continuing the run checkpointed" "$work/requeue.log" || fail "the requeued run did not resume"
"$root/rnnclust" train --representation autoencoder --data "$work/data/CBF/CBF_TRAIN.tsv" --out "$work/whole" \
    --device cpu "${flags[@]}" > /dev/null 2>&1 || fail "the uninterrupted run failed"
cmp -s "$work/run/model.rnnclust" "$work/whole/model.rnnclust" \
  || fail "the requeued run's model differs from the uninterrupted run's"

# The evaluation as a job array of two tasks, then the combining job.
eval_flags=(--methods kmeans,pca-kmeans --seeds 2 --device cpu)
for task in 0 1; do
  SLURM_ARRAY_TASK_ID=$task bash "$slurm/evaluate-array.sbatch" "$work/data" "$work/parts" "${eval_flags[@]}" \
      > "$work/task$task.log" 2>&1 || fail "array task $task failed: $(tail -1 "$work/task$task.log")"
done
bash "$slurm/evaluate-combine.sbatch" "$work/parts" "$work/combined" > "$work/combine.log" 2>&1 \
  || fail "the combining job failed: $(tail -1 "$work/combine.log")"
"$root/rnnclust" evaluate --data-dir "$work/data" "${eval_flags[@]}" --out "$work/single" > /dev/null 2>&1 \
  || fail "the single evaluate run failed"
tables() { sed -e '/^## Cost/,$d' -e '/ s in all\.$/d' "$1"; }
diff <(tables "$work/single/results.md") <(tables "$work/combined/results.md") > /dev/null \
  || fail "the combined table differs from the single run's"
[[ -f $work/combined/report/index.html ]] || fail "the combining job wrote no report"
echo "slurm-examples: train-gpu.sbatch stopped (exit 75) and requeued to the uninterrupted model;" \
     "evaluate-array.sbatch x2 + evaluate-combine.sbatch = one evaluate run"
