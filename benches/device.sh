#!/usr/bin/env bash
# One phone end to end (BENCHMARKS.md): `dmtool device PHONE --db DB --log LOG`
# against `dmtool log explain LOG --device IMEI` (the same log read for the same
# device, without the job database), side by side on the field-like 100 MB and
# 1 GB logs of benches/log.sh; then the HTML report of each log: time, size and
# peak memory. The database is the demo one in a SQLite file, with the guide's
# phone given the IMEI of a device of the bench logs.
# Usage: bash benches/device.sh   (needs hyperfine, sqlite3, /usr/bin/time; run
# benches/log.sh first to write the logs).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine sqlite3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
B=target/bench
[ -f "$B/field-1024.log" ] || { echo "run bash benches/log.sh first (it writes $B/field-*.log)" >&2; exit 1; }
cargo build --release --quiet --bin dmtool
DM=target/release/dmtool
# A device of the logs: the first LocURI of a device in the 100 MB one.
IMEI=$(grep -m1 -o '<Source><LocURI>IMEI:[0-9]*' "$B/field-100.log" | sed 's/.*<LocURI>//')
DB=$B/device-bench.db
rm -f "$DB"
sqlite3 "$DB" < testdata/demo.sql
sqlite3 "$DB" "UPDATE dm_devices SET imei = '$IMEI' WHERE devicePK = 30"
for size in 100 1024; do
  LOG=$B/field-$size.log
  runs=10; [ "$size" = 1024 ] && runs=5
  hyperfine -N --warmup 1 --runs "$runs" --export-markdown "$B/device-$size.md" --output=null \
    -n "log explain --device ($size MB)" "$DM log explain $LOG --device $IMEI -f json" \
    -n "device --log ($size MB)" "$DM device 30116718 --db $DB --log $LOG -f json"
done
for size in 100 1024; do
  LOG=$B/field-$size.log
  /usr/bin/time -f "%e s, peak %M KB" -o "$B/html-$size.time" \
    "$DM" log explain "$LOG" -f html > "$B/report-$size.html"
  echo "html $size MB: $(cat "$B/html-$size.time"), $(stat -c %s "$B/report-$size.html") bytes" | tee "$B/html-$size.md"
  /usr/bin/time -f "%e s, peak %M KB" -o "$B/explain-$size.time" "$DM" log explain "$LOG" > /dev/null
  echo "explain text $size MB: $(cat "$B/explain-$size.time")" | tee -a "$B/html-$size.md"
done
