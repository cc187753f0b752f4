#!/usr/bin/env bash
# WBXML decoding speed (BENCHMARKS.md): `dmtool wbxml decode` against libwbxml's
# `wbxml2xml` (Debian libwbxml2-utils) on the same WBXML input, in one
# hyperfine run. The input is one large DM message (a Results of N items of
# DevDetail-like nodes, about 7 MB of WBXML), written as XML by this script and
# encoded by `xml2wbxml`, so neither side's encoder is measured.
# Usage: bash benches/wbxml.sh [ITEMS]   (needs hyperfine, xml2wbxml, wbxml2xml, python3)
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in hyperfine xml2wbxml wbxml2xml python3; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install hyperfine libwbxml2-utils)" >&2; exit 1; }
done
cargo build --release --quiet --bin dmtool
B=target/bench; mkdir -p "$B"
items=${1:-40000}
python3 - "$items" > "$B/large.xml" <<'PY'
import sys
n = int(sys.argv[1])
print('<SyncML xmlns="SYNCML:SYNCML1.2"><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>'
      '<SessionID>1A2B</SessionID><MsgID>2</MsgID><Target><LocURI>https://dme.example.com/dm</LocURI></Target>'
      '<Source><LocURI>IMEI:356938035643809</LocURI></Source></SyncHdr><SyncBody>'
      '<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd><Data>212</Data></Status>'
      '<Results><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>4</CmdRef>')
for i in range(n):
    print(f'<Item><Source><LocURI>./SCM/Inventory/Delivered/App{i}/Name</LocURI></Source>'
          f'<Meta><Format xmlns="syncml:metinf">chr</Format><Type xmlns="syncml:metinf">text/plain</Type></Meta>'
          f'<Data>Application number {i} &amp; its data</Data></Item>')
print('</Results><Final/></SyncBody></SyncML>')
PY
# -n: no string table (xml2wbxml builds one in time that grows faster than the input)
xml2wbxml -n -o "$B/large.wbxml" "$B/large.xml" >/dev/null
ls -l "$B/large.xml" "$B/large.wbxml"
hyperfine -N --warmup 2 --runs "${RUNS:-20}" --export-markdown "$B/wbxml.md" \
  --command-name "wbxml2xml" "wbxml2xml -o /dev/null $B/large.wbxml" \
  --command-name "dmtool wbxml decode --compact" "target/release/dmtool wbxml decode $B/large.wbxml --compact --color never" \
  --command-name "dmtool wbxml decode (indented)" "target/release/dmtool wbxml decode $B/large.wbxml --color never" \
  --output=null
cat "$B/wbxml.md"
