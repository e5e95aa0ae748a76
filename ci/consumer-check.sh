#!/usr/bin/env bash
# A program that uses rnnclust as a library, built the way its users build it: a separate Maven
# project that depends on org.rnnclust:rnnclust (the thin jar installed in the local repository by
# `mvn install`), compiled and run offline. Its source is the README's Java example. It checks that
#   - the example compiles and runs against the library's declared dependencies alone, and prints
#     its test NMI and clusters;
#   - the consumer's class path holds no command-line library (picocli, progressbar) and no SLF4J
#     binding: the library forces neither on its users;
#   - the library jar carries the licence and its Automatic-Module-Name.
# Run after `mvn -B install -DskipTests` (.ci/run does both). About 30 s.
# Exit: 0 passed, 1 failed (one line saying why).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "consumer-check: FAILED: $*" >&2; exit 1; }

version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -1)"
[[ -n $version ]] || fail "no version in $root/pom.xml"
repo="$(mvn -q -B -o help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null || true)"
[[ -d $repo ]] || repo="$HOME/.m2/repository"
installed="$repo/org/rnnclust/rnnclust/$version"
[[ -f $installed/rnnclust-$version.jar ]] || fail "rnnclust $version is not installed in $repo: run 'mvn -B install -DskipTests' first"

# The library jar: the licence and the module name.
unzip -p "$installed/rnnclust-$version.jar" META-INF/MANIFEST.MF | grep -q '^Automatic-Module-Name: org.rnnclust' \
  || fail "the library jar's manifest has no Automatic-Module-Name"
unzip -l "$installed/rnnclust-$version.jar" | grep -q 'META-INF/LICENSE' || fail "the library jar carries no LICENSE"

# The consumer: the README's example as its only class.
mkdir -p "$work/src/main/java"
python3 - "$root/README.md" "$work/src/main/java/ClusterSequences.java" <<'EOF'
import re, sys
readme = open(sys.argv[1], encoding="utf-8").read()
section = readme.index("## Using it from Java")
block = re.compile(r"```java\n(.*?)```", re.S).search(readme, section)
open(sys.argv[2], "w", encoding="utf-8").write(block.group(1))
EOF
grep -q 'public class ClusterSequences' "$work/src/main/java/ClusterSequences.java" \
  || fail "the README's Java example is no longer class ClusterSequences"
cat > "$work/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>consumer</artifactId>
  <version>1</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.rnnclust</groupId>
      <artifactId>rnnclust</artifactId>
      <version>$version</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version></plugin>
    </plugins>
  </build>
</project>
EOF
# The consumer's build plugins may be missing from a fresh local repository: fetch them (online, if
# that fails the offline build below says what is missing). The build itself runs offline.
(cd "$work" && mvn -q -B -ntp org.apache.maven.plugins:maven-dependency-plugin:3.8.1:resolve-plugins \
  -DexcludeTransitive=false > /dev/null 2>&1) || true
(cd "$work" && mvn -q -B -o compile dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=runtime) \
  > "$work/build.txt" 2>&1 || fail "the consumer project does not build offline: $(grep -m1 ERROR "$work/build.txt")"

# Nothing of the command line, no logging binding.
tr ':' '\n' < "$work/cp.txt" > "$work/cp-lines.txt"
for forbidden in picocli progressbar slf4j-simple logback-classic slf4j-reload4j log4j-slf4j; do
  if grep -q "/$forbidden[-/]" "$work/cp-lines.txt"; then
    fail "the library forces $forbidden on its users: $(grep "/$forbidden[-/]" "$work/cp-lines.txt" | head -1)"
  fi
done
grep -q "/rnnclust-$version.jar$" "$work/cp-lines.txt" || fail "the consumer's class path lacks rnnclust-$version.jar"

# Run it: it trains on generated data, scores, saves, reloads, predicts.
if ! java -cp "$work/target/classes:$(cat "$work/cp.txt")" ClusterSequences "$work/cbf.rnnclust" \
    > "$work/out.txt" 2> "$work/err.txt"; then
  fail "the consumer program failed: $(grep -v '^\s*at ' "$work/err.txt" | tail -1)"
fi
grep -Eq '^test NMI [01]\.[0-9]{3}$' "$work/out.txt" || fail "no test NMI in the output: $(head -1 "$work/out.txt")"
grep -q '^first test clusters: \[' "$work/out.txt" || fail "no clusters in the output"
[[ -s $work/cbf.rnnclust ]] || fail "the program saved no model file"
echo "consumer-check: the README example built offline against rnnclust-$version.jar" \
     "($(wc -l < "$work/cp-lines.txt") jars, no CLI library, no logging binding): $(head -1 "$work/out.txt")"
