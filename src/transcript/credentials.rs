//! The device's credentials checked against the account: every `Cred` a
//! device sent in a SyncHdr (`syncml:auth-basic`, `syncml:auth-md5`), and
//! every HMAC the log shows in an `x-syncml-hmac` transport header, is
//! recomputed with the password given and the nonce in force — the last
//! NextNonce the server sent that device, in this session or an earlier one
//! (OMA DM Security 1.2 §5.1). Knows sessions and digests; nothing of output.

use md5::{Digest, Md5};
use serde::Serialize;
use smol_str::SmolStr;

use super::thread::{Direction, SessionLog};
use crate::syncml::base64;

/// An `x-syncml-hmac` transport header (`algorithm=MD5, username="…",
/// mac=…`) the log shows just before a message, with the digest of that
/// message's body as the log has it (OMA DM Security 1.2 §5.3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hmac {
    pub username: SmolStr,
    pub mac: SmolStr,
    /// B64(MD5(body)), once the message is known.
    pub body_digest: SmolStr,
}

impl Hmac {
    /// The header in a log line, if the line holds one.
    pub(crate) fn in_line(line: &[u8]) -> Option<Hmac> {
        let text = std::str::from_utf8(line).ok()?;
        let at = text.to_ascii_lowercase().find("x-syncml-hmac")?;
        let value = text[at + "x-syncml-hmac".len()..].trim_start_matches([':', '=', ' ', '\t']);
        let mut username = None;
        let mut mac = None;
        for part in value.split(',') {
            let Some((key, value)) = part.split_once('=') else {
                continue;
            };
            let value = value.trim().trim_matches('"');
            match key.trim().to_ascii_lowercase().as_str() {
                "username" => username = Some(SmolStr::new(value)),
                "mac" => mac = Some(SmolStr::new(value.trim_end_matches(['"', ']', ')']))),
                _ => {}
            }
        }
        Some(Hmac {
            username: username?,
            mac: mac?,
            body_digest: SmolStr::default(),
        })
    }

    /// The header with the digest of the body it came with.
    pub(crate) fn with_body(mut self, body: &str) -> Self {
        self.body_digest = base64::encode(&Md5::digest(body.as_bytes())).into();
        self
    }
}

/// `syncml:auth-MAC`: B64(MD5(B64(MD5(user:password)) + ":" + nonce + ":" + B64(MD5(body)))).
pub(crate) fn hmac_mac(user: &[u8], password: &[u8], nonce: &[u8], body_digest: &[u8]) -> String {
    let inner = base64::encode(&Md5::digest([user, b":", password].concat()));
    base64::encode(&Md5::digest(
        [inner.as_bytes(), b":", nonce, b":", body_digest].concat(),
    ))
}

/// What the device's account holds, as the administrator gives it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Account {
    pub password: Option<Vec<u8>>,
    /// The MD5 user name when the SyncHdr carries no `Source/LocName`.
    pub user: Option<String>,
}

/// What recomputing one Cred showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Matches,
    /// It matches no nonce of the device with this password.
    WrongPassword,
    /// It matches an earlier nonce of the device, not the one in force: the
    /// device did not keep the newest NextNonce.
    StaleNonce,
    /// No password given, no user name, or a type not checked here.
    NotChecked,
}

/// One Cred checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CredCheck {
    pub line: u64,
    pub direction: Direction,
    #[serde(rename = "type")]
    pub kind: SmolStr,
    pub verdict: Verdict,
    /// How the nonce was read when it matched: `decoded` (the NextNonce's
    /// base64 decoded, as the spec says), `as_written` or `empty`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce_form: Option<&'static str>,
    /// The time the nonce it matched was sent, when stale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce_time: Option<SmolStr>,
}

/// The NextNonces each side sent the other, per device, oldest first,
/// across sessions: (device, the side whose Creds they are for).
#[derive(Debug, Default)]
pub(crate) struct Nonces {
    by_device: std::collections::HashMap<(Option<SmolStr>, Direction), Vec<Sent>>,
}

/// A NextNonce, as written, and when it was sent.
#[derive(Debug, Clone)]
struct Sent {
    nonce: SmolStr,
    time: Option<SmolStr>,
}

/// Nonces kept per device (the latest): enough to tell a stale one.
const KEPT_PER_DEVICE: usize = 8;

impl Nonces {
    /// Checks the Creds one side (`from`) sent in a session, in order,
    /// learning the other side's NextNonces as they come; the session's
    /// nonces stay for the next. A device's user is its `Source/LocName`
    /// (else the account's); the server's is the account's (its server ID).
    pub(crate) fn check(
        &mut self,
        log: &SessionLog,
        account: &Account,
        from: Direction,
    ) -> Vec<CredCheck> {
        let mut checks = Vec::new();
        let sent = self
            .by_device
            .entry((log.device.clone(), from))
            .or_default();
        for message in &log.messages {
            if message.direction != from {
                continue;
            }
            if let Some(hmac) = &message.hmac {
                let user = Some(hmac.username.as_str());
                let (verdict, nonce_form, nonce_time) = verdict_with(
                    |nonce| {
                        hmac_mac(
                            hmac.username.as_bytes(),
                            account.password.as_deref().unwrap_or_default(),
                            nonce,
                            hmac.body_digest.as_bytes(),
                        ) == hmac.mac.as_str()
                    },
                    user,
                    account,
                    sent,
                );
                checks.push(CredCheck {
                    line: message.line,
                    direction: message.direction,
                    kind: "syncml:auth-MAC".into(),
                    verdict,
                    nonce_form,
                    nonce_time,
                });
            } else if let (Some(kind), Some(data)) = (&message.cred, &message.cred_data) {
                let user = match from {
                    Direction::DeviceToServer => {
                        message.source_name.as_deref().or(account.user.as_deref())
                    }
                    Direction::ServerToDevice => account.user.as_deref(),
                };
                let (verdict, nonce_form, nonce_time) = verdict(kind, data, user, account, sent);
                checks.push(CredCheck {
                    line: message.line,
                    direction: message.direction,
                    kind: kind.clone(),
                    verdict,
                    nonce_form,
                    nonce_time,
                });
            }
            // The server's answer to this header may carry the next nonce.
            let header = &log.rows[message.header_row];
            if let Some(nonce) = header.challenge.as_ref().and_then(|c| c.next_nonce.clone()) {
                sent.push(Sent {
                    nonce,
                    time: header.time.clone(),
                });
                if sent.len() > KEPT_PER_DEVICE {
                    sent.remove(0);
                }
            }
        }
        checks
    }
}

/// The verdict on one Cred, the nonce form that matched, and when a stale
/// nonce was sent.
fn verdict(
    kind: &str,
    data: &str,
    user: Option<&str>,
    account: &Account,
    sent: &[Sent],
) -> (Verdict, Option<&'static str>, Option<SmolStr>) {
    let Some(password) = &account.password else {
        return (Verdict::NotChecked, None, None);
    };
    match kind {
        "syncml:auth-basic" => {
            let Some(decoded) = base64::decode(data.trim()) else {
                return (Verdict::WrongPassword, None, None);
            };
            let given = decoded
                .iter()
                .position(|&b| b == b':')
                .map(|at| &decoded[at + 1..]);
            if given == Some(&password[..]) {
                (Verdict::Matches, None, None)
            } else {
                (Verdict::WrongPassword, None, None)
            }
        }
        "syncml:auth-md5" => {
            let data = data.trim();
            verdict_with(
                |nonce| user.is_some_and(|user| md5_cred(user.as_bytes(), password, nonce) == data),
                user,
                account,
                sent,
            )
        }
        _ => (Verdict::NotChecked, None, None),
    }
}

/// The verdict on a digest over a nonce (`matches` says whether the digest
/// is the one sent with that nonce): the nonce in force first (no nonce yet:
/// empty), then earlier ones of the device, in every form.
fn verdict_with(
    matches: impl Fn(&[u8]) -> bool,
    user: Option<&str>,
    account: &Account,
    sent: &[Sent],
) -> (Verdict, Option<&'static str>, Option<SmolStr>) {
    if account.password.is_none() || user.is_none() {
        return (Verdict::NotChecked, None, None);
    }
    let in_force = sent.last();
    let mut candidates: Vec<(Option<&Sent>, bool)> = vec![(in_force, true)];
    candidates.extend(sent.iter().rev().skip(1).map(|s| (Some(s), false)));
    for (nonce, current) in candidates {
        for (form, bytes) in nonce_forms(nonce.map(|s| s.nonce.as_str())) {
            if matches(&bytes) {
                return if current {
                    (Verdict::Matches, Some(form), None)
                } else {
                    (
                        Verdict::StaleNonce,
                        Some(form),
                        nonce.and_then(|s| s.time.clone()),
                    )
                };
            }
        }
    }
    (Verdict::WrongPassword, None, None)
}

/// The ways implementations read a NextNonce: base64-decoded (the spec), as
/// written, and, with none sent yet, empty.
fn nonce_forms(nonce: Option<&str>) -> Vec<(&'static str, Vec<u8>)> {
    match nonce {
        None => vec![("empty", Vec::new())],
        Some(text) => {
            let mut forms = Vec::with_capacity(3);
            if let Some(decoded) = base64::decode(text.trim()) {
                forms.push(("decoded", decoded));
            }
            forms.push(("as_written", text.as_bytes().to_vec()));
            forms.push(("empty", Vec::new()));
            forms
        }
    }
}

/// `syncml:auth-md5`: B64(MD5(B64(MD5(user:password)) + ":" + nonce)).
pub(crate) fn md5_cred(user: &[u8], password: &[u8], nonce: &[u8]) -> String {
    let inner = base64::encode(&Md5::digest([user, b":", password].concat()));
    base64::encode(&Md5::digest([inner.as_bytes(), b":", nonce].concat()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_hmac_header_is_read_from_a_log_line() {
        let line = br#"2010-06-28 13:48:20,100 DEBUG [http] x-syncml-hmac: algorithm=MD5, username="dev1", mac=NTI2OTJhMDAwNjYxODkwYmQ3NWUxN2RhN2ZmYmJlMzk="#;
        let hmac = Hmac::in_line(line).expect("a header");
        assert_eq!(hmac.username, "dev1");
        assert_eq!(hmac.mac, "NTI2OTJhMDAwNjYxODkwYmQ3NWUxN2RhN2ZmYmJlMzk=");
        assert_eq!(Hmac::in_line(b"mac=1, username=2"), None);
    }

    #[test]
    fn the_oma_dm_md5_example_gives_its_digest() {
        // OMA DM 1.2 Protocol, authentication example.
        assert_eq!(
            md5_cred(b"Bruce2", b"OhBehave", b"Nonce"),
            "Zz6EivR3yeaaENcRN6lpAQ=="
        );
    }
}
