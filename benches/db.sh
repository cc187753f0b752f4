#!/usr/bin/env bash
# Job-database benchmarks (BENCHMARKS.md). Builds DME databases with 100k, 1M and
# 10M operations (examples/gendb.rs) in SQLite and in the local MariaDB, then
# measures with hyperfine, in one run:
#   1. `dmtool jobs --phone X --format csv` against sqlite3 and the mariadb client
#      running the same SQL (the guide's query, as `--show-sql` prints it);
#   2. the same phone query on 100k and on 10M operations (rows returned: 100);
#   3. a whole-table CSV export of 1M operations against sqlite3 / mariadb;
#   4. peak memory (GNU time) of a jsonl export of 100k and of 1M rows.
# Usage: bash benches/db.sh   (needs hyperfine, sqlite3, mariadb client, /usr/bin/time;
#        MariaDB on 127.0.0.1:3306, root without password). REBUILD=1 regenerates.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine sqlite3 mariadb /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done
cargo build --release --quiet --bin dmtool --example gendb
B=target/bench; mkdir -p "$B"
DM=target/release/dmtool
MYSQL_BASE=mysql://root@127.0.0.1:3306
RUNS=${RUNS:-300}

for size in 100k:100000 1m:1000000 10m:10000000; do
  name=${size%%:*}; ops=${size##*:}
  if [ -n "${REBUILD:-}" ] || [ ! -f "$B/dme-$name.db" ] || \
     ! mariadb -h127.0.0.1 -uroot -e "USE dmtool_bench_$name" 2>/dev/null; then
    target/release/examples/gendb --operations "$ops" --sqlite "$B/dme-$name.db" \
      --mysql "$MYSQL_BASE/dmtool_bench_$name"
  fi
done

PHONE=40000500          # device 501: 100 operations in every database
SQL=$($DM jobs --phone $PHONE --show-sql)
ALL_SQL=$($DM jobs --show-sql)

echo "## 1+2. phone query: dmtool vs the native clients, 100k vs 10M operations"
hyperfine -N --warmup 50 --runs "$RUNS" --export-markdown "$B/db-phone.md" \
  --command-name "sqlite3, 100k" "sqlite3 -csv -header $B/dme-100k.db \"$SQL\"" \
  --command-name "dmtool sqlite, 100k" "$DM jobs --db sqlite:$B/dme-100k.db --phone $PHONE --format csv" \
  --command-name "sqlite3, 10M" "sqlite3 -csv -header $B/dme-10m.db \"$SQL\"" \
  --command-name "dmtool sqlite, 10M" "$DM jobs --db sqlite:$B/dme-10m.db --phone $PHONE --format csv" \
  --command-name "mariadb, 100k" "mariadb -h127.0.0.1 -uroot dmtool_bench_100k --batch -e \"$SQL\"" \
  --command-name "dmtool mysql, 100k" "$DM jobs --db $MYSQL_BASE/dmtool_bench_100k --phone $PHONE --format csv" \
  --command-name "mariadb, 10M" "mariadb -h127.0.0.1 -uroot dmtool_bench_10m --batch -e \"$SQL\"" \
  --command-name "dmtool mysql, 10M" "$DM jobs --db $MYSQL_BASE/dmtool_bench_10m --phone $PHONE --format csv"

echo "## 3. export of every operation of the 1M database (CSV)"
hyperfine -N --warmup 1 --runs 5 --export-markdown "$B/db-export.md" --output=null \
  --command-name "sqlite3, 1M rows" "sqlite3 -csv -header $B/dme-1m.db \"$ALL_SQL\"" \
  --command-name "dmtool sqlite, 1M rows" "$DM jobs --db sqlite:$B/dme-1m.db --format csv" \
  --command-name "mariadb, 1M rows" "mariadb -h127.0.0.1 -uroot dmtool_bench_1m --batch -e \"$ALL_SQL\"" \
  --command-name "dmtool mysql, 1M rows" "$DM jobs --db $MYSQL_BASE/dmtool_bench_1m --format csv"

echo "## 4. peak memory of a jsonl export (max RSS, KiB)"
{
  echo "| export | rows | max RSS [KiB] |"
  echo "|---|---:|---:|"
  for name in 100k 1m; do
    for backend in "sqlite:$B/dme-$name.db" "$MYSQL_BASE/dmtool_bench_$name"; do
      rss=$( { /usr/bin/time -f %M "$DM" jobs --db "$backend" --format jsonl > /dev/null; } 2>&1 | tail -1)
      rows=$($DM jobs --db "$backend" --format jsonl | wc -l)
      echo "| dmtool jobs --db ${backend%%:*} ($name) --format jsonl | $rows | $rss |"
    done
  done
} | tee "$B/db-memory.md"
cat "$B/db-phone.md" "$B/db-export.md"
