#!/usr/bin/env bash
# Writes org/rnnclust/build.properties into the class output folder: the commit the classes were
# built from (short hash, "-dirty" when tracked files differ from it), or "unknown" outside a git
# checkout. Results and benchmarks record it, so that a figure names the code that produced it,
# wherever the jar runs from. Also the CUDA major version the build's presets link against
# (13, or 12 under -Pcuda12), which decides the library names the CUDA backend looks for.
#
#   java/build-info.sh OUTPUT_DIR [CUDA_MAJOR]      (run by Maven in process-classes)
set -euo pipefail
out="$1/org/rnnclust"
cuda_major="${2:-13}"
here="$(cd "$(dirname "$0")/.." && pwd)"
commit=unknown
if command -v git >/dev/null 2>&1 && git -C "$here" rev-parse --git-dir >/dev/null 2>&1; then
  commit="$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [[ "$commit" != unknown && -n "$(git -C "$here" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
    commit="$commit-dirty"
  fi
fi
mkdir -p "$out"
printf 'commit=%s\ncuda.major=%s\n' "$commit" "$cuda_major" > "$out/build.properties.tmp"
mv "$out/build.properties.tmp" "$out/build.properties"
