//! What can still be read of a message that cannot be parsed whole: one
//! damaged (a stray quote, a wrong end tag) or a fragment whose beginning is
//! not in the input. The header's fields (SessionID, MsgID, the LocURIs, the
//! Cred) and every command that is whole and well-formed on its own are put
//! back into a message of their own, so the session and its device still
//! show. Knows the SyncML element names; nothing of logs.

use memchr::memmem;

use crate::syncml::{Message, xml};

/// Header fields read from their text.
const HEADER_FIELDS: [&str; 5] = ["VerDTD", "VerProto", "SessionID", "MsgID", "RespURI"];
/// Header elements kept whole when they parse.
const HEADER_ELEMENTS: [&str; 4] = ["Target", "Source", "Cred", "Meta"];
/// The commands of a body.
const COMMANDS: [&str; 16] = [
    "Status", "Results", "Alert", "Get", "Add", "Replace", "Delete", "Exec", "Copy", "Move",
    "Atomic", "Sequence", "Sync", "Map", "Put", "Search",
];

/// Only so much of a text is looked at (a DM message is far smaller).
const MAX_SALVAGED: usize = 4 * 1024 * 1024;

/// The message that `text` still holds (up to byte `end`: where the damage
/// is, for a damaged message; at most its first 4 MiB), or `None` when
/// nothing in it ties it to a session (no SessionID, no LocURI).
pub(crate) fn salvage(text: &str, end: usize) -> Option<Message> {
    let text = &text[..floor_char_boundary(text, end.min(MAX_SALVAGED))];
    let (header, body) = match memmem::find(text.as_bytes(), b"</SyncHdr>") {
        Some(at) => (&text[..at], &text[at..]),
        // No end of the header: commands may still follow its fields.
        None => match memmem::find(text.as_bytes(), b"<SyncBody") {
            Some(at) => (&text[..at], &text[at..]),
            None => (text, text),
        },
    };
    let mut head = String::new();
    for name in HEADER_FIELDS {
        if let Some(value) = element(header, name).and_then(|whole| inner_text(whole, name))
            && !value.contains('<')
        {
            head.push_str(&format!("<{name}>{value}</{name}>"));
        }
    }
    for name in HEADER_ELEMENTS {
        if let Some(whole) = element(header, name)
            && xml::parse(whole).is_ok()
        {
            head.push_str(whole);
        }
    }
    let mut commands = String::new();
    let mut rest = body;
    while let Some((at, name)) = next_command(rest) {
        match closing(&rest[at..], name) {
            Some(length) => {
                let whole = &rest[at..at + length];
                if xml::parse(whole).is_ok() {
                    commands.push_str(whole);
                }
                rest = &rest[at + length..];
            }
            // A command that does not end: the rest is the damage.
            None => break,
        }
    }
    // Without a SessionID or a LocURI nothing ties it to a session.
    let tied = ["<SessionID>", "<Target>", "<Source>"]
        .iter()
        .any(|field| head.contains(field));
    if !tied {
        return None;
    }
    let end_of_body = if memmem::find(body.as_bytes(), b"<Final").is_some() {
        "<Final/>"
    } else {
        ""
    };
    let rebuilt = format!(
        "<SyncML><SyncHdr>{head}</SyncHdr><SyncBody>{commands}{end_of_body}</SyncBody></SyncML>"
    );
    Message::parse(&rebuilt).ok()
}

/// The largest char boundary at or before `at`.
fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The first start tag `<name>` or `<name …>` in `text`: its position.
fn start_tag(text: &str, name: &str) -> Option<usize> {
    let pattern = format!("<{name}");
    let mut from = 0;
    while let Some(at) = memmem::find(&text.as_bytes()[from..], pattern.as_bytes()) {
        let position = from + at;
        let next = text.as_bytes().get(position + pattern.len());
        if next.is_some() && xml::ends_tag_name(next) {
            return Some(position);
        }
        from = position + pattern.len();
    }
    None
}

/// The first whole `<name>…</name>` element in `text` (nested elements of
/// the same name included).
fn element<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let at = start_tag(text, name)?;
    let length = closing(&text[at..], name)?;
    Some(&text[at..at + length])
}

/// The text inside an element that holds no element.
fn inner_text<'a>(whole: &'a str, name: &str) -> Option<&'a str> {
    let open_end = whole.find('>')? + 1;
    let close = whole.len().checked_sub(name.len() + 3)?;
    (open_end <= close).then(|| whole[open_end..close].trim())
}

/// The next command's start tag in `text`: its position and name.
fn next_command(text: &str) -> Option<(usize, &'static str)> {
    memchr::memchr_iter(b'<', text.as_bytes()).find_map(|at| {
        let after = &text.as_bytes()[at + 1..];
        COMMANDS
            .iter()
            .find(|name| {
                let next = after.get(name.len());
                after.starts_with(name.as_bytes()) && next.is_some() && xml::ends_tag_name(next)
            })
            .map(|name| (at, *name))
    })
}

/// The length of the element `text` starts with, up to its matching end tag
/// (counting nested elements of the same name); `None` when it does not end.
fn closing(text: &str, name: &str) -> Option<usize> {
    let open_end = text.find('>')?;
    if text[..open_end].ends_with('/') {
        return Some(open_end + 1);
    }
    let end_tag = format!("</{name}>");
    let mut depth = 1;
    let mut at = open_end + 1;
    loop {
        let next_end = memmem::find(&text.as_bytes()[at..], end_tag.as_bytes())? + at;
        let next_start = start_tag(&text[at..], name).map(|start| start + at);
        match next_start {
            Some(start) if start < next_end => {
                depth += 1;
                at = start + name.len() + 1;
            }
            _ => {
                depth -= 1;
                at = next_end + end_tag.len();
                if depth == 0 {
                    return Some(at);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_message_keeps_its_header_and_whole_commands() {
        let damaged = "<SyncML xmlns=“SYNCML:SYNCML1.2”><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>\
            <SessionID>7</SessionID><MsgID>2</MsgID><Target><LocURI>https://dm.example.com/</LocURI></Target>\
            <Source><LocURI>IMEI:1</LocURI></Source><Cred><Meta><Type xmlns=\"syncml:metinf\">syncml:auth-md5</Type></Meta>\
            <Data>x</Data></Cred></SyncHdr><SyncBody><Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef>\
            <Data>212</Data></Status><Results><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>3</CmdRef><Item><Data>E71</Item>\
            </Results><Final/></SyncBody></SyncML>";
        let message = salvage(damaged, damaged.len()).expect("something");
        assert_eq!(message.header.session_id.as_deref(), Some("7"));
        assert_eq!(message.header.msg_id.as_deref(), Some("2"));
        assert_eq!(message.header.source.as_deref(), Some("IMEI:1"));
        let cred = message.header.cred.as_ref().expect("the Cred");
        assert_eq!(cred.meta.kind.as_deref(), Some("syncml:auth-md5"));
        // The Status is whole; the Results is not well-formed.
        let names: Vec<&str> = message.commands.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Status"]);
        assert!(message.is_final);
    }

    #[test]
    fn a_fragment_keeps_what_follows_its_cut() {
        let fragment = "ID>4</MsgID><Source><LocURI>IMEI:1</LocURI></Source></SyncHdr><SyncBody>\
            <Atomic><CmdID>2</CmdID><Replace><CmdID>3</CmdID></Replace></Atomic>\
            <Status><CmdID>4</CmdID><MsgRef>3</MsgRef><CmdRef>5</CmdRef><Chal><Meta><NextNonce>bm9uY2U=</NextNonce></Meta></Chal><Data>401</Data></Status>\
            </SyncBody></SyncML>";
        let message = salvage(fragment, fragment.len()).expect("something");
        assert_eq!(message.header.msg_id, None);
        assert_eq!(message.header.source.as_deref(), Some("IMEI:1"));
        let names: Vec<&str> = message.all_commands().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Atomic", "Replace", "Status"]);
        assert!(message.commands[1].chal.is_some());
        assert!(salvage("just text", 9).is_none());
        // Whole commands without anything that names the session: nothing.
        assert!(salvage("<Status><CmdID>1</CmdID></Status></SyncBody></SyncML>", 60).is_none());
        // Cut inside a character: no panic.
        assert!(salvage("<MsgID>é</MsgID>", 9).is_none());
    }
}
