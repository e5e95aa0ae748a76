#!/usr/bin/env bash
# Inputs that ask for far more memory than they take on disk, under a small heap
# (JAVA_OPTS=-Xmx512m): gzip bombs of every text format, zeros from a device, an endless line, a
# valid binary header over gigabytes. Each case must end with exit 2 or 4, exactly one line on
# stderr, no stack trace, a refusal made before allocating (not the line of a heap that ran out,
# which a check should have foreseen), and, where the table gives a bound, fewer bytes read than that
# bound: the process's rchar (/proc/PID/io, read once it has exited and before it is reaped), a
# count rather than a timing, which shows the input was refused before it was read whole.
#
#   ci/memory-bombs.sh      (needs target/rnnclust.jar: mvn -q -B package -DskipTests; and python3)
#
# The cases are the table at the end: NAME | MOST BYTES READ | COMMAND. The bound is a shell
# expression ("-" for none: an input that must be read whole before the refusal); `half FILE` is
# half of FILE's size. The command runs in bash, in the repository root, with $in (the inputs made
# here) and $out (an empty folder of its own) set. A whole read of a gzip bomb here means its
# compressed bytes (about 300 KB per 64 MiB, gzip -1), so the bombs are 4 GiB: the 19 MB a whole
# read would take stands well clear of the JVM's own 2 to 5 MB of reads.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ ! -f target/rnnclust.jar ]]; then
  echo "memory-bombs: target/rnnclust.jar not found: build it first (mvn -q -B package -DskipTests)" >&2
  exit 2
fi
export JAVA_OPTS="${MEMORY_BOMBS_JAVA_OPTS:--Xmx512m}"
in="$(mktemp -d)"
trap 'rm -rf "$in"' EXIT

# ---------------------------------------------------------------- the inputs
# A bomb is a concatenation of gzip members (gzip reads them as one stream): each kind of content is
# compressed once, 64 MiB of it, and the member copied. Pipelines that end early (yes | head) are
# run without pipefail.
member() { (set +o pipefail; "$@" | head -c 64M | gzip -1); }
member cat /dev/zero > "$in/zeros.gz"
member bash -c "yes \$'\\t0.5' | tr -d '\\n'" > "$in/line.gz"       # one endless line of values
member yes $'1\t0.5\t0.25' > "$in/lines.gz"                         # endless short lines
repeat() { for ((i = 0; i < $2; i++)); do cat "$in/$1"; done; }    # N × 64 MiB
start() { printf "$1" | gzip; }                                     # a small first member

repeat zeros.gz 64 > "$in/z.tsv.gz"
cp "$in/z.tsv.gz" "$in/z.csv.gz"
cp "$in/z.tsv.gz" "$in/z.ts.gz"
{ start '1'; repeat line.gz 64; } > "$in/line.tsv.gz"
{ start '0.5'; repeat line.gz 64; } > "$in/line.csv.gz"
{ start '@problemName x\n@univariate true\n@classLabel false\n@data\n0.5'; repeat line.gz 64; } > "$in/line.ts.gz"
repeat lines.gz 64 > "$in/lines.tsv.gz"
# IDX header: unsigned bytes, 3 dimensions, 2,000,000 × 28 × 28 (1.5 GB), then the declared bytes
{ start '\x00\x00\x08\x03\x00\x1e\x84\x80\x00\x00\x00\x1c\x00\x00\x00\x1c'; repeat zeros.gz 24; } > "$in/big-idx3-ubyte.gz"
# .npy header, version 1.0, float32 (2000000, 784), padded to 64 bytes as numpy pads it
npy_header() {
  local dict="{'descr': '<f4', 'fortran_order': False, 'shape': $1, }"
  local length=$(( (10 + ${#dict} + 1 + 63) / 64 * 64 - 10 ))
  printf '\x93NUMPY\x01\x00'
  printf "\\x$(printf %02x $(( length & 255 )))\\x$(printf %02x $(( length >> 8 )))"
  printf '%s%*s\n' "$dict" $(( length - ${#dict} - 1 )) ''
}
{ npy_header '(2000000, 784)' | gzip; repeat zeros.gz 24; } > "$in/big.npy.gz"
repeat zeros.gz 64 > "$in/zeros.npy.gz"                              # the magic bytes come first
# one line of 100 MB, uncompressed
(set +o pipefail; printf '1'; yes $'\t0.5' | tr -d '\n' | head -c 100000000; echo) > "$in/line100m.tsv"
cp "$in/line100m.tsv" "$in/line100m.csv"

# settings too large for the memory, on small data; and 2 series of 2,000,000 steps (22 MB) to train on
awk 'BEGIN { srand(1); for (i = 0; i < 30; i++) { printf "%d", i % 3 + 1; for (t = 0; t < 128; t++) printf "\t%.3f", rand(); printf "\n" } }' > "$in/small.tsv"
awk 'BEGIN { for (i = 0; i < 2; i++) { printf "%d", i + 1; for (t = 0; t < 2000000; t++) printf "\t%d", (t * (i + 3)) % 10; printf "\n" } }' > "$in/long.tsv"

half() { echo $(( $(stat -c %s "$1") / 2 )); }

# ---------------------------------------------------------------- one case
# Runs COMMAND; prints rc, rchar; keeps stderr in $in/err.
measure() {
  python3 - "$@" <<'PY'
import os, subprocess, sys
with open(os.environ["ERR"], "wb") as err:
    p = subprocess.Popen(["bash", "-c", "exec " + sys.argv[1]], stdout=subprocess.DEVNULL, stderr=err)
    os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOWAIT)   # exited, not reaped: /proc/PID/io still there
    with open(f"/proc/{p.pid}/io") as io:
        rchar = next(int(l.split()[1]) for l in io if l.startswith("rchar:"))
    print(p.wait(), rchar)
PY
}

failed=0
total=0
check() {
  local name="$1" bound_expr="$2" command="$3"
  total=$((total + 1))
  out="$(mktemp -d -p "$in")"
  export in out ERR="$in/err"
  local bound="-"
  [[ "$bound_expr" != "-" ]] && bound="$(eval "echo $bound_expr")"
  local rc rchar
  read -r rc rchar < <(measure "$command")
  local lines problems=""
  lines="$(grep -c . "$ERR" || true)"
  [[ "$rc" == 2 || "$rc" == 4 ]] || problems+=" exit $rc, not 2 or 4;"
  [[ "$lines" == 1 ]] || problems+=" $lines lines on stderr, not 1;"
  if grep -qE '^\s+at |Exception|Error:' "$ERR"; then problems+=" a stack trace;"; fi
  if grep -q 'is exhausted' "$ERR"; then problems+=" the heap ran out (an OutOfMemoryError caught), not a check before allocating;"; fi
  if [[ "$bound" != "-" ]] && (( rchar >= bound )); then problems+=" read $rchar bytes, the bound is $bound;"; fi
  local read_mb
  read_mb="$(awk -v b="$rchar" 'BEGIN { printf "%.1f", b / 1048576 }')"
  if [[ -z "$problems" ]]; then
    printf 'ok    %-22s exit %s, read %s MiB: %s\n' "$name" "$rc" "$read_mb" "$(head -c 200 "$ERR")"
  else
    failed=$((failed + 1))
    printf 'FAIL  %-22s%s\n' "$name" "$problems"
    sed 's/^/        /' "$ERR" | head -20
  fi
}

# ---------------------------------------------------------------- the cases
# NAME | MOST BYTES READ | COMMAND
while IFS='|' read -r name bound command; do
  [[ -z "${name// }" || "$name" == \#* ]] && continue
  check "$(echo $name)" "$(echo $bound)" "$command"
done <<'CASES'
zeros .tsv.gz         | $(half $in/z.tsv.gz)         | ./rnnclust kmeans --data $in/z.tsv.gz --out $out
zeros .csv.gz         | $(half $in/z.csv.gz)         | ./rnnclust kmeans --data $in/z.csv.gz --out $out
zeros .ts.gz          | $(half $in/z.ts.gz)          | ./rnnclust kmeans --data $in/z.ts.gz --out $out
/dev/zero as UCR      | 268435456                    | ./rnnclust kmeans --format ucr --data /dev/zero --out $out
endless line .tsv.gz  | $(half $in/line.tsv.gz)      | ./rnnclust kmeans --data $in/line.tsv.gz --out $out
endless line .csv.gz  | $(half $in/line.csv.gz)      | ./rnnclust kmeans --data $in/line.csv.gz --out $out
endless line .ts.gz   | $(half $in/line.ts.gz)       | ./rnnclust kmeans --data $in/line.ts.gz --out $out
endless lines .tsv.gz | $(half $in/lines.tsv.gz)     | ./rnnclust kmeans --data $in/lines.tsv.gz --out $out
100 MB line .tsv      | $(half $in/line100m.tsv)     | ./rnnclust kmeans --data $in/line100m.tsv --out $out
100 MB line .csv      | $(half $in/line100m.csv)     | ./rnnclust kmeans --data $in/line100m.csv --out $out
IDX 2000000x28x28 .gz | $(half $in/big-idx3-ubyte.gz) | ./rnnclust kmeans --data $in/big-idx3-ubyte.gz --out $out
npy (2000000,784) .gz | $(half $in/big.npy.gz)       | ./rnnclust kmeans --data $in/big.npy.gz --out $out
zeros.npy.gz          | $(half $in/zeros.npy.gz)     | ./rnnclust kmeans --data $in/zeros.npy.gz --out $out
# settings and data the network's memory cannot hold (read whole: the bound is the memory plan's)
train 2x2000000 steps | -                            | ./rnnclust train --representation autoencoder --device cpu --epochs 1 --data $in/long.tsv --out $out
train --layers 1000   | -                            | ./rnnclust train --representation autoencoder --device cpu --epochs 1 --data $in/small.tsv --out $out --layers 1000
train --hidden 20000  | -                            | ./rnnclust train --representation autoencoder --device cpu --epochs 1 --data $in/small.tsv --out $out --hidden 20000
train --hidden 100000 | -                            | ./rnnclust train --representation autoencoder --device cpu --epochs 1 --data $in/small.tsv --out $out --hidden 100000
train --latent 2e9    | -                            | ./rnnclust train --representation autoencoder --device cpu --epochs 1 --data $in/small.tsv --out $out --latent 2000000000
resample to 1e8 steps | -                            | ./rnnclust train --representation autoencoder --device cpu --epochs 1 --data $in/small.tsv --out $out --length resample --resample-length 100000000
bench lstm:100000,... | -                            | ./rnnclust bench --device cpu --rnn lstm:100000,1000,1000,1000
CASES

echo "memory-bombs: $((total - failed)) of $total cases refused with one line, within their read bounds"
[[ "$failed" == 0 ]]
