#!/usr/bin/env bash
# Submits the evaluation of every dataset under DATA_DIR as a job array (one task per dataset),
# then the job that combines the tasks' results into OUT_DIR once they have all succeeded.
#
#   examples/slurm/submit-evaluate.sh DATA_DIR OUT_DIR [more evaluate flags, the same for every task]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data_dir="${1:?folder of datasets}"
out="${2:?output folder}"
shift 2
count=$("$here/list-datasets.sh" "$data_dir" | wc -l)
(( count > 0 )) || { echo "no UCR/UEA datasets under $data_dir" >&2; exit 2; }
parts="$out/parts"
mkdir -p "$parts"
array=$(sbatch --parsable --array="0-$((count - 1))" "$here/evaluate-array.sbatch" "$data_dir" "$parts" "$@")
combine=$(sbatch --parsable --dependency="afterok:${array%%;*}" "$here/evaluate-combine.sbatch" "$parts" "$out")
echo "submitted: job array $array ($count datasets), then combine job $combine -> $out/results.md"
