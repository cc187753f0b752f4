#!/usr/bin/env bash
# Log benchmarks (BENCHMARKS.md). Writes DME-style logs of 100 MB and 1 GB with
# interleaved sessions (examples/genlog.rs), then measures in one run:
#   1. `dmtool log explain` and `log thread` throughput against `grep -cF '</SyncML>'`
#      on the same file (the floor: finding the messages and nothing else);
#   2. `dmtool log pretty` against `xmllint --format` (libxml2-utils) on the same
#      messages (the 100 MB log's messages, as one XML document for xmllint);
#   3. peak memory (GNU time) of `log explain` on 100 MB and on 1 GB.
# Usage: bash benches/log.sh   (needs hyperfine, xmllint, /usr/bin/time). REBUILD=1 regenerates.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine xmllint /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install hyperfine libxml2-utils time)" >&2; exit 1; }
done
cargo build --release --quiet --bin dmtool --example genlog
B=target/bench; mkdir -p "$B"
DM=target/release/dmtool
for size in 100 1024; do
  if [ -n "${REBUILD:-}" ] || [ ! -f "$B/server-$size.log" ]; then
    target/release/examples/genlog --megabytes "$size" --output "$B/server-$size.log"
  fi
done
LOG=$B/server-100.log

echo "## 1. throughput on the 100 MB log"
hyperfine -N --warmup 1 --runs 5 --export-markdown "$B/log-throughput.md" --output=pipe \
  --command-name "grep -cF '</SyncML>'" "grep -cF </SyncML> $LOG" \
  --command-name "dmtool log explain" "$DM log explain $LOG" \
  --command-name "dmtool log thread --format jsonl" "$DM log thread $LOG --format jsonl"

echo "## 2. pretty-printing the same messages"
$DM log pretty --raw "$LOG" > "$B/messages.xml"
{ echo '<Messages>'; cat "$B/messages.xml"; echo '</Messages>'; } > "$B/messages-wrapped.xml"
hyperfine -N --warmup 1 --runs 5 --export-markdown "$B/log-pretty.md" --output=null \
  --command-name "xmllint --format" "xmllint --format $B/messages-wrapped.xml" \
  --command-name "dmtool log pretty" "$DM log pretty $B/messages.xml"

echo "## 3. peak memory of log explain"
{
  echo "| input | max RSS [KiB] |"
  echo "|---|---:|"
  for size in 100 1024; do
    rss=$( { /usr/bin/time -f %M "$DM" log explain "$B/server-$size.log" > /dev/null; } 2>&1 | tail -1)
    echo "| $size MB log | $rss |"
  done
} | tee "$B/log-memory.md"
cat "$B/log-throughput.md" "$B/log-pretty.md"
ls -l "$B"/server-*.log
