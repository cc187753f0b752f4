#!/usr/bin/env python3
"""Writes the logs of one phone end to end (`dmtool device PHONE --log`), one
scenario a file, each for a phone of the demo database (testdata/demo.sql) and
the jobs it holds. Run from the repository root:

    python3 testdata/journeys/make.py

  agrees.log        30227711 (HTC Touch Pro): both jobs carried, every answer
                    as the database has it.
  lost-exec.log     30551144 (Nokia N95 8GB): the explore job agrees; the
                    install session is lost after the Exec (the database
                    says 101, the log has no answer; the Get never went).
  db-only.log       30884477 (Nokia E63): the device's answers to four of the
                    explore job's nine commands are not in the log, though
                    the database has them.
  package0.log      30773366: a package 0 sent for the explore job, no session
                    answered it; another phone's session shows the log went on.
  auth-loop.log     30449933 (Nokia E66): the install job's session never gets
                    past authentication (three 401s); the database marks the
                    job Failed.

DME's log4j layout (LogUtil at DEBUG), as in testdata/dme-server.log; packages 0
as DME writes them (the record names the phone, the bytes follow as hex).
"""
from pathlib import Path

HERE = Path(__file__).resolve().parent
SERVER = "https://dme.example.com:8443/dm"
thread = 0


def record(time, text, level="DEBUG", logger="com.excitor.dme.dm.util.LogUtil"):
    global thread
    thread += 1
    return f"{time} {level:<5} [{logger}] (http-8443-{thread % 7 + 1}) {text}\n"


def package_0(session):
    high, low = session.to_bytes(2, "big")
    return ("C8 94 AC 66 A0 14 A3 35 07 48 38 8C DB 21 DE A2\n"
            f"03 28 00 00 00 {high:02X} {low:02X} 03 64 6D 65\n")


def notify(time, phone, session):
    return record(time, f"Sending notification to {phone}:", logger="com.excitor.dme.sms.SmsSender") + package_0(session)


def header(session, msg, device, to_server, cred=None):
    target, source = (SERVER, device) if to_server else (device, SERVER)
    cred_xml = ""
    if cred:
        cred_xml = ('<Cred><Meta><Format xmlns="syncml:metinf">b64</Format>'
                    '<Type xmlns="syncml:metinf">syncml:auth-md5</Type></Meta>'
                    f"<Data>{cred}</Data></Cred>")
    return ("  <SyncHdr>\n"
            f"    <VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>{session:04X}</SessionID><MsgID>{msg}</MsgID>\n"
            f"    <Target><LocURI>{target}</LocURI></Target>\n"
            f"    <Source><LocURI>{source}</LocURI></Source>{cred_xml}\n"
            "  </SyncHdr>\n")


def message(time, session, msg, device, to_server, body, cred=None, final=True):
    text = "Received from device:" if to_server else "Sending to device:"
    return (record(time, text)
            + '<SyncML xmlns="SYNCML:SYNCML1.2">\n'
            + header(session, msg, device, to_server, cred)
            + "  <SyncBody>\n"
            + "".join(f"    {line}\n" for line in body)
            + ("    <Final/>\n" if final else "")
            + "  </SyncBody>\n</SyncML>\n")


def status(cmd_id, msg_ref, cmd_ref, cmd, code, chal=None):
    chal_xml = ""
    if chal:
        chal_xml = ('<Chal><Meta><Format xmlns="syncml:metinf">b64</Format>'
                    '<Type xmlns="syncml:metinf">syncml:auth-md5</Type>'
                    f'<NextNonce xmlns="syncml:metinf">{chal}</NextNonce></Meta></Chal>')
    return (f"<Status><CmdID>{cmd_id}</CmdID><MsgRef>{msg_ref}</MsgRef><CmdRef>{cmd_ref}</CmdRef>"
            f"<Cmd>{cmd}</Cmd>{chal_xml}<Data>{code}</Data></Status>")


def command(cmd_id, cmd, target, data=None):
    data_xml = f"<Data>{data}</Data>" if data is not None else ""
    return f"<{cmd}><CmdID>{cmd_id}</CmdID><Item><Target><LocURI>{target}</LocURI></Target>{data_xml}</Item></{cmd}>"


def opening(time, session, device, model):
    """The device's package 1: Alert 1200 (server-initiated) and its DevInfo."""
    return message(time, session, 1, device, True, [
        "<Alert><CmdID>1</CmdID><Data>1200</Data></Alert>",
        "<Replace><CmdID>2</CmdID>"
        f"<Item><Source><LocURI>./DevInfo/DevId</LocURI></Source><Data>{device}</Data></Item>"
        f"<Item><Source><LocURI>./DevInfo/Mod</LocURI></Source><Data>{model}</Data></Item>"
        "<Item><Source><LocURI>./DevInfo/DmV</LocURI></Source><Data>1.2</Data></Item></Replace>",
    ], cred="Y29ycmVjdGRpZ2VzdA==")


def session(times, session_id, device, model, operations, answers=None, then=None):
    """A whole session: package 1, the server's commands (one message), the
    device's statuses, the server's closing message. `answers` is the status
    per operation (None: no Status in the log). With `then`, the server's
    second message carries these commands instead of closing, and the device
    never answers it."""
    times = iter(times)
    out = opening(next(times), session_id, device, model)
    body = [status(1, 1, 0, "SyncHdr", 212), status(2, 1, 1, "Alert", 200), status(3, 1, 2, "Replace", 200)]
    body += [command(4 + i, cmd, target, data) for i, (cmd, target, data) in enumerate(operations)]
    out += message(next(times), session_id, 1, device, False, body)
    answers = answers or [200] * len(operations)
    body = [status(1, 1, 0, "SyncHdr", 200)]
    body += [status(2 + i, 1, 4 + i, cmd, code)
             for i, ((cmd, _, _), code) in enumerate(zip(operations, answers)) if code is not None]
    out += message(next(times), session_id, 2, device, True, body)
    closing = [status(1, 2, 0, "SyncHdr", 200)]
    closing += [command(2 + i, cmd, target, data) for i, (cmd, target, data) in enumerate(then or [])]
    out += message(next(times), session_id, 2, device, False, closing)
    return out


def noise(time, text):
    return record(time, text, level="INFO", logger="com.excitor.dme.dm.DMServlet")


EXPLORE = [
    ("Get", "./Com.SonyEricsson/Content/JavaApplications", None),
    ("Get", "./SCM/Inventory/Delivered", None),
    ("Get", "./SCM/Download", None),
    ("Get", "./SCM/Inventory/Deployed", None),
    ("Add", "./SCM/Inventory/Delivered/deleteMe", None),
    ("Get", "./Software/Inventory/Native", None),
    ("Get", "./Vendor/MSFT/SwMgmt/Download", None),
]
S60_TAIL = [("Get", "./SCM/Inventory/Deployed", None), ("Delete", "./SCM/Inventory/Delivered/deleteMe", None)]
S60 = [404, 200, 200, 200, 200, 404, 404, 200, 200]


def agrees():
    device, phone = "IMEI:351234567890125", "30227711"
    out = noise("2010-06-30 10:12:05,100", "Job 3A9C0E5B7D2F41C8A6E1B0D94F2C7E13 created for device 31")
    out += notify("2010-06-30 10:12:05,300", phone, 0x0A01)
    out += session(["2010-06-30 10:12:09,010", "2010-06-30 10:12:09,200", "2010-06-30 10:12:10,450", "2010-06-30 10:12:10,600"],
                   0x0A01, device, "Touch Pro", EXPLORE, [404, 404, 404, 404, 404, 404, 200])
    out += notify("2010-06-30 10:12:40,300", phone, 0x0A02)
    install = [
        ("Add", "./Vendor/MSFT/SwMgmt/Download/DMEClient", None),
        ("Replace", "./Vendor/MSFT/SwMgmt/Download/DMEClient/Name", "DME Client 3.5 for Windows Mobile"),
        ("Replace", "./Vendor/MSFT/SwMgmt/Download/DMEClient/PkgURL", "https://dme.example.com/dm/client/dmeclient.cab"),
        ("Exec", "./Vendor/MSFT/SwMgmt/Download/DMEClient/Operations/DownloadInstall", None),
    ]
    out += session(["2010-06-30 10:12:44,010", "2010-06-30 10:12:44,200", "2010-06-30 10:13:30,450", "2010-06-30 10:13:30,600"],
                   0x0A02, device, "Touch Pro", install)
    return out


def lost_exec():
    device, phone = "IMEI:356938035222222", "30551144"
    out = notify("2010-07-02 08:00:00,400", phone, 0x0B01)
    out += session(["2010-07-02 08:00:03,010", "2010-07-02 08:00:03,200", "2010-07-02 08:00:04,450", "2010-07-02 08:00:04,600"],
                   0x0B01, device, "N95 8GB", EXPLORE + S60_TAIL, S60)
    out += notify("2010-07-02 08:00:30,400", phone, 0x0B02)
    install = [
        ("Add", "./SCM/Download/DMEClient", None),
        ("Replace", "./SCM/Download/DMEClient/Data", "UEsDBBQAAAAIAAAAIQDmZ0xhAQAAAP//AwBQSwECFAAUAAAACAAAACEA5mdMYQEAAAD//wMAUEsFBgAAAAABAAEAMAAAADEAAAAAAA=="),
    ]
    # The server goes on with the Exec; the device never answers.
    out += session(["2010-07-02 08:00:33,010", "2010-07-02 08:00:33,200", "2010-07-02 08:00:34,450", "2010-07-02 08:00:34,600"],
                   0x0B02, device, "N95 8GB", install,
                   then=[("Exec", "./SCM/Download/DMEClient/Operations/Install", None)])
    out += noise("2010-07-02 08:03:00,000", "Heartbeat: 12 sessions open")
    out += noise("2010-07-02 08:04:10,000", "Heartbeat: 11 sessions open")
    return out


def db_only():
    device, phone = "IMEI:356938035666666", "30884477"
    out = notify("2010-07-03 09:30:00,500", phone, 0x0C01)
    answers = [404, 200, 200, 200, 418] + [None] * 4
    out += session(["2010-07-03 09:30:04,010", "2010-07-03 09:30:04,200", "2010-07-03 09:30:05,450", "2010-07-03 09:30:05,600"],
                   0x0C01, device, "E63", EXPLORE + S60_TAIL, answers)
    return out


def package0():
    phone = "30773366"
    out = noise("2010-07-02 11:59:58,000", "Heartbeat: 3 sessions open")
    out += notify("2010-07-02 12:00:01,200", phone, 0x0D01)
    # Another phone's session: the log went on.
    out += session(["2010-07-02 12:03:00,010", "2010-07-02 12:03:00,200", "2010-07-02 12:03:01,450", "2010-07-02 12:03:01,600"],
                   0x0D02, "IMEI:356938035643809", "E71", [("Get", "./DevDetail/SwV", None)])
    out += noise("2010-07-02 12:10:00,000", "Heartbeat: 2 sessions open")
    return out


def auth_loop():
    device, phone = "IMEI:356938035111111", "30449933"
    out = notify("2010-06-29 09:15:03,100", phone, 0x0E01)
    times = ["2010-06-29 09:15:06,010", "2010-06-29 09:15:06,200", "2010-06-29 09:15:07,010",
             "2010-06-29 09:15:07,200", "2010-06-29 09:15:08,010", "2010-06-29 09:15:08,200"]
    nonces = ["bm9uY2Ux", "bm9uY2Uy", "bm9uY2Uz"]
    for attempt in range(3):
        out += message(times[2 * attempt], 0x0E01, attempt + 1, device, True, [
            "<Alert><CmdID>1</CmdID><Data>1200</Data></Alert>",
        ], cred="d3JvbmdkaWdlc3Q=")
        out += message(times[2 * attempt + 1], 0x0E01, attempt + 1, device, False, [
            status(1, attempt + 1, 0, "SyncHdr", 401, chal=nonces[attempt]),
            status(2, attempt + 1, 1, "Alert", 200),
        ])
    out += noise("2010-06-29 09:21:00,000", "Heartbeat: 4 sessions open")
    return out


def main():
    for name, make in [("agrees", agrees), ("lost-exec", lost_exec), ("db-only", db_only),
                       ("package0", package0), ("auth-loop", auth_loop)]:
        (HERE / f"{name}.log").write_text(make())


main()
