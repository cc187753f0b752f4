#!/usr/bin/env python3
"""Regenerates the WBXML fixtures from the XML ones, with an independent
encoder: Debian's libwbxml2-utils (`xml2wbxml`). Run from the repository root:

    python3 testdata/wbxml/make.py

Writes, in testdata/wbxml/:
  dme-server.wbxml   every message of testdata/dme-server.log, encoded one
                     after the other (a file of several WBXML documents);
  findings.wbxml     the same for testdata/findings.xml;
  dme-server-hex.log testdata/dme-server.log with each message's XML replaced by
                     its WBXML written as hex (16 bytes a line, or one line of
                     lower-case hex) or base64 on the record's line, as DM
                     servers log binary messages, and a package 0 (hex) that
                     starts the server-initiated session 1A2B. The broken
                     message stays as it is.
The package 0: server ID "dme", password "serverpass", nonce "nonce" (see the
log tests), session 0x1A2B, UI mode 2, server-initiated, DM 1.2.
"""
import base64
import hashlib
import re
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent


def encode(xml: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp, "in.xml"), Path(tmp, "out.wbxml")
        source.write_text(xml)
        subprocess.run(["xml2wbxml", "-o", str(target), str(source)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return target.read_bytes()


def messages(text: str):
    return re.findall(r"<SyncML[\s>].*?</SyncML>", text, flags=re.S)


def package_0(server_id: bytes, password: bytes, nonce: bytes, session: int) -> bytes:
    version, ui_mode, initiator = 12, 2, 1
    header = (version << 54) | (ui_mode << 52) | (initiator << 51) | (session << 8) | len(server_id)
    trigger = header.to_bytes(8, "big") + server_id
    md5 = lambda b: hashlib.md5(b).digest()
    b64 = base64.b64encode
    digest = md5(b64(md5(server_id + b":" + password)) + b":" + nonce + b":" + b64(md5(trigger)))
    return digest + trigger


def hex_lines(data: bytes):
    return [" ".join(f"{b:02X}" for b in data[i:i + 16]) for i in range(0, len(data), 16)]


def main():
    log = (DATA / "dme-server.log").read_text()
    (HERE / "dme-server.wbxml").write_bytes(b"".join(encode(m) for m in messages(log)))
    findings = (DATA / "findings.xml").read_text()
    (HERE / "findings.wbxml").write_bytes(b"".join(encode(m) for m in messages(findings)))

    out, count = [], 0
    notification = package_0(b"dme", b"serverpass", b"nonce", 0x1A2B)
    out.append("2010-06-28 13:48:19,950 DEBUG [com.excitor.dme.dm.util.LogUtil] (sms-1) "
               "Sending notification to 30116718:")
    out.extend(hex_lines(notification))
    lines = log.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        start = line.find("<SyncML")
        if start < 0:
            if not line.startswith("<?xml"):
                out.append(line)
            i += 1
            continue
        # The message runs to the line holding </SyncML>, if it is there
        # before the next record.
        end = i
        while "</SyncML>" not in lines[end] and end + 1 < len(lines) and not re.match(r"\d{4}-", lines[end + 1]):
            end += 1
        if "</SyncML>" not in lines[end]:
            out.extend(lines[i:end + 1])
            i = end + 1
            continue
        xml = "\n".join([line[start:]] + lines[i + 1:end + 1])
        data = encode(xml)
        head = line[:start].rstrip()
        head = head if head else None
        count += 1
        if count == 2:
            out.append(f"{head} {base64.b64encode(data).decode()}" if head else base64.b64encode(data).decode())
        elif count == 3:
            if head:
                out.append(head)
            out.append(data.hex())
        else:
            if head:
                out.append(head)
            out.extend(hex_lines(data))
        i = end + 1
    (HERE / "dme-server-hex.log").write_text("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
