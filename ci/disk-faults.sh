#!/usr/bin/env bash
# An output folder on a full disk or a read-only file system: `train --out` must fail with exit
# code 2 and one line naming the problem, and leave the previous model file there byte for byte.
# Real file systems, not simulations: a 1 MiB tmpfs filled to the last byte, then remounted
# read-only, inside a private mount namespace (`unshare -rm`: needs no root, works as root, where
# chmod would not stop writes). Skips with a message where namespaces are not allowed.
#
#   ci/disk-faults.sh              (needs target/rnnclust.jar: mvn -q -B package -DskipTests)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

if [[ "${1:-}" != "--inside" ]]; then
  if ! unshare -rm true 2>/dev/null; then
    echo "SKIP: cannot create a mount namespace here (unshare -rm refused); nothing tested"; exit 0
  fi
  exec unshare -rm bash "$0" --inside
fi

work="$(mktemp -d)"
trap 'umount "$work/disk" 2>/dev/null || true; rm -rf "$work"' EXIT
awk 'BEGIN { srand(7); for (i = 0; i < 60; i++) { printf "%d", i % 2;
       for (t = 0; t < 24; t++) printf "\t%.4f", sin(t / (2 + i % 2)) + 0.2 * rand(); printf "\n" } }' > "$work/data.tsv"
args=(train --representation autoencoder --data "$work/data.tsv" --epochs 3 --hidden 8 --latent 3 --device cpu)

mkdir "$work/disk"
mount -t tmpfs -o size=1m tmpfs "$work/disk"
"$root/rnnclust" "${args[@]}" --seed 1 --out "$work/disk/run" > /dev/null 2>&1
cp "$work/disk/run/model.rnnclust" "$work/previous.rnnclust"
failed=0

check() {  # $1 = case name, $2 = expected fragment of the message
  local code=0
  "$root/rnnclust" "${args[@]}" --seed 2 --out "$work/disk/run" > "$work/out.log" 2> "$work/err.log" || code=$?
  local lines; lines=$(grep -c . "$work/err.log" || true)
  echo "$1: exit $code, $lines line(s) on stderr: $(head -1 "$work/err.log")"
  if [[ $code != 2 || $lines != 1 ]] || ! grep -q "$2" "$work/err.log"; then
    echo "  FAILED: expected exit 2 and one line containing '$2'"; failed=1
  fi
  if cmp -s "$work/previous.rnnclust" "$work/disk/run/model.rnnclust"; then
    echo "  previous model file intact"
  else
    echo "  FAILED: previous model file changed or lost"; failed=1
  fi
}

# Full: fill every free byte, then train again into the same folder.
dd if=/dev/zero of="$work/disk/filler" bs=4k 2>/dev/null || true
check "full disk" "No space left on device"

# Read-only: free the space again, so that only the read-only flag stands in the way.
rm -f "$work/disk/filler"
mount -o remount,ro "$work/disk"
check "read-only file system" "Read-only file system"
exit "$failed"
