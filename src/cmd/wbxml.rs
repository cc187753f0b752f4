//! `dmtool wbxml decode`: WBXML documents to XML, indented (the layout of `log
//! pretty` without its annotations) or compact.

use anyhow::{Context, Result};

use super::binary;
use crate::cli::{WbxmlCommand, WbxmlDecodeArgs};
use crate::error::hinted;
use crate::output::Output;
use crate::syncml::pretty::{self, Kind};
use crate::syncml::wbxml;

pub fn run(command: &WbxmlCommand, output: &mut Output) -> Result<()> {
    match command {
        WbxmlCommand::Decode(args) => decode(args, output),
    }
}

fn decode(args: &WbxmlDecodeArgs, output: &mut Output) -> Result<()> {
    super::text_only(
        output,
        "dmtool wbxml decode",
        "for the commands as records: dmtool log thread FILE --format jsonl",
    )?;
    let name = binary::shown(&args.input);
    let raw = binary::read(&args.input)?;
    let bytes = if args.hex || (!wbxml::is_wbxml(&raw) && binary::looks_like_hex(&raw)) {
        binary::from_hex(&raw, name)?
    } else {
        raw
    };
    for xml in documents(&bytes, name)? {
        let text = if args.compact { xml } else { indented(&xml) };
        writeln!(output.text(), "{}", text.trim_end()).context("cannot write to stdout")?;
    }
    Ok(())
}

/// The XML of every document in `bytes`, one after the other.
pub fn documents(bytes: &[u8], name: &str) -> Result<Vec<String>> {
    if !wbxml::is_wbxml(bytes) {
        return Err(hinted(
            format!(
                "{name} is not WBXML of the SyncML family: it does not start with a WBXML \
                 version byte (01-03) and a SyncML, DevInf, MetInf or DM DDF public id"
            ),
            if crate::syncml::notification::decode(bytes).is_ok_and(|p| p.version_is_1x()) {
                "it reads as a package 0 (a notification): try `dmtool notification`"
            } else {
                "for hex text use --hex; XML is read by `dmtool log pretty`"
            },
        ));
    }
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let (document, used) = wbxml::decode_first(&bytes[at..]).map_err(|error| {
            anyhow::anyhow!(
                "{name}: not readable WBXML: {} (at byte {})",
                error.message,
                at + error.offset
            )
        })?;
        out.push(document.to_xml());
        at += used;
        // Padding or a newline between documents, or at the end.
        at += bytes[at..]
            .iter()
            .take_while(|b| **b == 0 || b.is_ascii_whitespace())
            .count();
    }
    Ok(out)
}

/// The layout of `log pretty`, without its notes (status names).
fn indented(xml: &str) -> String {
    let mut out = String::with_capacity(xml.len() * 2);
    let laid = pretty::layout(xml, false, &mut |kind, piece| {
        if kind != Kind::Note {
            out.push_str(piece);
        }
    });
    match laid {
        Ok(()) => out,
        // The decoder writes well-formed XML; should it ever not, show it as is.
        Err(_) => xml.to_owned(),
    }
}
