#!/usr/bin/env bash
# The README's command-line examples, run as a new user runs them: every ```bash block of README.md
# whose lines are all `./rnnclust ...` commands (the build-and-test block and the Spark block, which
# needs a Spark installation, are left out), in order, in an empty folder without any dataset: the
# data come from `rnnclust generate`. Each command must exit 0. About 3 minutes on 2 cores, most of it
# the evaluate example.
# Exit: 0 passed, 1 failed (one line naming the command).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
[[ -f $root/target/rnnclust.jar ]] || { echo "readme-examples: $root/target/rnnclust.jar not found: build it first" >&2; exit 1; }
python3 - "$root/README.md" > "$work/commands.txt" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
for block in re.findall(r"```bash\n(.*?)```", text, re.S):
    lines = [l for l in block.splitlines() if l.strip() and not l.lstrip().startswith("#")]
    # Continuation lines belong to the command above them.
    commands, current = [], ""
    for l in lines:
        current = current + " " + l.strip().rstrip("\\") if current else l.strip().rstrip("\\")
        if not l.rstrip().endswith("\\"):
            commands.append(current.strip()); current = ""
    if commands and all(c.startswith("./rnnclust ") for c in commands):
        print("\n".join(commands))
PY
count=$(wc -l < "$work/commands.txt")
[[ $count -ge 7 ]] || { echo "readme-examples: FAILED: only $count example commands found in README.md" >&2; exit 1; }
cd "$work"
while IFS= read -r command; do
  start=$(date +%s)
  if ! (eval "${command/#.\/rnnclust/$root/rnnclust}") > "$work/out.txt" 2>&1; then
    echo "readme-examples: FAILED: $command: $(tail -1 "$work/out.txt")" >&2; exit 1
  fi
  echo "  $(( $(date +%s) - start )) s  $command"
done < "$work/commands.txt"
echo "readme-examples: the README's $count example commands ran in an empty folder"
