//! `dmtool wbxml decode`: WBXML documents to XML, indented (the layout of `log
//! pretty` without its annotations) or compact.

use anyhow::Result;

use super::byte_input;
use crate::cli::{WbxmlCommand, WbxmlDecodeArgs};
use crate::error::hinted;
use crate::output::Output;
use crate::syncml::pretty::{self, Kind};
use crate::syncml::provisioning;
use crate::syncml::{hex, wbxml};

pub(crate) fn run(command: &WbxmlCommand, output: &mut Output) -> Result<()> {
    match command {
        WbxmlCommand::Decode(args) => decode(args, output),
    }
}

fn decode(args: &WbxmlDecodeArgs, output: &mut Output) -> Result<()> {
    let name = byte_input::shown(&args.input);
    let raw = byte_input::read(&args.input)?;
    let bytes = if args.hex || (!wbxml::is_wbxml(&raw) && hex::looks_like_hex(&raw)) {
        byte_input::from_hex(&raw, name)?
    } else {
        raw
    };
    // An OMA Client Provisioning document (a bootstrap's body).
    if provisioning::is_provisioning(&bytes) {
        let document = provisioning::decode(&bytes).map_err(|error| {
            anyhow::anyhow!("{name}: not a readable provisioning document: {error}")
        })?;
        return output.xml_line(&document.to_xml());
    }
    check_wbxml(&bytes, name)?;
    // Each document is printed as it is decoded: memory holds one.
    for document in wbxml::documents(&bytes) {
        let (_, document) =
            document.map_err(|error| anyhow::anyhow!("{name}: not readable WBXML: {error}"))?;
        let xml = document.to_xml();
        let text = if args.compact { xml } else { indented(&xml) };
        // What a terminal would act on goes out as character references.
        output.xml_line(text.trim_end())?;
    }
    Ok(())
}

/// An error, with a hint, when `bytes` do not start as WBXML of the SyncML family.
fn check_wbxml(bytes: &[u8], name: &str) -> Result<()> {
    if wbxml::is_wbxml(bytes) {
        return Ok(());
    }
    let is_package_0 = crate::syncml::notification::decode(bytes).is_ok_and(|p| p.version_is_1x());
    if !is_package_0 && let Some(damage) = wbxml::header_damage(bytes) {
        return Err(hinted(
            format!("{name} is not readable WBXML: {damage}"),
            "a copy cut or changed on the way? (`xxd FILE | head` shows the first bytes)",
        ));
    }
    Err(hinted(
        format!(
            "{name} is not WBXML of the SyncML family: it does not start with a WBXML \
             version byte (01-03) and a SyncML, DevInf, MetInf or DM DDF public id"
        ),
        if is_package_0 {
            "it reads as a package 0 (a notification): try `dmtool notification`"
        } else {
            "for hex text use --hex; XML is read by `dmtool log pretty`"
        },
    ))
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
