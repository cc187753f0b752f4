//! Writes a DME-style server log of a chosen size, for the log benchmarks
//! (`benches/log.sh`, BENCHMARKS.md): log4j records from `LogUtil` with the XML
//! on the following lines, other records between them, and many devices'
//! sessions interleaved (each one: package 1 with DevInfo, the server's Gets
//! and an Exec, the device's Statuses and Results, the server's closing
//! Statuses). Deterministic.
//!
//! With `--field`, the log looks like a production server's instead
//! (`genlog/field.rs`): a third of the sessions lost, packages 0 (some never
//! answered), message sizes mixed (DevInfo, Results with base64 payloads of
//! several KB, long LocURIs), some messages logged as hex WBXML, and ordinary
//! log records (schedulers, SQL, stack traces) between the messages, over
//! hours of log time.
//!
//! ```sh
//! cargo run --release --example genlog -- --megabytes 100 --output target/bench/server-100m.log
//! cargo run --release --example genlog -- --field --megabytes 100 --output target/bench/field-100m.log
//! cargo run --release --example genlog -- --field --commands 100 --megabytes 100 --output target/bench/bulk-100m.log
//! ```

// A developer tool: its progress line goes to stderr.
#![allow(clippy::print_stderr)]

use std::fs::File;
use std::io::{BufWriter, Write};

use anyhow::{Context, Result, bail};

#[path = "genlog/field.rs"]
mod field;

struct Args {
    megabytes: u64,
    output: String,
    concurrent: usize,
    field: bool,
    commands: usize,
}

fn parse_args() -> Result<Args> {
    let mut args = Args {
        megabytes: 100,
        output: String::new(),
        concurrent: 50,
        field: false,
        commands: 0,
    };
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        let mut value = || words.next().context("a value must follow each option");
        match word.as_str() {
            "--megabytes" => args.megabytes = value()?.parse()?,
            "--output" => args.output = value()?,
            "--concurrent" => args.concurrent = value()?.parse()?,
            "--field" => args.field = true,
            "--commands" => args.commands = value()?.parse()?,
            other => {
                bail!(
                    "unknown option {other}; options: --megabytes N --output FILE --concurrent N --field [--commands N]"
                )
            }
        }
    }
    if args.output.is_empty() {
        bail!("give --output FILE");
    }
    Ok(args)
}

const SERVER: &str = "https://dme.example.com:8443/dm";

/// One session's messages, generated on demand.
struct Session {
    id: u64,
    device: String,
    step: usize,
}

impl Session {
    fn header(&self, msg: u32, from_device: bool) -> String {
        let (target, source) = if from_device {
            (SERVER, self.device.as_str())
        } else {
            (self.device.as_str(), SERVER)
        };
        format!(
            "  <SyncHdr>\n    <VerDTD>1.2</VerDTD>\n    <VerProto>DM/1.2</VerProto>\n    \
             <SessionID>{:X}</SessionID>\n    <MsgID>{msg}</MsgID>\n    \
             <Target><LocURI>{target}</LocURI></Target>\n    <Source><LocURI>{source}</LocURI></Source>\n  </SyncHdr>\n",
            self.id
        )
    }

    fn status(cmd_id: u32, msg_ref: u32, cmd_ref: u32, cmd: &str, code: u32) -> String {
        format!(
            "    <Status><CmdID>{cmd_id}</CmdID><MsgRef>{msg_ref}</MsgRef><CmdRef>{cmd_ref}</CmdRef>\
             <Cmd>{cmd}</Cmd><Data>{code}</Data></Status>\n"
        )
    }

    /// The next message (from_device, body), or None when the session is over.
    fn next(&mut self) -> Option<(bool, String)> {
        self.step += 1;
        let body = match self.step {
            1 => format!(
                "{}  <SyncBody>\n    <Alert><CmdID>1</CmdID><Data>1201</Data></Alert>\n    <Replace><CmdID>2</CmdID>\n\
                 {}    </Replace>\n    <Final/>\n  </SyncBody>\n",
                self.header(1, true),
                [("DevId", self.device.as_str()), ("Man", "Nokia"), ("Mod", "E71"), ("DmV", "1.2"), ("Lang", "en-US")]
                    .iter()
                    .map(|(node, value)| format!(
                        "      <Item><Source><LocURI>./DevInfo/{node}</LocURI></Source><Data>{value}</Data></Item>\n"
                    ))
                    .collect::<String>()
            ),
            2 => format!(
                "{}  <SyncBody>\n{}{}{}    <Get><CmdID>4</CmdID><Item><Target><LocURI>./SCM/Inventory/Deployed</LocURI></Target></Item></Get>\n\
                 <Exec><CmdID>5</CmdID><Item><Target><LocURI>./SCM/Download/App{}/Operations/Install</LocURI></Target></Item></Exec>\n    <Final/>\n  </SyncBody>\n",
                self.header(1, false),
                Self::status(1, 1, 0, "SyncHdr", 212),
                Self::status(2, 1, 1, "Alert", 200),
                Self::status(3, 1, 2, "Replace", 200),
                self.id % 17
            ),
            3 => format!(
                "{}  <SyncBody>\n{}{}    <Results><CmdID>3</CmdID><MsgRef>1</MsgRef><CmdRef>4</CmdRef><Item>\
                 <Source><LocURI>./SCM/Inventory/Deployed</LocURI></Source><Data>App{}</Data></Item></Results>\n{}    <Final/>\n  </SyncBody>\n",
                self.header(2, true),
                Self::status(1, 1, 0, "SyncHdr", 200),
                Self::status(2, 1, 4, "Get", 200),
                self.id % 17,
                Self::status(4, 1, 5, "Exec", if self.id.is_multiple_of(11) { 500 } else { 200 }),
            ),
            4 => format!(
                "{}  <SyncBody>\n{}    <Final/>\n  </SyncBody>\n",
                self.header(2, false),
                Self::status(1, 2, 0, "SyncHdr", 200),
            ),
            _ => return None,
        };
        Some((self.step % 2 == 1, body))
    }
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let limit = args.megabytes * 1024 * 1024;
    let mut out = BufWriter::with_capacity(1 << 20, File::create(&args.output)?);
    if args.field {
        let (written, sessions) = field::write(&mut out, limit, args.concurrent, args.commands)?;
        out.flush()?;
        eprintln!(
            "genlog: {} MiB, {sessions} field-like sessions into {}",
            written >> 20,
            args.output
        );
        return Ok(());
    }
    let mut written = 0u64;
    let mut next_id = 0u64;
    let mut sessions: Vec<Session> = Vec::new();
    let mut clock = 0u64;
    let mut slot = 0usize;
    while written < limit {
        while sessions.len() < args.concurrent {
            next_id += 1;
            sessions.push(Session {
                id: 0x1000 + next_id,
                device: format!("IMEI:35{:013}", next_id * 7919 % 10_000_000_000_000),
                step: 0,
            });
        }
        slot = (slot + 7) % sessions.len();
        clock += 37;
        let time = format!(
            "2010-06-{:02} {:02}:{:02}:{:02},{:03}",
            28 + (clock / 86_400_000) % 3,
            (clock / 3_600_000) % 24,
            (clock / 60_000) % 60,
            (clock / 1000) % 60,
            clock % 1000
        );
        let thread = slot % 40;
        let text = match sessions[slot].next() {
            Some((from_device, body)) => {
                let what = if from_device {
                    "Received from device:"
                } else {
                    "Sending to device:"
                };
                format!(
                    "{time} DEBUG [com.excitor.dme.dm.util.LogUtil] (http-8443-{thread}) {what}\n\
                     <SyncML xmlns=\"SYNCML:SYNCML1.2\">\n{body}</SyncML>\n\
                     {time} INFO  [com.excitor.dme.dm.DMServlet] (http-8443-{thread}) request handled\n"
                )
            }
            None => {
                sessions.swap_remove(slot);
                continue;
            }
        };
        out.write_all(text.as_bytes())?;
        written += text.len() as u64;
    }
    out.flush()?;
    eprintln!(
        "genlog: {} MiB, {next_id} sessions into {}",
        written >> 20,
        args.output
    );
    Ok(())
}
