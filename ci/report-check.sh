#!/usr/bin/env bash
# The HTML reports in a real browser (run by .ci/run, after the jar is built): writes the demo's
# report and an evaluate report of two small generated datasets, opens each in headless Chromium
# and fails on a broken image, an empty table or a script error; saves a screenshot of each under
# target/report-check/. Installs Debian's chromium when it is missing and apt-get can (as root);
# skips with a message only where no package manager can.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/target/report-check"
rm -rf "$out"
mkdir -p "$out"

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -z $browser ]]; then
  if command -v apt-get > /dev/null && [[ $(id -u) == 0 ]]; then
    echo "report-check: installing Debian's chromium"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) > "$out/apt.log" 2>&1 \
      || { tail -5 "$out/apt.log"; echo "report-check: apt-get could not install chromium" >&2; exit 1; }
    browser=$(command -v chromium)
  else
    echo "report-check: SKIPPED: no Chromium, and no package manager this user can run to install it"
    exit 0
  fi
fi

# The reports: the demo's (small, quick settings), and evaluate's on two generated UCR datasets.
java -jar "$root/target/rnnclust.jar" demo --per-class 20 --length 48 --epochs 5 --refine-epochs 5 \
  --device cpu --progress none --report "$out/demo" > "$out/demo.txt" 2> "$out/demo.log"
/usr/bin/env python3 - "$out/data" <<'PY'
import math, os, random, sys
random.seed(3)
for name, shift in (("Waves", 0.0), ("Ramps", 1.0)):
    os.makedirs(os.path.join(sys.argv[1], name), exist_ok=True)
    for split, n in (("TRAIN", 30), ("TEST", 30)):
        with open(os.path.join(sys.argv[1], name, "%s_%s.tsv" % (name, split)), "w") as f:
            for i in range(n):
                c = i % 3
                row = [math.sin(t * (0.2 + 0.02 * c)) + shift * c * t / 80 + 1.5 * random.gauss(0, 1) for t in range(40)]
                f.write(str(c + 1) + "".join("\t%.5f" % v for v in row) + "\n")
PY
java -jar "$root/target/rnnclust.jar" evaluate --data-dir "$out/data" --methods kmeans,pca-kmeans --seeds 2 \
  --device cpu --out "$out/eval" --report "$out/eval-report" > "$out/eval.txt" 2> "$out/eval.log"

# Each page inside a frame of a checking page, which counts what loaded once everything has.
check() {  # name, report folder
  local name=$1 dir=$2
  cat > "$out/check-$name.html" <<HTML
<!DOCTYPE html><html><body><iframe id="r" src="file://$dir/index.html" width="1280" height="900"></iframe>
<pre id="result">pending</pre>
<script>
document.getElementById('r').addEventListener('load', () => {
  const doc = document.getElementById('r').contentDocument;
  const images = [...doc.images];
  const broken = images.filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.getAttribute('src'));
  const tables = [...doc.querySelectorAll('table')];
  const empty = tables.filter(t => t.querySelectorAll('tr').length < 2 || t.querySelectorAll('td').length === 0).length;
  document.getElementById('result').textContent = 'REPORT' + '-CHECK images=' + images.length + ' broken=' + broken.length
      + ' tables=' + tables.length + ' empty=' + empty + ' [' + broken.join(' ') + ']';
});
</script></body></html>
HTML
  local flags=(--headless --disable-gpu --no-sandbox --allow-file-access-from-files --hide-scrollbars)
  "$browser" "${flags[@]}" --virtual-time-budget=20000 --dump-dom "file://$out/check-$name.html" \
    > "$out/check-$name.dom" 2> "$out/check-$name.log" || true
  "$browser" "${flags[@]}" --enable-logging=stderr --v=0 --window-size=1280,2400 \
    --screenshot="$out/$name.png" "file://$dir/index.html" > /dev/null 2> "$out/$name-console.log" || true
  local result
  result=$(grep -o 'REPORT-CHECK[^<]*' "$out/check-$name.dom" || true)
  echo "report-check: $name: ${result:-no result (see $out/check-$name.log)}"
  [[ $result =~ images=([0-9]+)\ broken=0\ tables=([0-9]+)\ empty=0 ]] \
    || { echo "report-check: $name: FAILED" >&2; return 1; }
  (( BASH_REMATCH[1] > 0 && BASH_REMATCH[2] > 0 )) || { echo "report-check: $name: no images or tables" >&2; return 1; }
  if grep -E 'Uncaught|CONSOLE.*(Error|error)' "$out/$name-console.log"; then
    echo "report-check: $name: script errors" >&2
    return 1
  fi
  [[ -s $out/$name.png ]] || { echo "report-check: $name: no screenshot" >&2; return 1; }
}
check demo "$out/demo"
check evaluate "$out/eval-report"
echo "report-check: screenshots in $out (demo.png, evaluate.png)"
