#!/usr/bin/env bash
# Start-up cost of `dmtool status 404` against an empty Rust binary, in one
# hyperfine run. Usage: bash benches/startup.sh  (needs hyperfine: apt-get install hyperfine)
# Prints hyperfine's table; the "relative" column is the figure BENCHMARKS.md records.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
cargo build --release --quiet
mkdir -p target/bench
rustc -O --edition 2024 -o target/bench/empty benches/empty.rs
hyperfine --warmup 50 --runs "${RUNS:-1000}" -N --export-markdown target/bench/startup.md \
  --command-name 'empty Rust binary' target/bench/empty \
  --command-name 'dmtool status 404' 'target/release/dmtool status 404' \
  --command-name 'dmtool status 404 --format json' 'target/release/dmtool status 404 --format json'
cat target/bench/startup.md
