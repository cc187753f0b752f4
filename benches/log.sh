#!/usr/bin/env bash
# Log benchmarks (BENCHMARKS.md). Writes DME-style logs of 100 MB and 1 GB with
# interleaved sessions (examples/genlog.rs): the plain ones (every session
# complete, XML only) and field-like ones (`genlog --field`: a third of the
# sessions lost, packages 0, hex WBXML, base64 payloads, other records between
# the messages, hours of log time), then measures in one run:
#   1. `dmtool log explain` and `log thread` throughput against `grep -cF '</SyncML>'`
#      on the same file (the floor: finding the messages and nothing else), on
#      the field-like log and on the plain one;
#   2. `dmtool log pretty` against `xmllint --format` (libxml2-utils) on the same
#      messages (the 100 MB log's messages, as one XML document for xmllint);
#   3. peak memory (GNU time) of `log explain` on 100 MB and on 1 GB of both,
#      of the field-like log without its timestamps, and of one whose lost
#      sessions hold a hundred commands each (`genlog --commands 100`);
#   4. 10,000 packages 0 nobody answered before the plain 100 MB log, against
#      the log alone (matching a package 0 to its session must not scan them all);
#   5. the field-like 100 MB log HTML-escaped and as ECS JSON lines: log explain
#      against grep on each, beside the plain field-like log.
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
  if [ -n "${REBUILD:-}" ] || [ ! -f "$B/field-$size.log" ]; then
    target/release/examples/genlog --field --megabytes "$size" --output "$B/field-$size.log"
  fi
  # The same without timestamps: only the cap on open sessions bounds memory.
  if [ -n "${REBUILD:-}" ] || [ ! -f "$B/field-notime-$size.log" ]; then
    sed -E 's/^2010-[0-9-]+ [0-9:,]+ //' "$B/field-$size.log" > "$B/field-notime-$size.log"
  fi
  # A bulk configuration of 100 Replaces in every server's package 2, without
  # timestamps: lost sessions of a hundred commands each (the cap on rows).
  if [ -n "${REBUILD:-}" ] || [ ! -f "$B/bulk-notime-$size.log" ]; then
    target/release/examples/genlog --field --commands 100 --megabytes "$size" --output "$B/bulk-$size.log"
    sed -E 's/^2010-[0-9-]+ [0-9:,]+ //' "$B/bulk-$size.log" > "$B/bulk-notime-$size.log"
    rm "$B/bulk-$size.log"
  fi
done
LOG=$B/server-100.log
FIELD=$B/field-100.log

echo "## 1. throughput on the 100 MB logs"
hyperfine -N --warmup 1 --runs 5 --export-markdown "$B/log-throughput-field.md" --output=pipe \
  --command-name "grep -cF '</SyncML>' (field)" "grep -cF </SyncML> $FIELD" \
  --command-name "dmtool log explain (field)" "$DM log explain $FIELD" \
  --command-name "dmtool log thread --format jsonl (field)" "$DM log thread $FIELD --format jsonl"
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
  for log in server-100 server-1024 field-100 field-1024 field-notime-100 field-notime-1024 \
    bulk-notime-100 bulk-notime-1024; do
    /usr/bin/time -f %M -o "$B/rss" "$DM" log explain "$B/$log.log" > /dev/null 2>&1
    rss=$(tail -1 "$B/rss")
    echo "| $log.log | $rss |"
  done
  # One JSON document: its sessions are written as they come.
  for log in field-100 field-1024; do
    /usr/bin/time -f %M -o "$B/rss" "$DM" log explain --format json "$B/$log.log" > /dev/null 2>&1
    echo "| $log.log, --format json | $(tail -1 "$B/rss") |"
  done
} | tee "$B/log-memory.md"

echo "## 4. 10,000 unanswered packages 0 before the 100 MB log"
python3 - "$B/packages-10k.log" <<'PY'
import sys
with open(sys.argv[1], "w") as out:
    for i in range(10000):
        session = 0x8000 + i
        out.write("2010-06-27 13:40:00,000 DEBUG [com.excitor.dme.dm.util.LogUtil] (sms-1) "
                  "Sending notification to 30116718:\n"
                  "C8 94 AC 66 A0 14 A3 35 07 48 38 8C DB 21 DE A2\n"
                  "03 28 00 00 00 %02X %02X 03 64 6D 65\n" % (session >> 8, session & 255))
PY
hyperfine -N --warmup 1 --runs 5 --export-markdown "$B/log-packages.md" --output=pipe \
  --command-name "dmtool log explain (the log alone)" "$DM log explain $LOG" \
  --command-name "dmtool log explain (10,000 packages 0 first)" "$DM log explain $B/packages-10k.log $LOG"
echo "## 5. the field-like log as other loggers write it: HTML-escaped, ECS JSON lines"
if [ -n "${REBUILD:-}" ] || [ ! -f "$B/field-100.jsonl" ]; then
  python3 - "$FIELD" "$B/field-100.escaped.log" "$B/field-100.jsonl" <<'PY'
import html, json, re, sys
header = re.compile(r"^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3}) (\w+)\s+\[([^\]]*)\] ?(.*)$")
with open(sys.argv[1], encoding="utf-8", errors="replace") as log, \
     open(sys.argv[2], "w") as escaped, open(sys.argv[3], "w") as jsonl:
    record = None
    def flush():
        if record:
            jsonl.write(json.dumps(record) + "\n")
    for line in log:
        escaped.write(html.escape(line, quote=True))
        m = header.match(line.rstrip("\n"))
        if m:
            flush()
            record = {"@timestamp": f"{m[1]}T{m[2]}.{m[3]}Z", "log.level": m[4],
                      "log.logger": m[5], "message": m[6]}
        elif record is not None:
            record["message"] += "\n" + line.rstrip("\n")
    flush()
PY
fi
hyperfine -N --warmup 1 --runs 5 --export-markdown "$B/log-throughput-shapes.md" --output=pipe \
  --command-name "grep -cF '</SyncML>' (field)" "grep -cF </SyncML> $FIELD" \
  --command-name "dmtool log explain (field)" "$DM log explain $FIELD" \
  --command-name "grep -cF '&lt;/SyncML&gt;' (escaped)" "grep -cF &lt;/SyncML&gt; $B/field-100.escaped.log" \
  --command-name "dmtool log explain (escaped)" "$DM log explain $B/field-100.escaped.log" \
  --command-name "grep -cF '</SyncML>' (JSON lines)" "grep -cF </SyncML> $B/field-100.jsonl" \
  --command-name "dmtool log explain (JSON lines)" "$DM log explain $B/field-100.jsonl"
cat "$B/log-throughput-field.md" "$B/log-throughput.md" "$B/log-pretty.md" "$B/log-packages.md" "$B/log-throughput-shapes.md"
ls -l "$B"/server-*.log "$B"/field-*.log
