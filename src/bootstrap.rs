//! A bootstrap as an administrator finds it: SMS user data with its UDH
//! (ports; concatenated parts joined), a WSP push PDU (content type, SEC and
//! MAC), or a bare WBXML document — an OMA Client Provisioning document or a
//! DM 1.2 bootstrap (SyncML DM WBXML adding `./DMAcc/…`, or DM 1.1.2's
//! `./SyncML/DMAcc/…`). Checks the MAC (OMA-WAP-ProvBoot: HMAC-SHA1 keyed by
//! the IMSI, the PIN, both, or the PIN's own check digits) and reads the DM
//! accounts the document creates, with what an administrator should be told.
//! Knows the layers and the accounts; nothing of output.

use hmac::{Hmac, Mac};
use serde::Serialize;
use sha1::Sha1;

use crate::syncml::provisioning::{self, Characteristic};
use crate::syncml::{Message, wbxml};

/// What is wrong with an input, and at which byte of the layer it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub offset: usize,
    pub message: String,
}

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

fn malformed(offset: usize, message: impl Into<String>) -> Malformed {
    Malformed {
        offset,
        message: message.into(),
    }
}

/// The SEC parameter of a push (OMA-WAP-ProvBoot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Sec {
    Netwpin,
    Userpin,
    Usernetwpin,
    Userpinmac,
}

impl Sec {
    fn of(value: u8) -> Option<Self> {
        match value {
            0 => Some(Sec::Netwpin),
            1 => Some(Sec::Userpin),
            2 => Some(Sec::Usernetwpin),
            3 => Some(Sec::Userpinmac),
            _ => None,
        }
    }
}

/// A WSP push's content type, SEC, MAC and body (or a bare document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Push {
    pub content_type: Option<String>,
    pub sec: Option<Sec>,
    /// The MAC as 40 hex digits, upper case.
    pub mac: Option<String>,
    pub body: Vec<u8>,
}

/// The push inside SMS user data (UDH stripped), a WSP push PDU, or a bare
/// WBXML document. Concatenated SMS parts are joined first (`parts`).
pub fn unwrap(parts: &[Vec<u8>]) -> Result<Push, Malformed> {
    let joined = join_sms(parts)?;
    let bytes = joined.as_slice();
    if bytes.is_empty() {
        return Err(malformed(0, "the input is empty"));
    }
    if matches!(bytes, [_, 0x06, ..]) {
        return push(bytes);
    }
    if matches!(bytes, [0x01..=0x03, ..]) {
        return Ok(Push {
            content_type: None,
            sec: None,
            mac: None,
            body: bytes.to_vec(),
        });
    }
    Err(malformed(
        0,
        "neither SMS user data with a UDH, nor a WSP push (PDU type 0x06), nor WBXML",
    ))
}

/// The SMS parts' user data joined in sequence order, each without its UDH;
/// input that has no UDH is taken as it is.
fn join_sms(parts: &[Vec<u8>]) -> Result<Vec<u8>, Malformed> {
    let mut pieces: Vec<(u8, Vec<u8>)> = Vec::new();
    for part in parts {
        match udh(part)? {
            Some((sequence, data)) => pieces.push((sequence.unwrap_or(1), data.to_vec())),
            None if parts.len() == 1 => return Ok(part.clone()),
            None => return Err(malformed(0, "several parts, but one has no UDH")),
        }
    }
    pieces.sort_by_key(|(sequence, _)| *sequence);
    Ok(pieces.into_iter().flat_map(|(_, data)| data).collect())
}

/// An SMS part: its concatenation sequence number, and its data after the UDH.
type SmsPart<'a> = (Option<u8>, &'a [u8]);

/// A UDH at the start of SMS user data: its concatenation sequence number
/// (when concatenated) and the data after it. `None` when `bytes` do not
/// start with a UDH naming the WAP push port or a concatenation.
fn udh(bytes: &[u8]) -> Result<Option<SmsPart<'_>>, Malformed> {
    let Some((&length, rest)) = bytes.split_first() else {
        return Ok(None);
    };
    let length = usize::from(length);
    if length == 0 || length > rest.len() || length > 139 {
        return Ok(None);
    }
    let header = &rest[..length];
    let mut at = 0;
    let mut sequence = None;
    let mut push_port = false;
    while at < header.len() {
        let (Some(&iei), Some(&size)) = (header.get(at), header.get(at + 1)) else {
            return Ok(None);
        };
        let Some(data) = header.get(at + 2..at + 2 + usize::from(size)) else {
            // The elements run past the UDH's length: not a UDH, or a broken one.
            return Ok(None);
        };
        match (iei, data) {
            (0x05, [0x0B, 0x84, ..]) => push_port = true,
            (0x04, [0x0B, ..]) => push_port = true,
            (0x00, [_, total, seq]) => {
                if *seq == 0 || seq > total {
                    return Err(malformed(
                        1 + at,
                        format!("concatenation part {seq} of {total}"),
                    ));
                }
                sequence = Some(*seq);
            }
            (0x08, [_, _, total, seq]) => {
                if *seq == 0 || seq > total {
                    return Err(malformed(
                        1 + at,
                        format!("concatenation part {seq} of {total}"),
                    ));
                }
                sequence = Some(*seq);
            }
            _ => {}
        }
        at += 2 + usize::from(size);
    }
    if !push_port && sequence.is_none() {
        return Ok(None);
    }
    Ok(Some((sequence, &rest[length..])))
}

/// Reads a uintvar (7 bits an octet, high bit: more follow).
fn uintvar(bytes: &[u8], at: usize) -> Result<(usize, usize), Malformed> {
    let mut value = 0usize;
    for used in 0..5 {
        let byte = *bytes
            .get(at + used)
            .ok_or_else(|| malformed(at + used, "the push ends inside a length"))?;
        value = (value << 7) | usize::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Ok((value, used + 1));
        }
    }
    Err(malformed(at, "a length longer than 5 octets"))
}

/// A connectionless WSP push PDU (WAP-230-WSP): TID, 0x06, headers, body.
fn push(bytes: &[u8]) -> Result<Push, Malformed> {
    let (headers_length, used) = uintvar(bytes, 2)?;
    let headers_at = 2 + used;
    let headers = bytes
        .get(headers_at..headers_at + headers_length)
        .ok_or_else(|| {
            malformed(
                2,
                format!(
                    "the headers' length {headers_length} runs past the {} octets of the push",
                    bytes.len()
                ),
            )
        })?;
    let body = bytes[headers_at + headers_length..].to_vec();
    let mut result = Push {
        content_type: None,
        sec: None,
        mac: None,
        body,
    };
    content_type(headers, headers_at, &mut result)?;
    if result.body.is_empty() {
        return Err(malformed(bytes.len(), "the push has no body"));
    }
    Ok(result)
}

/// The Content-Type header (first in the headers): well-known short
/// integer, text, or the general form with SEC and MAC parameters.
fn content_type(headers: &[u8], base: usize, push: &mut Push) -> Result<(), Malformed> {
    let Some(&first) = headers.first() else {
        return Err(malformed(base, "the push has no Content-Type"));
    };
    let well_known = |value: u8| -> String {
        match value & 0x7f {
            0x36 => "application/vnd.wap.connectivity-wbxml".into(),
            0x42 => "application/vnd.syncml.dm+wbxml".into(),
            0x44 => "application/vnd.syncml.notification".into(),
            other => format!("well-known content type {other:#04x}"),
        }
    };
    match first {
        0x80..=0xff => push.content_type = Some(well_known(first)),
        0x20..=0x7f => {
            let end = memchr::memchr(0, headers).unwrap_or(headers.len());
            push.content_type = Some(String::from_utf8_lossy(&headers[..end]).into_owned());
        }
        _ => {
            // General form: a value length, the media type, then parameters.
            let (length, used) = if first == 0x1f {
                let (length, used) = uintvar(headers, 1)?;
                (length, used + 1)
            } else {
                (usize::from(first), 1)
            };
            let value = headers.get(used..used + length).ok_or_else(|| {
                malformed(base, "the Content-Type's length runs past the headers")
            })?;
            let mut at = match value.first() {
                Some(&media) if media >= 0x80 => {
                    push.content_type = Some(well_known(media));
                    1
                }
                Some(_) => {
                    let end = memchr::memchr(0, value).unwrap_or(value.len());
                    push.content_type = Some(String::from_utf8_lossy(&value[..end]).into_owned());
                    end + 1
                }
                None => return Err(malformed(base, "an empty Content-Type")),
            };
            while at < value.len() {
                match value[at] {
                    0x91 => {
                        let sec = value.get(at + 1).copied().unwrap_or(0xff);
                        push.sec = Some(Sec::of(sec & 0x7f).ok_or_else(|| {
                            malformed(
                                base + used + at + 1,
                                format!("SEC {sec:#04x} is none of 0x80–0x83"),
                            )
                        })?);
                        at += 2;
                    }
                    0x92 => {
                        let mut start = at + 1;
                        if value.get(start) == Some(&0x22) {
                            start += 1;
                        }
                        let end =
                            memchr::memchr(0, &value[start..]).map_or(value.len(), |e| start + e);
                        push.mac =
                            Some(String::from_utf8_lossy(&value[start..end]).to_ascii_uppercase());
                        at = end + 1;
                    }
                    // An unknown parameter: the rest is not read.
                    _ => break,
                }
            }
        }
    }
    Ok(())
}

/// The NETWPIN key of an IMSI (ProvBoot): a nibble 9 before an odd number of
/// digits (1 before an even number, F after it), each pair of nibbles swapped.
pub fn imsi_key(imsi: &str) -> Option<Vec<u8>> {
    if imsi.is_empty() || imsi.len() > 15 || !imsi.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut nibbles: Vec<u8> = Vec::with_capacity(16);
    let odd = imsi.len() % 2 == 1;
    nibbles.push(if odd { 9 } else { 1 });
    nibbles.extend(imsi.bytes().map(|b| b - b'0'));
    if !odd {
        nibbles.push(0xF);
    }
    Some(
        nibbles
            .chunks(2)
            .map(|pair| pair[0] | (pair[1] << 4))
            .collect(),
    )
}

/// HMAC-SHA1 of the body with `key`, as 40 upper-case hex digits.
pub fn mac(key: &[u8], body: &[u8]) -> String {
    let mut hmac =
        <Hmac<Sha1> as Mac>::new_from_slice(key).expect("HMAC takes a key of any length");
    hmac.update(body);
    hmac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect()
}

/// The outcome of a MAC check, and the key it used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacCheck {
    pub verdict: &'static str,
    pub key: Option<&'static str>,
}

/// Checks the push's MAC with what the administrator gave.
pub fn check_mac(push: &Push, imsi: Option<&str>, pin: Option<&str>) -> Result<MacCheck, String> {
    let not_checked = MacCheck {
        verdict: "not_checked",
        key: None,
    };
    let Some(sec) = push.sec else {
        return Ok(not_checked);
    };
    let network = || {
        imsi.map(|imsi| {
            imsi_key(imsi).ok_or_else(|| format!("--imsi {imsi} is not an IMSI (up to 15 digits)"))
        })
        .transpose()
    };
    let (key, named): (Vec<u8>, &'static str) = match sec {
        Sec::Netwpin => match network()? {
            Some(key) => (key, "the IMSI (NETWPIN)"),
            None => return Ok(not_checked),
        },
        Sec::Userpin => match pin {
            Some(pin) => (pin.as_bytes().to_vec(), "the PIN (USERPIN)"),
            None => return Ok(not_checked),
        },
        Sec::Usernetwpin => match (network()?, pin) {
            (Some(mut key), Some(pin)) => {
                key.extend_from_slice(pin.as_bytes());
                (key, "the IMSI and the PIN (USERNETWPIN)")
            }
            _ => return Ok(not_checked),
        },
        Sec::Userpinmac => {
            // The PIN is K then as many check digits: digit i = octet i of
            // HMAC-SHA1(K, body) mod 10.
            let Some(pin) = pin else {
                return Ok(not_checked);
            };
            if pin.len() < 2 || pin.len() % 2 != 0 || !pin.bytes().all(|b| b.is_ascii_digit()) {
                return Err(format!(
                    "--pin {}: a USERPINMAC PIN is its digits followed by as many check digits",
                    "*".repeat(pin.len())
                ));
            }
            let (key, check) = pin.split_at(pin.len() / 2);
            let mut hmac = <Hmac<Sha1> as Mac>::new_from_slice(key.as_bytes()).expect("any key");
            hmac.update(&push.body);
            let digest = hmac.finalize().into_bytes();
            let expected: String = digest
                .iter()
                .take(check.len())
                .map(|byte| char::from(b'0' + byte % 10))
                .collect();
            return Ok(MacCheck {
                verdict: if expected == check {
                    "matches"
                } else {
                    "does_not_match"
                },
                key: Some("the PIN's own check digits (USERPINMAC)"),
            });
        }
    };
    let Some(expected) = &push.mac else {
        return Ok(not_checked);
    };
    Ok(MacCheck {
        verdict: if mac(&key, &push.body).eq_ignore_ascii_case(expected) {
            "matches"
        } else {
            "does_not_match"
        },
        key: Some(named),
    })
}

/// One credential of an account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Auth {
    /// As the document names it: APPSRV, CLIENT (CP), CLCRED, SRVCRED (DM).
    pub level: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub name: Option<String>,
    pub secret: Option<String>,
}

/// A DM account the document creates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Account {
    pub app_id: Option<String>,
    pub server_id: Option<String>,
    pub name: Option<String>,
    pub address: Option<String>,
    pub port: Option<String>,
    pub auth: Vec<Auth>,
    /// INIT: the device connects at once.
    pub init: bool,
}

/// Something an administrator should be told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Problem {
    pub kind: &'static str,
    pub message: String,
}

/// The accounts of a CP document, and its problems.
pub(crate) fn cp_accounts(document: &provisioning::Document) -> (Vec<Account>, Vec<Problem>) {
    let mut accounts = Vec::new();
    let mut problems = Vec::new();
    let characteristics = &document.characteristics;
    let napids: Vec<&str> = characteristics
        .iter()
        .filter(|c| c.kind == "NAPDEF")
        .filter_map(|c| c.parm("NAPID"))
        .collect();
    let proxies: Vec<&str> = characteristics
        .iter()
        .filter(|c| c.kind == "PXLOGICAL")
        .filter_map(|c| c.parm("PROXY-ID"))
        .collect();
    for application in characteristics.iter().filter(|c| c.kind == "APPLICATION") {
        let app_id = application.parm("APPID");
        for (parm, known, what) in [
            ("TO-NAPID", &napids, "NAPDEF NAPID"),
            ("TO-PROXY", &proxies, "PXLOGICAL PROXY-ID"),
        ] {
            for parm in application.parms.iter().filter(|p| p.name == parm) {
                if let Some(value) = parm.value.as_deref()
                    && value != "INTERNET"
                    && !known.contains(&value)
                {
                    problems.push(Problem {
                        kind: "dangling_reference",
                        message: format!("{} {value} names no {what} in the document", parm.name),
                    });
                }
            }
        }
        if app_id != Some("w7") {
            continue;
        }
        let appaddr = application.children.iter().find(|c| c.kind == "APPADDR");
        let address = application
            .parm("ADDR")
            .or_else(|| appaddr.and_then(|a| a.parm("ADDR")))
            .map(str::to_owned);
        let port = appaddr
            .and_then(|a| a.children.iter().find(|c| c.kind == "PORT"))
            .and_then(|p| p.parm("PORTNBR"))
            .map(str::to_owned);
        let auth = application
            .children
            .iter()
            .filter(|c| c.kind == "APPAUTH")
            .map(|c: &Characteristic| Auth {
                level: c.parm("AAUTHLEVEL").map(str::to_owned),
                kind: c.parm("AAUTHTYPE").map(str::to_owned),
                name: c.parm("AAUTHNAME").map(str::to_owned),
                secret: c.parm("AAUTHSECRET").map(str::to_owned),
            })
            .collect();
        accounts.push(Account {
            app_id: app_id.map(str::to_owned),
            server_id: application.parm("PROVIDER-ID").map(str::to_owned),
            name: application.parm("NAME").map(str::to_owned),
            address,
            port,
            auth,
            init: application.has_parm("INIT"),
        });
    }
    (accounts, problems)
}

/// The accounts of a DM bootstrap: the items a SyncML DM message adds under
/// `./DMAcc/X/` (DM 1.2) or `./SyncML/DMAcc/X/` (DM 1.1.2).
pub(crate) fn dm_accounts(message: &Message) -> Vec<Account> {
    // Each account by its node name, with its credentials' node names.
    let mut accounts: Vec<(String, Account, Vec<String>)> = Vec::new();
    for command in message.all_commands() {
        for item in &command.items {
            let (Some(target), data) = (item.target.as_deref(), item.data.as_deref()) else {
                continue;
            };
            let path = target.trim_start_matches("./");
            let rest = path
                .strip_prefix("DMAcc/")
                .or_else(|| path.strip_prefix("SyncML/DMAcc/"));
            let Some(rest) = rest else { continue };
            let (id, field) = rest.split_once('/').unwrap_or((rest, ""));
            let index = match accounts.iter().position(|(known, _, _)| known == id) {
                Some(index) => index,
                None => {
                    accounts.push((id.to_owned(), Account::default(), Vec::new()));
                    accounts.len() - 1
                }
            };
            let (_, account, nodes) = &mut accounts[index];
            let value = data.map(str::to_owned);
            let parts: Vec<&str> = field.split('/').collect();
            match parts.as_slice() {
                ["AppID"] => account.app_id = value,
                ["ServerID" | "ServerId"] => account.server_id = value,
                ["Name"] => account.name = value,
                ["Addr"] | ["AppAddr", _, "Addr"] => account.address = value,
                ["PortNbr"] | ["AppAddr", _, "Port", _, "PortNbr"] => account.port = value,
                ["AppAuth", node, leaf] => {
                    let slot = auth_slot(&mut account.auth, nodes, node);
                    match *leaf {
                        "AAuthLevel" => slot.level = value,
                        "AAuthType" => slot.kind = value,
                        "AAuthName" => slot.name = value,
                        "AAuthSecret" => slot.secret = value,
                        _ => {}
                    }
                }
                // DM 1.1.2's flat account: the device's and the server's.
                ["UserName"] => device_auth(&mut account.auth, nodes, "CLCRED").name = value,
                ["ClientPW"] => device_auth(&mut account.auth, nodes, "CLCRED").secret = value,
                ["ServerPW"] => device_auth(&mut account.auth, nodes, "SRVCRED").secret = value,
                _ => {}
            }
        }
    }
    accounts
        .into_iter()
        .map(|(_, account, _)| account)
        .collect()
}

/// The credential read from node `node` of an account's AppAuth.
fn auth_slot<'a>(auth: &'a mut Vec<Auth>, nodes: &mut Vec<String>, node: &str) -> &'a mut Auth {
    let index = match nodes.iter().position(|known| known == node) {
        Some(index) => index,
        None => {
            nodes.push(node.to_owned());
            auth.push(Auth::default());
            auth.len() - 1
        }
    };
    &mut auth[index]
}

/// A DM 1.1.2 credential, by its level.
fn device_auth<'a>(auth: &'a mut Vec<Auth>, nodes: &mut Vec<String>, level: &str) -> &'a mut Auth {
    let slot = auth_slot(auth, nodes, level);
    slot.level.get_or_insert_with(|| level.to_owned());
    slot
}

/// What a bootstrap's accounts should tell an administrator.
pub(crate) fn account_problems(
    accounts: &[Account],
    sec: Option<Sec>,
    problems: &mut Vec<Problem>,
) {
    if accounts.is_empty() {
        problems.push(Problem {
            kind: "no_dm_account",
            message: "the document creates no DM account (no w7 APPLICATION, no ./DMAcc)".into(),
        });
    }
    for account in accounts {
        if account.server_id.is_none() {
            problems.push(Problem {
                kind: "no_server_id",
                message: "an account without a server ID".into(),
            });
        }
        if account.address.is_none() {
            problems.push(Problem {
                kind: "no_address",
                message: "an account without the server's address".into(),
            });
        }
        let device_level = |level: &str| matches!(level, "APPSRV" | "CLCRED");
        let has_device_credentials = account.auth.iter().any(|auth| {
            auth.level.as_deref().is_some_and(device_level)
                && auth.name.is_some()
                && auth.secret.is_some()
        });
        if !has_device_credentials {
            problems.push(Problem {
                kind: "no_device_credentials",
                message: "no credentials for the device to present to the server (APPSRV / CLCRED name and secret)".into(),
            });
        }
        if let (Some(address), Some(port)) = (&account.address, &account.port)
            && let Some(url_port) = port_of(address)
            && url_port != port.trim()
        {
            problems.push(Problem {
                kind: "port_mismatch",
                message: format!("the port {port} contradicts the address {address}"),
            });
        }
    }
    if sec == Some(Sec::Usernetwpin) || sec == Some(Sec::Userpinmac) {
        problems.push(Problem {
            kind: "sec_refused_by_some_phones",
            message: format!(
                "SEC {}: not every phone implements it (many know only NETWPIN and USERPIN)",
                match sec {
                    Some(Sec::Usernetwpin) => "USERNETWPIN",
                    _ => "USERPINMAC",
                }
            ),
        });
    }
}

/// The port a URL names (`https://host:8443/dm` → 8443).
fn port_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?']).next()?;
    let (_, port) = host.rsplit_once(':')?;
    port.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| port.to_owned())
}

/// A bootstrap found written into a log (hex or base64), as explain shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FoundBootstrap {
    pub file: String,
    pub line: u64,
    pub time: Option<String>,
    pub kind: &'static str,
    pub content_type: Option<String>,
    pub sec: Option<Sec>,
    pub mac: Option<String>,
    /// Secrets hidden: a log is read by more people than the PIN.
    pub accounts: Vec<Account>,
}

/// The bootstrap `bytes` hold, when they are one: a push (or SMS) of a CP
/// document or a DM bootstrap, or a bare CP document. A bare SyncML DM
/// message is a message, not a bootstrap.
pub fn found_in_log(bytes: &[u8]) -> Option<(&'static str, Push, Vec<Account>)> {
    let push = unwrap(&[bytes.to_vec()]).ok()?;
    let pushed = push.content_type.is_some();
    if provisioning::is_provisioning(&push.body) {
        let document = provisioning::decode(&push.body).ok()?;
        let (accounts, _) = cp_accounts(&document);
        return Some(("client_provisioning", push, hidden(accounts)));
    }
    if pushed && is_dm(&push.body) {
        let (document, _) = wbxml::decode_first(&push.body).ok()?;
        let message = Message::parse(&document.to_xml()).ok()?;
        let accounts = dm_accounts(&message);
        return Some(("dm_bootstrap", push, hidden(accounts)));
    }
    None
}

/// The accounts with their secrets hidden.
fn hidden(mut accounts: Vec<Account>) -> Vec<Account> {
    for auth in accounts
        .iter_mut()
        .flat_map(|account| account.auth.iter_mut())
    {
        if auth.secret.is_some() {
            auth.secret = Some("(hidden)".into());
        }
    }
    accounts
}

/// Whether the body is a SyncML DM WBXML message (a DM bootstrap).
pub(crate) fn is_dm(body: &[u8]) -> bool {
    wbxml::is_wbxml(body) && !provisioning::is_provisioning(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gecko's CP document (bootstrap notes §2), 501 octets, as hex.
    const GECKO_CP: &str = include_str!("../testdata/bootstrap/gecko-cp.hex");

    #[test]
    fn gecko_s_document_decodes_and_its_userpin_mac_holds() {
        let body = crate::syncml::hex::decode(GECKO_CP).expect("hex");
        assert_eq!(body.len(), 501);
        assert_eq!(
            mac(b"0000", &body),
            "AA2DC41FC48AEEF3FED7351B1EE704461A8894D4"
        );
        let document = provisioning::decode(&body).expect("decodes");
        let kinds: Vec<&str> = document
            .characteristics
            .iter()
            .map(|c| c.kind.as_str())
            .collect();
        assert!(
            kinds.contains(&"BOOTSTRAP") && kinds.contains(&"APPLICATION"),
            "{kinds:?}"
        );
        let xml = document.to_xml();
        assert!(
            xml.contains("<parm name=\"NAME\" value=\"CHT_emome\"/>"),
            "{xml}"
        );
    }

    #[test]
    fn imsi_keys_follow_the_notes() {
        assert_eq!(
            imsi_key("466923103145252").expect("key"),
            [0x49, 0x66, 0x29, 0x13, 0x30, 0x41, 0x25, 0x25]
        );
        assert_eq!(
            imsi_key("21407650123456").expect("key"),
            [0x21, 0x41, 0x70, 0x56, 0x10, 0x32, 0x54, 0xF6]
        );
        assert_eq!(imsi_key("12a"), None);
    }

    #[test]
    fn the_public_mac_vectors_hold() {
        let body = [0x03, 0x0B, 0x6A, 0x00, 0x45, 0x01];
        let key = imsi_key("466923103145252").expect("key");
        assert_eq!(mac(&key, &body), "1AF545FE2823DC9347064450F90FF1BBF957E146");
        let mut key = imsi_key("21407650123456").expect("key");
        key.extend_from_slice(b"1234");
        assert_eq!(mac(&key, &body), "B18112ED297343BC9056828254CB0E9A21DF4121");
        let push = Push {
            content_type: None,
            sec: Some(Sec::Userpinmac),
            mac: None,
            body: body.to_vec(),
        };
        let check = check_mac(&push, None, Some("1234528080")).expect("checks");
        assert_eq!(check.verdict, "matches");
        let check = check_mac(&push, None, Some("1234528081")).expect("checks");
        assert_eq!(check.verdict, "does_not_match");
    }
}
