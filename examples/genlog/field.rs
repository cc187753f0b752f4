//! `genlog --field`: a log that looks like a production DME server's, for the
//! benchmarks that must hold in the field. Over hours of log time (3 to 120 ms
//! between records), 50 devices' sessions interleave; of them:
//!
//! - a third are lost: the device never answers the server's commands, or the
//!   server never answers the device's package 1;
//! - half are server-initiated: a package 0 (hex) is logged first, and one in
//!   ten of those devices never opens the session;
//! - one in eight is logged as hex WBXML (16 bytes a line) instead of XML;
//! - messages are of mixed sizes: package 1 with DevInfo, the server's
//!   commands on long LocURIs, Results with base64 payloads of 2 to 8 KB;
//! - between the messages, 0 to 4 ordinary records (scheduler, SQL, SMS
//!   gateway, requests) and now and then an error with a stack trace;
//! - with `--commands N`, the server's package 2 also carries N Replaces (a
//!   bulk configuration), answered by the devices that answer: the lost
//!   sessions then hold many commands each.
//!
//! Deterministic (a fixed xorshift seed).

use std::io::Write;

use anyhow::Result;

use super::Session;

/// A small deterministic generator (xorshift64*).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `low..high`.
    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low)
    }

    /// True once in `n`.
    fn one_in(&mut self, n: u64) -> bool {
        self.next().is_multiple_of(n)
    }
}

/// How a session goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fate {
    Completes,
    /// The device never answers the server's commands.
    Lost,
    /// The server never answers the device's package 1.
    Silent,
    /// A package 0 the device never answers: no session at all.
    Unreachable,
}

struct FieldSession {
    base: Session,
    fate: Fate,
    notified: bool,
    wbxml: bool,
    payload: usize,
    app: String,
    /// Replaces of a bulk configuration in the server's package 2.
    bulk: usize,
}

/// The bulk configuration's Replaces (CmdID 7 on), or the device's Statuses
/// of them (its CmdID 6 on).
fn bulk(count: usize, answers: bool) -> String {
    (0..count)
        .map(|n| {
            let id = 7 + n;
            if answers {
                Session::status(6 + n as u32, 1, id as u32, "Replace", 200)
            } else {
                format!(
                    "    <Replace><CmdID>{id}</CmdID><Item><Target><LocURI>./Vendor/Example/Settings/Profile{}/Value</LocURI></Target><Data>{n}</Data></Item></Replace>\n",
                    n % 40
                )
            }
        })
        .collect()
}

/// A long LocURI, as software management trees have them.
fn app_name(random: &mut Random) -> String {
    let vendors = [
        "com.example.enterprise",
        "org.fieldforce.mobile",
        "net.carrier.services",
    ];
    let vendor = vendors[(random.next() % 3) as usize];
    format!(
        "{vendor}.{}.{:08x}-{:04x}-{:04x}-{:012x}",
        ["mail", "vpn", "crm", "inventory", "timesheet"][(random.next() % 5) as usize],
        random.next() as u32,
        random.next() as u16,
        random.next() as u16,
        random.next() & 0xFFFF_FFFF_FFFF
    )
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `len` characters of base64 (a payload whose bytes do not matter).
fn base64_payload(random: &mut Random, len: usize) -> String {
    let mut text = String::with_capacity(len + 4);
    while text.len() + 4 <= len {
        let word = random.next();
        for shift in [0, 6, 12, 18] {
            text.push(char::from(B64[((word >> shift) & 63) as usize]));
        }
    }
    text
}

impl FieldSession {
    fn message(&mut self, random: &mut Random) -> Option<(bool, String)> {
        self.base.step += 1;
        let id = self.base.id;
        let app = &self.app;
        let meta = if self.wbxml {
            String::new()
        } else {
            "<Meta><Format xmlns=\"syncml:metinf\">b64</Format><Type xmlns=\"syncml:metinf\">application/vnd.syncml.dm+xml</Type></Meta>".to_owned()
        };
        let body = match (self.base.step, self.fate) {
            (1, _) => format!(
                "{}  <SyncBody>\n    <Alert><CmdID>1</CmdID><Data>{}</Data></Alert>\n    <Replace><CmdID>2</CmdID>\n{}    </Replace>\n    <Final/>\n  </SyncBody>\n",
                self.base.header(1, true),
                if self.notified { 1200 } else { 1201 },
                [
                    ("DevId", self.base.device.as_str()),
                    ("Man", "Nokia"),
                    ("Mod", ["E71", "E72", "N97", "6220c"][(id % 4) as usize]),
                    ("DmV", "1.2"),
                    ("Lang", "en-US"),
                ]
                .iter()
                .map(|(node, value)| format!(
                    "      <Item><Source><LocURI>./DevInfo/{node}</LocURI></Source><Data>{value}</Data></Item>\n"
                ))
                .collect::<String>()
            ),
            (2, Fate::Silent) => return None,
            (2, _) => format!(
                "{}  <SyncBody>\n{}{}{}    <Get><CmdID>4</CmdID><Item><Target><LocURI>./SCM/Inventory/Deployed/{app}/Data</LocURI></Target></Item></Get>\n    \
                 <Replace><CmdID>5</CmdID><Item><Target><LocURI>./SCM/Download/{app}/Name</LocURI></Target><Data>{app}</Data></Item>\
                 <Item><Target><LocURI>./SCM/Download/{app}/URI</LocURI></Target><Data>https://dme.example.com:8443/download/{app}.sis?token={:016x}</Data></Item></Replace>\n    \
                 <Exec><CmdID>6</CmdID><Item><Target><LocURI>./SCM/Download/{app}/Operations/DownloadAndInstall</LocURI></Target></Item></Exec>\n{}    <Final/>\n  </SyncBody>\n",
                self.base.header(1, false),
                Session::status(1, 1, 0, "SyncHdr", 212),
                Session::status(2, 1, 1, "Alert", 200),
                Session::status(3, 1, 2, "Replace", 200),
                random.next(),
                bulk(self.bulk, false),
            ),
            (3, Fate::Lost) => return None,
            (3, _) => format!(
                "{}  <SyncBody>\n{}{}{}{}{}    <Results><CmdID>5</CmdID><MsgRef>1</MsgRef><CmdRef>4</CmdRef>{meta}<Item>\
                 <Source><LocURI>./SCM/Inventory/Deployed/{app}/Data</LocURI></Source><Data>{}</Data></Item></Results>\n    <Final/>\n  </SyncBody>\n",
                self.base.header(2, true),
                Session::status(1, 1, 0, "SyncHdr", 200),
                Session::status(2, 1, 4, "Get", 200),
                Session::status(3, 1, 5, "Replace", 200),
                Session::status(4, 1, 6, "Exec", if id.is_multiple_of(11) { 500 } else { 202 }),
                bulk(self.bulk, true),
                base64_payload(random, self.payload),
            ),
            (4, _) => format!(
                "{}  <SyncBody>\n{}{}    <Final/>\n  </SyncBody>\n",
                self.base.header(2, false),
                Session::status(1, 2, 0, "SyncHdr", 200),
                Session::status(2, 2, 5, "Results", 200),
            ),
            _ => return None,
        };
        Some((self.base.step % 2 == 1, body))
    }
}

/// The package 0 of a server-initiated session (digest not checked here).
fn package_0(session: u16) -> Vec<u8> {
    let mut bytes = vec![0x5A; 16];
    let [high, low] = session.to_be_bytes();
    bytes.extend([0x03, 0x28, 0x00, 0x00, 0x00, high, low, 0x03]);
    bytes.extend(b"dme");
    bytes
}

fn hex_lines(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 3 + bytes.len() / 16 + 1);
    for line in bytes.chunks(16) {
        let words: Vec<String> = line.iter().map(|b| format!("{b:02X}")).collect();
        text.push_str(&words.join(" "));
        text.push('\n');
    }
    text
}

/// SyncML 1.2 tags (code page 0) and their WBXML tokens.
const TOKENS: &[(&str, u8)] = &[
    ("Alert", 0x06),
    ("Cmd", 0x0A),
    ("CmdID", 0x0B),
    ("CmdRef", 0x0C),
    ("Data", 0x0F),
    ("Exec", 0x11),
    ("Final", 0x12),
    ("Get", 0x13),
    ("Item", 0x14),
    ("LocURI", 0x17),
    ("MsgID", 0x1B),
    ("MsgRef", 0x1C),
    ("Replace", 0x20),
    ("Results", 0x22),
    ("SessionID", 0x25),
    ("Source", 0x27),
    ("Status", 0x29),
    ("SyncBody", 0x2B),
    ("SyncHdr", 0x2C),
    ("SyncML", 0x2D),
    ("Target", 0x2E),
    ("VerDTD", 0x31),
    ("VerProto", 0x32),
];

/// A message of the generator's own XML (no attributes but on `<SyncML>`, no
/// Meta) as WBXML 1.3, SyncML 1.2, UTF-8, no string table.
fn wbxml(xml: &str) -> Vec<u8> {
    let token = |name: &str| {
        TOKENS
            .iter()
            .find(|(tag, _)| *tag == name)
            .map_or_else(|| panic!("no token for {name}"), |(_, token)| *token)
    };
    let mut bytes = vec![0x03, 0xA4, 0x01, 0x6A, 0x00];
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        let text = rest[..start].trim();
        if !text.is_empty() {
            bytes.push(0x03);
            bytes.extend(text.as_bytes());
            bytes.push(0x00);
        }
        let end = rest[start..].find('>').map_or(rest.len(), |e| start + e);
        let tag = &rest[start + 1..end];
        if tag.starts_with('/') {
            bytes.push(0x01);
        } else if let Some(empty) = tag.strip_suffix('/') {
            bytes.push(token(empty.trim()));
        } else {
            let name = tag.split_whitespace().next().unwrap_or_default();
            bytes.push(token(name) | 0x40);
        }
        rest = &rest[end + 1..];
    }
    bytes
}

/// The ordinary records between messages.
fn noise(random: &mut Random, time: &str, out: &mut String) {
    use std::fmt::Write as _;
    for _ in 0..random.between(0, 5) {
        let thread = random.between(1, 40);
        // Writing to a String cannot fail.
        let _ = match random.between(0, 6) {
            0 => writeln!(
                out,
                "{time} INFO  [com.excitor.dme.job.JobScheduler] (pool-2-thread-{thread}) {} jobs waiting, {} running",
                random.between(0, 500),
                random.between(0, 40)
            ),
            1 => writeln!(
                out,
                "{time} DEBUG [org.hibernate.SQL] (http-8443-{thread}) select job0_.jobPK as jobPK1_, job0_.state as state1_, \
                 job0_.operationFK as operationFK1_ from Job job0_ where job0_.deviceFK=? and job0_.state in (?, ?, ?)"
            ),
            2 => writeln!(
                out,
                "{time} WARN  [com.excitor.dme.sms.SmsGateway] (sms-1) delivery report late for 3011{:04}: retry {}",
                random.between(0, 10_000),
                random.between(1, 4)
            ),
            3 => writeln!(
                out,
                "{time} INFO  [com.excitor.dme.dm.DMServlet] (http-8443-{thread}) DM request from 10.{}.{}.{}",
                random.between(0, 256),
                random.between(0, 256),
                random.between(1, 255)
            ),
            4 if random.one_in(8) => writeln!(
                out,
                "{time} ERROR [com.excitor.dme.dm.DMServlet] (http-8443-{thread}) cannot write the response\n\
                 java.net.SocketException: Connection reset\n\
                 \tat java.net.SocketOutputStream.socketWrite(SocketOutputStream.java:96)\n\
                 \tat org.apache.coyote.http11.InternalOutputBuffer.flush(InternalOutputBuffer.java:305)\n\
                 \tat com.excitor.dme.dm.DMServlet.doPost(DMServlet.java:212)\n\
                 \tat javax.servlet.http.HttpServlet.service(HttpServlet.java:637)"
            ),
            _ => writeln!(
                out,
                "{time} DEBUG [com.excitor.dme.dm.SessionManager] (http-8443-{thread}) session cache: {} entries",
                random.between(10, 2000)
            ),
        };
    }
}

/// The record of a package 0 sent to the device of session `id`.
fn notification(time: &str, id: u64, out: &mut String) {
    out.push_str(&format!(
        "{time} DEBUG [com.excitor.dme.dm.util.LogUtil] (sms-1) Sending notification to 3011{:04}:\n",
        id % 10_000
    ));
    out.push_str(&hex_lines(&package_0((id & 0xFFFF) as u16)));
}

/// A log4j timestamp `clock` milliseconds after 2010-06-28 00:00.
fn timestamp(clock: u64) -> String {
    let day = clock / 86_400_000;
    format!(
        "2010-{:02}-{:02} {:02}:{:02}:{:02},{:03}",
        6 + (27 + day) / 30,
        1 + (27 + day) % 30,
        (clock / 3_600_000) % 24,
        (clock / 60_000) % 60,
        (clock / 1000) % 60,
        clock % 1000
    )
}

/// Writes `limit` bytes of field-like log; returns the bytes and sessions written.
pub(crate) fn write(
    out: &mut impl Write,
    limit: u64,
    concurrent: usize,
    commands: usize,
) -> Result<(u64, u64)> {
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let mut written = 0u64;
    let mut next_id = 0u64;
    let mut sessions: Vec<FieldSession> = Vec::new();
    let mut clock = 0u64;
    let mut text = String::with_capacity(64 * 1024);
    while written < limit {
        text.clear();
        while sessions.len() < concurrent {
            next_id += 1;
            let fate = match random.between(0, 6) {
                0 => Fate::Silent,
                1 => Fate::Lost,
                _ => Fate::Completes,
            };
            let notified = random.one_in(2);
            let fate = if notified && random.one_in(10) {
                Fate::Unreachable
            } else {
                fate
            };
            sessions.push(FieldSession {
                base: Session {
                    // SessionIDs are 16 bits (a package 0 carries them): they repeat.
                    id: 0x1000 + next_id % 0xE000,
                    device: format!("IMEI:35{:013}", next_id * 7919 % 10_000_000_000_000),
                    step: 0,
                },
                fate,
                notified,
                wbxml: random.one_in(8),
                payload: random.between(2048, 8192) as usize,
                app: app_name(&mut random),
                bulk: commands,
            });
        }
        clock += random.between(3, 120);
        let time = timestamp(clock);
        let slot = (random.next() % sessions.len() as u64) as usize;
        let thread = slot % 40;
        let session = &mut sessions[slot];
        if session.fate == Fate::Unreachable {
            notification(&time, session.base.id, &mut text);
            sessions.swap_remove(slot);
        } else {
            match session.message(&mut random) {
                Some((from_device, body)) => {
                    // The SMS goes out, the device calls back seconds later.
                    if session.base.step == 1 && session.notified {
                        notification(&time, session.base.id, &mut text);
                        clock += random.between(800, 5000);
                    }
                    let time = timestamp(clock);
                    let what = if from_device {
                        "Received from device:"
                    } else {
                        "Sending to device:"
                    };
                    text.push_str(&format!(
                        "{time} DEBUG [com.excitor.dme.dm.util.LogUtil] (http-8443-{thread}) {what}\n"
                    ));
                    let xml = format!("<SyncML xmlns=\"SYNCML:SYNCML1.2\">\n{body}</SyncML>\n");
                    if session.wbxml {
                        text.push_str(&hex_lines(&wbxml(&xml)));
                    } else {
                        text.push_str(&xml);
                    }
                }
                None => {
                    sessions.swap_remove(slot);
                }
            }
        }
        noise(&mut random, &time, &mut text);
        out.write_all(text.as_bytes())?;
        written += text.len() as u64;
    }
    Ok((written, next_id))
}
