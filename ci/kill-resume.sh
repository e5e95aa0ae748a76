#!/usr/bin/env bash
# Crash safety of training, in sections (each a function; the summary line of each says how it went):
#
# 1. kill -9 at a random moment, then --resume, must end with the same model file, byte for byte,
#    as a run that was never interrupted (same seed). After each kill the folder must hold no model
#    file at all (it is written last, atomically) and a checkpoint, if any, that --resume accepts
#    (a corrupt one would be refused with "checksum mismatch" and fail the trial).
# 2. SIGTERM or SIGINT at a random moment (some trials send a second and third signal while the
#    checkpoint is written; the last trial signals during DEC refinement) must stop the run at the
#    next batch boundary with exit 75, a checkpoint holding that position, no model file, no
#    temporary file and one line saying how to resume; --resume must then end with the
#    uninterrupted run's model file, byte for byte.
# 3. kill -9 during the output commit (a test hook slows each step of the commit down) must leave
#    the folder with the complete old set or the complete new set, as its .rnnclust-set.json
#    records, or that record marked incomplete so that `cluster --model` refuses the folder in one
#    line; never files of two runs that a reader takes for one set. The next run must remove the
#    staging folder the kill left and write a complete set.
#
#   ci/kill-resume.sh [TRIALS] [SIGNAL_TRIALS]
#     (defaults 10 and 8, about 2.5 minutes here; needs target/rnnclust.jar: mvn -q -B package -DskipTests)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
trials="${1:-10}"
signal_trials="${2:-8}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 400 noisy sine/square series of length 40, two classes, fixed by awk's seed.
awk 'BEGIN { srand(42); for (i = 0; i < 400; i++) { c = i % 2; printf "%d", c;
       for (t = 0; t < 40; t++) { v = (c ? (sin(t / 3) > 0 ? 1 : -1) : sin(t / 3)) + 0.3 * (rand() - 0.5);
         printf "\t%.5f", v } printf "\n" } }' > "$work/data.tsv"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# Sleeps for a number of milliseconds.
sleep_ms() { sleep "$(( $1 / 1000 )).$(printf '%03d' $(( $1 % 1000 )))"; }

# Runs `train ARGS --out DIR` without interruption; prints its time in ms.
uninterrupted() {
  local dir="$1"; shift
  local t0; t0=$(now_ms)
  "$root/rnnclust" "$@" --out "$dir" > /dev/null 2>&1
  echo $(( $(now_ms) - t0 ))
}

# "same model file", or "DIFFERENT model file" and a non-zero status.
same_model() {
  if cmp -s "$1/model.rnnclust" "$2/model.rnnclust"; then echo "same model file"; else echo "DIFFERENT model file"; return 1; fi
}

# --resume DIR with the run's ARGS, then same_model against WHOLE; "resume FAILED: …" and a
# non-zero status when the resume itself fails.
resume_matches() {
  local whole="$1" dir="$2"; shift 2
  if ! "$root/rnnclust" "$@" --resume "$dir" > "$work/resume.log" 2>&1; then
    echo "resume FAILED: $(tail -1 "$work/resume.log")"; return 1
  fi
  same_model "$whole" "$dir"
}

# ----- 1. kill -9 at a random moment, then --resume -----

kill9_args=(train --representation autoencoder --data "$work/data.tsv" --epochs 60 --patience 0 --hidden 16 --latent 4 --batch 8 --seed 7 --device cpu)

kill9_trials() {
  local trials="$1" failed=0 resumed=0 run_ms dir pid delay_ms done_epochs leftovers
  run_ms=$(uninterrupted "$work/whole" "${kill9_args[@]}")
  echo "kill -9: uninterrupted run: ${run_ms} ms, model sha256 $(sha256sum < "$work/whole/model.rnnclust" | cut -c1-16)"
  for trial in $(seq 1 "$trials"); do
    dir="$work/killed-$trial"
    "$root/rnnclust" "${kill9_args[@]}" --out "$dir" > /dev/null 2>&1 &
    pid=$!
    # Kill at a random moment between 20 % and 90 % of the uninterrupted run's time.
    delay_ms=$(( run_ms * (20 + RANDOM % 71) / 100 ))
    sleep_ms "$delay_ms"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [[ -f "$dir/model.rnnclust" ]]; then
      echo "trial $trial: training had already finished before the kill; not a test of resume"
    elif [[ ! -f "$dir/checkpoints/last.ckpt" ]]; then
      echo -n "trial $trial: killed before the first checkpoint, started again: "
      "$root/rnnclust" "${kill9_args[@]}" --out "$dir" > /dev/null 2>&1
    else
      # The completed epochs of the checkpoint's pretraining section (the run's settings have "epochs" too).
      done_epochs=$(grep -a -A1 '"pretraining" : {' "$dir/checkpoints/last.ckpt" | grep -o '"epochs" : [0-9]*' | grep -o '[0-9]*$')
      leftovers=$(find "$dir" -name '.*.tmp' | wc -l)
      echo -n "trial $trial: killed after epoch $done_epochs ($leftovers unfinished temporary file(s) left, hidden), resumed: "
      resumed=$((resumed + 1))
      resume_matches "$work/whole" "$dir" "${kill9_args[@]}" || failed=1
      continue
    fi
    same_model "$work/whole" "$dir" || failed=1
  done
  echo "kill -9: $trials trials, $resumed resumed from a checkpoint, $([[ $failed == 0 ]] && echo "all identical" || echo "FAILURES")"
  return "$failed"
}

# ----- 2. SIGTERM / SIGINT: a checkpoint at the next batch, exit 75, then --resume -----

# A refinement of 30 epochs without the convergence test, so that random moments land in both phases.
signal_args=(train --representation autoencoder --data "$work/data.tsv" --epochs 40 --patience 0 --hidden 16 --latent 4 --batch 8 --seed 7
             --device cpu --refine-tol 0 --refine-epochs 30)

signal_trials() {
  local trials="$1" failed=0 resumed=0 within=0 refining=0 finished=0
  local run_ms dir log pid t0 sig burst rc delay_ms last named where batch leftovers
  run_ms=$(uninterrupted "$work/signal-whole" "${signal_args[@]}")
  echo "signals: uninterrupted run: ${run_ms} ms, model sha256 $(sha256sum < "$work/signal-whole/model.rnnclust" | cut -c1-16)"
  for trial in $(seq 1 "$trials"); do
    dir="$work/signalled-$trial"
    log="$work/signalled-$trial.log"
    sig=TERM; (( trial % 3 == 0 )) && sig=INT
    burst=0; (( trial % 4 == 0 )) && burst=1
    t0=$(now_ms)
    "$root/rnnclust" "${signal_args[@]}" --out "$dir" > /dev/null 2> "$log" &
    pid=$!
    # The command handles signals once it runs: wait for its first checkpoint (after epoch 1).
    while [[ ! -f "$dir/checkpoints/last.ckpt" ]] && kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
    if (( trial == trials )); then
      # The last trial lands in refinement: its first epoch's log line, then up to 300 ms.
      while ! grep -q "refinement epoch 1/" "$log" && kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
      delay_ms=$(( RANDOM % 300 ))
    else
      # A random moment of what is left of the uninterrupted run's time.
      delay_ms=$(( (run_ms - ($(now_ms) - t0)) * (RANDOM % 80) / 100 ))
      (( delay_ms < 0 )) && delay_ms=0
    fi
    sleep_ms "$delay_ms"
    kill -"$sig" "$pid" 2>/dev/null || true
    if (( burst )); then sleep 0.02; kill -TERM "$pid" 2>/dev/null || true; kill -INT "$pid" 2>/dev/null || true; fi
    rc=0; wait "$pid" || rc=$?
    echo -n "trial $trial: SIG$sig$( (( burst )) && echo " + TERM + INT")"
    if (( rc == 0 )); then
      echo -n ": training had finished before the signal (exit 0): "
      finished=$((finished + 1))
      same_model "$work/signal-whole" "$dir" || failed=1
      continue
    fi
    last=$(tail -1 "$log")
    # After a burst the JVM may hand the handler the later signal first: either name is right.
    named="SIG$sig"; (( burst )) && named="SIG(TERM|INT)"
    leftovers=$(find "$dir" -name '.*.tmp' | wc -l)
    if (( rc != 75 )) || [[ -f "$dir/model.rnnclust" || ! -f "$dir/checkpoints/last.ckpt" ]] || (( leftovers > 0 )) \
        || ! grep -Eq "^rnnclust: stopped by $named: .* continue it with --resume $dir and the same flags$" <<< "$last"; then
      echo ": FAILED: exit $rc, model file $([[ -f "$dir/model.rnnclust" ]] && echo present || echo absent)," \
           "$leftovers temporary file(s), last line: $last"
      failed=1; continue
    fi
    where=$(grep -o '[a-z]* stopped before batch [0-9]* of [0-9]* in epoch [0-9]*' <<< "$last")
    batch=$(awk '{ print $5 }' <<< "$where")
    (( batch > 1 )) && within=$((within + 1))
    [[ $where == refinement* ]] && refining=$((refining + 1))
    echo -n ": exit 75, $where, resumed: "
    resumed=$((resumed + 1))
    resume_matches "$work/signal-whole" "$dir" "${signal_args[@]}" || failed=1
  done
  echo "signals: $trials trials, $resumed stopped with exit 75 and resumed ($within within an epoch, $refining in" \
       "refinement), $finished finished first, $([[ $failed == 0 ]] && echo "all identical" || echo "FAILURES")"
  return "$failed"
}

# ----- 3. kill -9 during the output commit -----

commit_args=(train --representation autoencoder --data "$work/data.tsv" --epochs 1 --hidden 8 --latent 2 --batch 50 --device cpu)
# Milliseconds the commit sleeps before each of its steps (record incomplete, one rename per file, record complete).
commit_pause_ms=300

# "complete old", "complete new" or "interrupted"; "MIXED ..." and a non-zero status when the files do
# not match the folder's record of its set although it says complete. $2: the old set's record.
set_state() {
  local dir="$1" old_record="$2" record="$1/.rnnclust-set.json" name sha
  grep -q '"state" : "incomplete"' "$record" && { echo "interrupted"; return 0; }
  while read -r name sha; do
    if [[ "$(sha256sum < "$dir/$name" | cut -d' ' -f1)" != "$sha" ]]; then echo "MIXED ($name differs from the record)"; return 1; fi
  done < <(grep -o '"\(name\|sha256\)" : "[^"]*"' "$record" | cut -d'"' -f4 | paste - -)
  if cmp -s "$record" "$old_record"; then echo "complete old"; else echo "complete new"; fi
}

commit_kills() {
  local failed=0 dir pid delay_ms state rc trial
  for trial in 1 2 3 4 5; do
    dir="$work/commit-$trial"
    "$root/rnnclust" "${commit_args[@]}" --seed 1 --out "$dir" > /dev/null 2>&1
    cp "$dir/.rnnclust-set.json" "$work/old-record.json"
    JAVA_OPTS="${JAVA_OPTS:-} -Drnnclust.test.commit-pause-ms=$commit_pause_ms" \
      "$root/rnnclust" "${commit_args[@]}" --seed 2 --out "$dir" > /dev/null 2>&1 &
    pid=$!
    # The staging folder appears as the outputs are written, just before the commit's first pause.
    while ! compgen -G "$dir/.staging-*" > /dev/null && kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
    delay_ms=$(( trial * 400 - 300 ))
    sleep_ms "$delay_ms"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo -n "commit trial $trial: killed ${delay_ms} ms into the commit: "
    if ! state=$(set_state "$dir" "$work/old-record.json"); then echo "$state: FAILED"; failed=1; continue; fi
    echo -n "$state"
    rc=0; "$root/rnnclust" cluster --model "$dir" --data "$work/data.tsv" --out "$work/assigned" --device cpu \
      > /dev/null 2> "$work/cluster.log" || rc=$?
    if [[ $state == interrupted ]] && { (( rc != 2 )) || ! grep -q "the output set here was interrupted" "$work/cluster.log"; }; then
      echo ": FAILED: cluster --model took an interrupted set (exit $rc)"; failed=1; continue
    fi
    if [[ $state == complete* ]] && (( rc != 0 )); then
      echo ": FAILED: cluster --model refused a complete set: $(tail -1 "$work/cluster.log")"; failed=1; continue
    fi
    echo -n ", cluster --model exit $rc; next run: "
    "$root/rnnclust" "${commit_args[@]}" --seed 2 --out "$dir" > /dev/null 2>&1
    if compgen -G "$dir/.staging-*" > /dev/null || [[ -n "$(find "$dir" -name '.*.tmp')" ]]; then
      echo "FAILED: leftovers not removed"; failed=1; continue
    fi
    state=$(set_state "$dir" "$work/old-record.json") || failed=1
    echo "$state, no leftovers"
  done
  echo "commit kills: $([[ $failed == 0 ]] && echo "old or new set every time, never mixed" || echo "FAILURES")"
  return "$failed"
}

failed=0
kill9_trials "$trials" || failed=1
signal_trials "$signal_trials" || failed=1
commit_kills || failed=1
exit "$failed"
