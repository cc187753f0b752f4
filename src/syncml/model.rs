//! A SyncML message as dmtool reads it: the header, the commands of the body
//! (Atomic, Sequence and Sync with their children), their items and meta. Built by
//! `build.rs` from the XML reader's events; every field is optional, because
//! real devices leave things out.

use smol_str::SmolStr;

use super::build::Builder;
use super::xml::{self, XmlError};

/// `<Meta>` (and `<Chal><Meta>`): the fields dmtool uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub format: Option<SmolStr>,
    pub kind: Option<SmolStr>,
    pub size: Option<SmolStr>,
    pub next_nonce: Option<SmolStr>,
    pub max_msg_size: Option<SmolStr>,
}

/// `<Cred>`: how the sender authenticates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cred {
    pub meta: Meta,
    pub data: Option<SmolStr>,
}

/// `<SyncHdr>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub ver_dtd: Option<SmolStr>,
    pub ver_proto: Option<SmolStr>,
    pub session_id: Option<SmolStr>,
    pub msg_id: Option<SmolStr>,
    pub target: Option<SmolStr>,
    pub source: Option<SmolStr>,
    /// `<Source><LocName>`: the user name a device's MD5 Cred is made with.
    pub source_name: Option<SmolStr>,
    pub resp_uri: Option<SmolStr>,
    pub cred: Option<Box<Cred>>,
    pub meta: Meta,
}

/// An `<Item>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    pub target: Option<SmolStr>,
    pub source: Option<SmolStr>,
    /// Boxed, like a command's `Meta` and `Chal` and the header's `Cred`:
    /// most have none, and commands and items are moved about.
    pub meta: Option<Box<Meta>>,
    pub data: Option<SmolStr>,
    pub more_data: bool,
}

/// A Status's or Results' `<TargetRef>`s and `<SourceRef>`s, boxed: most
/// commands have none, and a smaller command is quicker to build and move
/// (four fit the allocator's per-thread cache).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Refs {
    pub targets: Vec<SmolStr>,
    pub sources: Vec<SmolStr>,
}

/// A command of the body: Get, Add, Replace, Delete, Exec, Copy, Alert, Atomic,
/// Sequence, Status, Results, …
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    pub name: SmolStr,
    pub cmd_id: Option<SmolStr>,
    /// Status and Results: what they answer.
    pub msg_ref: Option<SmolStr>,
    pub cmd_ref: Option<SmolStr>,
    /// Status: the name of the command it answers.
    pub cmd: Option<SmolStr>,
    /// Status and Results: the TargetRefs and SourceRefs, when there are.
    pub refs: Option<Box<Refs>>,
    /// Status: the code; Alert: the alert code.
    pub data: Option<SmolStr>,
    pub meta: Option<Box<Meta>>,
    /// Status 401/407: the challenge.
    pub chal: Option<Box<Meta>>,
    pub items: Vec<Item>,
    /// Atomic, Sequence and Sync: their commands.
    pub children: Vec<Command>,
    pub no_resp: bool,
}

impl Command {
    /// The code in its Data (a Status's status, an Alert's alert code), when
    /// it is a number.
    pub fn code(&self) -> Option<u32> {
        self.data.as_deref()?.trim().parse().ok()
    }
}

/// One SyncML message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    pub header: Header,
    pub commands: Vec<Command>,
    pub is_final: bool,
}

impl Message {
    /// Parses one `<SyncML>` document.
    pub fn parse(text: &str) -> Result<Self, XmlError> {
        let builder: Builder = xml::read(text)?;
        let (message, root) = builder.finish();
        match root {
            Some(name) if name == "SyncML" => Ok(message),
            name => Err(XmlError {
                offset: 0,
                message: format!(
                    "the root element is <{}>, not <SyncML>",
                    name.unwrap_or_default()
                ),
            }),
        }
    }

    /// The first WBXML document of `bytes` read as [`Message::parse`] reads
    /// its XML (the same message), without building its tree or writing the
    /// XML; with what the reading measured (the bytes it took, its XML's
    /// length). The message is `None` when the document is not a `<SyncML>`
    /// one or its XML reads otherwise (then parse its XML, which tells why).
    pub fn from_wbxml(
        bytes: &[u8],
    ) -> Result<(Option<Self>, super::wbxml::Replayed), super::wbxml::WbxmlError> {
        let mut builder = Builder::default();
        let replayed = super::wbxml::replay_first(bytes, &mut builder)?;
        let (message, root) = builder.finish();
        let is_message = replayed.faithful && root.is_some_and(|name| name == "SyncML");
        Ok((is_message.then_some(message), replayed))
    }

    /// Every command, the children of Atomic, Sequence and Sync included,
    /// depth first.
    pub fn all_commands(&self) -> AllCommands<'_> {
        AllCommands {
            top: self.commands.iter(),
            nested: Vec::new(),
        }
    }
}

/// The iterator of [`Message::all_commands`]: it allocates only for commands
/// that hold commands.
pub struct AllCommands<'a> {
    top: std::slice::Iter<'a, Command>,
    /// The children of the Atomic and Sequence being walked, innermost last.
    nested: Vec<std::slice::Iter<'a, Command>>,
}

impl<'a> Iterator for AllCommands<'a> {
    type Item = &'a Command;

    fn next(&mut self) -> Option<&'a Command> {
        loop {
            let level = self.nested.last_mut().unwrap_or(&mut self.top);
            match level.next() {
                Some(command) => {
                    if !command.children.is_empty() {
                        self.nested.push(command.children.iter());
                    }
                    return Some(command);
                }
                None => {
                    // This level is done: back to its parent's, if any.
                    let _done = self.nested.pop()?;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PACKAGE_2: &str = r#"<SyncML xmlns="SYNCML:SYNCML1.2">
<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1A</SessionID>
<MsgID>1</MsgID><Target><LocURI>IMEI:356938035643809</LocURI></Target>
<Source><LocURI>https://dme.example.com/dm</LocURI></Source></SyncHdr>
<SyncBody>
<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>
<TargetRef>https://dme.example.com/dm</TargetRef><SourceRef>IMEI:356938035643809</SourceRef>
<Chal><Meta><Type xmlns="syncml:metinf">syncml:auth-md5</Type><NextNonce>bm9uY2U=</NextNonce></Meta></Chal>
<Data>401</Data></Status>
<Atomic><CmdID>2</CmdID>
<Replace><CmdID>3</CmdID><Item><Target><LocURI>./DMAcc/x</LocURI></Target>
<Meta><Format xmlns="syncml:metinf">chr</Format></Meta><Data>v</Data></Item></Replace>
</Atomic>
<Get><CmdID>4</CmdID><Item><Target><LocURI>./DevInfo/Mod</LocURI></Target></Item></Get>
<Final/></SyncBody></SyncML>"#;

    #[test]
    fn a_message_is_read_with_its_header_commands_and_children() {
        let message = Message::parse(PACKAGE_2).expect("parses");
        assert_eq!(message.header.session_id.as_deref(), Some("1A"));
        assert_eq!(
            message.header.source.as_deref(),
            Some("https://dme.example.com/dm")
        );
        assert!(message.is_final);
        let names: Vec<&str> = message.all_commands().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["Status", "Atomic", "Replace", "Get"]);
        let status = &message.commands[0];
        assert_eq!(status.data.as_deref(), Some("401"));
        assert_eq!(status.cmd.as_deref(), Some("SyncHdr"));
        let refs = status.refs.as_deref().expect("TargetRef and SourceRef");
        assert_eq!(refs.targets, ["https://dme.example.com/dm"]);
        assert_eq!(refs.sources, ["IMEI:356938035643809"]);
        assert!(message.commands[1].refs.is_none());
        let chal = status.chal.as_ref().expect("a challenge");
        assert_eq!(chal.kind.as_deref(), Some("syncml:auth-md5"));
        assert_eq!(chal.next_nonce.as_deref(), Some("bm9uY2U="));
        let replace = &message.commands[1].children[0];
        assert_eq!(replace.items[0].target.as_deref(), Some("./DMAcc/x"));
        let meta = replace.items[0].meta.as_deref().expect("a Meta");
        assert_eq!(meta.format.as_deref(), Some("chr"));
    }

    /// What a message holds rarely is boxed, so that a message's usual four
    /// commands take at most 1 KiB: glibc's per-thread cache serves up to
    /// 1,032 bytes without a lock (BENCHMARKS.md).
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn four_commands_fit_in_a_kibibyte() {
        assert!(4 * size_of::<Command>() <= 1024);
    }

    #[test]
    fn a_document_that_is_not_syncml_is_refused() {
        assert!(Message::parse("<html></html>").is_err());
    }
}
