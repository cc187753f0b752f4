//! `dmtool notification`: an OMA DM 1.2 package 0 decoded, field by field, and
//! its digest checked when the server's password is given.

use anyhow::Result;
use serde::Serialize;

use super::byte_input;
use crate::cli::NotificationArgs;
use crate::config::read_password;
use crate::error::{FindingsError, UsageError};
use crate::output::{Layout, Output, Record, Tone};
use crate::syncml::{hex, notification};

/// One package 0, as printed.
#[derive(Debug, Serialize)]
pub(crate) struct NotificationRecord {
    pub(crate) digest: String,
    /// "matches", "does not match", or null without a password.
    pub(crate) digest_check: Option<&'static str>,
    pub(crate) version: String,
    pub(crate) ui_mode: u8,
    pub(crate) ui_mode_name: &'static str,
    pub(crate) initiator: u8,
    pub(crate) initiator_name: &'static str,
    pub(crate) session_id: u16,
    /// The SessionID as the SyncHdr of the answering session writes it.
    pub(crate) session_id_in_header: String,
    pub(crate) server_id: String,
    /// The vendor-specific body, hex.
    pub(crate) vendor: String,
}

impl Record for NotificationRecord {
    fn values(&self) -> Result<Vec<serde_json::Value>> {
        crate::output::serialized_values(self)
    }

    fn columns() -> &'static [&'static str] {
        &[
            "digest",
            "digest_check",
            "version",
            "ui_mode",
            "ui_mode_name",
            "initiator",
            "initiator_name",
            "session_id",
            "session_id_in_header",
            "server_id",
            "vendor",
        ]
    }

    fn tone(&self, column: &str) -> Option<Tone> {
        match (column, self.digest_check) {
            ("digest_check", Some("matches")) => Some(Tone::Good),
            ("digest_check", Some(_)) => Some(Tone::Bad),
            _ => None,
        }
    }
}

pub(crate) fn run(args: &NotificationArgs, output: &mut Output) -> Result<()> {
    let bytes = input(&args.input)?;
    // Sent by WAP push: the package 0 is the push PDU's body.
    let bytes = notification::without_push_header(&bytes).to_vec();
    let package = notification::decode(&bytes).map_err(|error| {
        anyhow::anyhow!(
            "{}: not a package 0: {error}",
            byte_input::shown(&args.input)
        )
    })?;
    let check = match password(args)? {
        Some(password) => {
            let nonce = nonce(args)?;
            let matches = notification::digest_matches(&bytes, &password, &nonce)
                .map_err(|error| anyhow::anyhow!("{error}"))?;
            Some(if matches { "matches" } else { "does not match" })
        }
        None => None,
    };
    let record = NotificationRecord {
        digest: hex::encode(&package.digest),
        digest_check: check,
        version: package.version_text(),
        ui_mode: package.ui_mode,
        ui_mode_name: package.ui_mode_name(),
        initiator: package.initiator,
        initiator_name: package.initiator_name(),
        session_id: package.session_id,
        session_id_in_header: package.session_id_in_header(),
        server_id: package.server_id.clone(),
        vendor: hex::encode(&package.vendor),
    };
    output.write_all(Layout::Cards, [&record])?;
    if check == Some("does not match") {
        output.flush()?;
        return Err(FindingsError(
            "the digest does not match this password and nonce (see --help for how it is made)"
                .into(),
        )
        .into());
    }
    Ok(())
}

/// A file (binary or hex text), stdin, or hex on the command line.
fn input(argument: &str) -> Result<Vec<u8>> {
    let is_file = argument == "-" || std::path::Path::new(argument).is_file();
    if !is_file {
        if hex::looks_like_hex(argument.as_bytes()) {
            return hex::decode(argument).map_err(|error| {
                UsageError::new(format!("the argument is not hex: {error}")).into()
            });
        }
        return Err(UsageError::new(format!("{argument} is neither a file nor hex bytes")).into());
    }
    let bytes = byte_input::read(argument)?;
    if hex::looks_like_hex(&bytes) {
        byte_input::from_hex(&bytes, byte_input::shown(argument))
    } else {
        Ok(bytes)
    }
}

fn password(args: &NotificationArgs) -> Result<Option<Vec<u8>>> {
    if let Some(path) = &args.password_file {
        return Ok(Some(read_password(path)?.into_bytes()));
    }
    Ok(args.server_password.clone().map(String::into_bytes))
}

fn nonce(args: &NotificationArgs) -> Result<Vec<u8>> {
    match (&args.nonce, &args.nonce_hex) {
        (Some(text), _) => Ok(text.clone().into_bytes()),
        (None, Some(text)) => hex::decode(text)
            .map_err(|error| UsageError::new(format!("--nonce-hex: {error}")).into()),
        (None, None) => Err(UsageError::new("a digest check needs the nonce")
            .with_hint("give --nonce TEXT or --nonce-hex HEX (the server nonce of the device's DM account)")
            .into()),
    }
}
