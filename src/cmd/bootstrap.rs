//! `dmtool bootstrap FILE|HEX…`: a bootstrap decoded (`crate::bootstrap`),
//! its MAC checked, its DM accounts and problems shown: a report for people,
//! one JSON object for scripts.

use anyhow::Result;
use serde::Serialize;

use super::byte_input;
use crate::bootstrap::{self, Account, MacCheck, Problem, Push, Sec};
use crate::cli::BootstrapArgs;
use crate::config::read_small_file;
use crate::error::{FindingsError, UsageError};
use crate::output::{Format, Output, Style, Tone};
use crate::syncml::{Message, hex, provisioning, wbxml};

/// What `--format json` writes.
#[derive(Serialize)]
struct Record<'a> {
    kind: &'static str,
    content_type: Option<&'a str>,
    sec: Option<Sec>,
    mac: Option<&'a str>,
    mac_check: &'static str,
    mac_key: Option<&'static str>,
    accounts: &'a [Account],
    problems: &'a [Problem],
}

pub(crate) fn run(args: &BootstrapArgs, output: &mut Output) -> Result<()> {
    let mut parts = Vec::new();
    for input in &args.inputs {
        parts.extend(parts_of(input)?);
    }
    let push =
        bootstrap::unwrap(&parts).map_err(|error| anyhow::anyhow!("not a bootstrap: {error}"))?;
    let pin = match &args.pin_file {
        Some(path) => {
            let bytes = read_small_file(path, "the PIN file")?;
            Some(
                String::from_utf8_lossy(&bytes)
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .to_owned(),
            )
        }
        None => args.pin.clone(),
    };
    let check = bootstrap::check_mac(&push, args.imsi.as_deref(), pin.as_deref())
        .map_err(UsageError::new)?;
    let (kind, mut accounts, mut problems, xml) = document(&push)?;
    bootstrap::account_problems(&accounts, push.sec, &mut problems);
    if check.verdict == "does_not_match" {
        problems.push(Problem {
            kind: "mac_mismatch",
            message: format!(
                "the MAC does not match with {}: the phone refuses this bootstrap (asking for the PIN again, then giving up)",
                check.key.unwrap_or("the key given")
            ),
        });
    }
    if !args.show_secrets {
        for account in &mut accounts {
            for auth in &mut account.auth {
                if auth.secret.is_some() {
                    auth.secret = Some("(hidden)".into());
                }
            }
        }
    }
    if args.xml {
        output.xml_line(&xml)?;
    } else {
        write(output, kind, &push, &check, &accounts, &problems)?;
    }
    if check.verdict == "does_not_match" {
        output.flush()?;
        return Err(FindingsError("the MAC does not match (see the problems)".into()).into());
    }
    Ok(())
}

/// The parts an input holds: a file's bytes (hex text: one part a line), or
/// hex on the command line. Long hex is never taken for a file name.
fn parts_of(input: &str) -> Result<Vec<Vec<u8>>> {
    let is_file = input == "-" || std::path::Path::new(input).is_file();
    let text: Vec<u8> = if is_file {
        byte_input::read(input)?
    } else if hex::looks_like_hex(input.as_bytes()) {
        input.as_bytes().to_vec()
    } else {
        return Err(UsageError::new(format!(
            "{} is neither a file nor hex bytes",
            crate::output::sanitize::shorten(input, 60)
        ))
        .into());
    };
    if !hex::looks_like_hex(&text) {
        return Ok(vec![text]);
    }
    let what = byte_input::shown(input);
    let lines: Vec<&[u8]> = text
        .split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii)
        .filter(|line| !line.is_empty())
        .collect();
    // One hex part a line when each is a whole SMS; else one hex text.
    if lines.len() > 1
        && lines
            .iter()
            .all(|line| line.starts_with(b"0") || line.starts_with(b"1"))
    {
        let parts: Result<Vec<Vec<u8>>> = lines
            .iter()
            .map(|line| byte_input::from_hex(line, what))
            .collect();
        if let Ok(parts) = parts
            && parts.iter().all(|part| {
                matches!(part.first(), Some(1..=139))
                    && part
                        .get(1)
                        .is_some_and(|&iei| iei == 0x00 || iei == 0x05 || iei == 0x08)
            })
        {
            return Ok(parts);
        }
    }
    Ok(vec![byte_input::from_hex(&text, what)?])
}

/// The document's kind, accounts, problems and XML.
fn document(push: &Push) -> Result<(&'static str, Vec<Account>, Vec<Problem>, String)> {
    let body = &push.body;
    if provisioning::is_provisioning(body) {
        let document = provisioning::decode(body)
            .map_err(|error| anyhow::anyhow!("not a readable provisioning document: {error}"))?;
        let (accounts, problems) = bootstrap::cp_accounts(&document);
        return Ok(("client_provisioning", accounts, problems, document.to_xml()));
    }
    if bootstrap::is_dm(body) {
        let (document, _) = wbxml::decode_first(body)
            .map_err(|error| anyhow::anyhow!("not readable WBXML: {error}"))?;
        let xml = document.to_xml();
        let message = Message::parse(&xml)
            .map_err(|error| anyhow::anyhow!("not a SyncML DM message: {}", error.message))?;
        return Ok((
            "dm_bootstrap",
            bootstrap::dm_accounts(&message),
            Vec::new(),
            xml,
        ));
    }
    Err(anyhow::anyhow!(
        "the push's body is neither a provisioning document (PROV WBXML) nor a SyncML DM WBXML message"
    ))
}

fn write(
    output: &mut Output,
    kind: &'static str,
    push: &Push,
    check: &MacCheck,
    accounts: &[Account],
    problems: &[Problem],
) -> Result<()> {
    if output.format() != Format::Table {
        return output.document(&Record {
            kind,
            content_type: push.content_type.as_deref(),
            sec: push.sec,
            mac: push.mac.as_deref(),
            mac_check: check.verdict,
            mac_key: check.key,
            accounts,
            problems,
        });
    }
    let kind_text = match kind {
        "client_provisioning" => "OMA Client Provisioning document",
        _ => "OMA DM bootstrap (SyncML DM message)",
    };
    output.line_fmt(
        format_args!(
            "{kind_text} · {} · SEC {} · MAC {}",
            push.content_type.as_deref().unwrap_or("no push header"),
            push.sec
                .map_or("none".to_owned(), |sec| format!("{sec:?}").to_uppercase()),
            push.mac.as_deref().unwrap_or("none"),
        ),
        Style::Heading,
    )?;
    let (verdict, tone) = match check.verdict {
        "matches" => ("matches", Tone::Good),
        "does_not_match" => ("does NOT match", Tone::Bad),
        _ => ("not checked (give --imsi and/or --pin)", Tone::Pending),
    };
    output.line_fmt(
        format_args!(
            "  MAC check: {verdict}{}",
            check
                .key
                .map_or(String::new(), |key| format!(", with {key}"))
        ),
        Style::Tone(tone),
    )?;
    for account in accounts {
        output.line_fmt(
            format_args!(
                "  Account {} · server ID {} · {}{}{}",
                account.name.as_deref().unwrap_or("(no name)"),
                account.server_id.as_deref().unwrap_or("(none)"),
                account.address.as_deref().unwrap_or("(no address)"),
                account
                    .port
                    .as_deref()
                    .map_or(String::new(), |port| format!(" port {port}")),
                if account.init {
                    " · connects at once"
                } else {
                    ""
                },
            ),
            Style::Plain,
        )?;
        for auth in &account.auth {
            output.line_fmt(
                format_args!(
                    "    {} {} name {} secret {}",
                    auth.level.as_deref().unwrap_or("?"),
                    auth.kind.as_deref().unwrap_or("?"),
                    auth.name.as_deref().unwrap_or("(none)"),
                    auth.secret.as_deref().unwrap_or("(none)"),
                ),
                Style::Plain,
            )?;
        }
    }
    for problem in problems {
        output.line_fmt(
            format_args!("  ! {}", problem.message),
            Style::Tone(Tone::Bad),
        )?;
    }
    if problems.is_empty() {
        output.line("  No problems found.", Style::Tone(Tone::Good))?;
    }
    Ok(())
}
