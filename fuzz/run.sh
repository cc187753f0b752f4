#!/usr/bin/env bash
# Runs a fuzz target (transcript: the log finder, parser, threading and
# explanation; wbxml: the WBXML and package 0 decoders; scan: the fast XML
# reader against quick-xml; bootstrap: the SMS, push and CP decoders) for SECONDS (default
# 300), seeded with the project's fixtures and, when present, the public corpus.
# Usage: bash fuzz/run.sh [SECONDS] [TARGET]   (TARGET defaults to transcript) Needs the nightly toolchain and
# cargo-fuzz (`cargo install cargo-fuzz --locked`). Prints libFuzzer's final
# statistics (the number of executions is the "#N" of its last lines).
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-300}
target=${2:-transcript}
mkdir -p "corpus/$target"
case "$target" in
  scan)
    # One message a file: the scanner reads a message, not a log.
    python3 - "corpus/$target" ../testdata/*.log ../testdata/*.xml <<'PY'
import pathlib, re, sys
out = pathlib.Path(sys.argv[1])
for name in sys.argv[2:]:
    text = pathlib.Path(name).read_text(errors="ignore")
    for i, m in enumerate(re.findall(r"<SyncML.*?</SyncML>", text, re.S)):
        (out / f"{pathlib.Path(name).stem}-{i}.xml").write_text(m)
PY
    pattern='*.xml' ;;
  transcript)
    cp ../testdata/*.log ../testdata/*.xml ../testdata/wbxml/*.log "corpus/$target/" 2>/dev/null || true
    # The fixture as other loggers write it (tests/shapes.rs checks these read right).
    python3 - "corpus/$target" ../testdata/dme-server.log <<'PY'
import html, json, pathlib, sys
out = pathlib.Path(sys.argv[1])
text = pathlib.Path(sys.argv[2]).read_text()
lines = text.split("\n")
(out / "shape-escaped.log").write_text("\n".join(html.escape(l) for l in lines))
(out / "shape-docker.json").write_text("".join(json.dumps({"log": l + "\n", "time": "2010-06-28T13:48:20Z"}) + "\n" for l in lines))
(out / "shape-ecs.jsonl").write_text(json.dumps({"@timestamp": "2010-06-28T13:48:20.105Z", "message": text}) + "\n")
(out / "shape-backslashed.log").write_text('x: "' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"\n')
(out / "shape-xmllayout.xml").write_text('<log4j:event logger="x" timestamp="1277732900880" level="DEBUG">\n<log4j:message><![CDATA[' + text + "]]></log4j:message>\n</log4j:event>\n")
(out / "shape-syslog.log").write_text("\n".join("Jun 28 13:48:20 h dm[1]: " + l for l in lines))
(out / "shape-cut.log").write_text("\n".join(lines[40:]))
PY
    pattern='*' ;;
  bootstrap)
    # The public vectors of the notes, pushed and bare (CP documents).
    python3 - "corpus/$target" <<'PY'
import pathlib, sys
out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
(out / "netwpin.bin").write_bytes(bytes.fromhex("01062F1F2DB6918092" + b"1AF545FE2823DC9347064450F90FF1BBF957E146".hex() + "00030B6A004501"))
(out / "bare.bin").write_bytes(bytes.fromhex("030B6A00C54601C600015501873600000603773700018700013000000600018D010101"))
(out / "sms.bin").write_bytes(bytes.fromhex("0605040B8423F001062F1F2DB6918192" + b"AA2DC41FC48AEEF3FED7351B1EE704461A8894D4".hex() + "00030B6A004501"))
PY
    pattern='*.bin' ;;
  wbxml)
    cp ../testdata/wbxml/*.wbxml "corpus/$target/" 2>/dev/null || true
    pattern='*.[wb][bi]*' ;;   # .wbxml and .bin
esac
if [ -d ../../shared/corpus ]; then
  find ../../shared/corpus -type f -name "$pattern" -size -200k -exec cp {} "corpus/$target/" \; 2>/dev/null || true
fi
cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536 2>&1 | tail -15
