#!/usr/bin/env bash
# The datasets `rnnclust evaluate --data-dir DIR` finds there, one name per line, in its order (the
# names of UCR/UEA TRAIN files; IDX and CSV sets are not listed: give those to --datasets yourself).
set -euo pipefail
dir="${1:?folder of datasets}"
find "$dir" -type f \( -name '*_TRAIN.tsv' -o -name '*_TRAIN.tsv.gz' -o -name '*_TRAIN.ts' -o -name '*_TRAIN.ts.gz' \
    -o -name '*_TRAIN.txt' -o -name '*_TRAIN.txt.gz' \) -printf '%f\n' \
  | sed -E 's/_TRAIN\.(tsv|ts|txt)(\.gz)?$//' | sort -fu
