#!/usr/bin/env bash
# Writes org/rnnclust/build.properties into the class output folder: the commit the classes were
# built from (short hash, "-dirty" when tracked files differ from it), or "unknown" outside a git
# checkout. Results and benchmarks record it, so that a figure names the code that produced it,
# wherever the jar runs from.
#
#   java/build-info.sh OUTPUT_DIR      (run by Maven in process-classes)
set -euo pipefail
out="$1/org/rnnclust"
here="$(cd "$(dirname "$0")/.." && pwd)"
commit=unknown
if command -v git >/dev/null 2>&1 && git -C "$here" rev-parse --git-dir >/dev/null 2>&1; then
  commit="$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [[ "$commit" != unknown && -n "$(git -C "$here" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
    commit="$commit-dirty"
  fi
fi
mkdir -p "$out"
printf 'commit=%s\n' "$commit" > "$out/build.properties.tmp"
mv "$out/build.properties.tmp" "$out/build.properties"
