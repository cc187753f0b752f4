#!/usr/bin/env bash
# Runs the fuzz target for SECONDS (default 300), seeded with the project's
# fixtures and, when present, the public corpus. Needs the nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz --locked`). Prints libFuzzer's final
# statistics (the number of executions is the "#N" of its last lines).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-300}
mkdir -p corpus/transcript
cp ../testdata/*.log ../testdata/*.xml corpus/transcript/ 2>/dev/null || true
if [ -d ../../shared/corpus ]; then
  find ../../shared/corpus -type f -size -200k -exec cp {} corpus/transcript/ \; 2>/dev/null || true
fi
cargo +nightly fuzz run transcript corpus/transcript -- -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 2>&1 | tail -15
