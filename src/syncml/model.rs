//! A SyncML message as dmtool reads it: the header, the commands of the body
//! (Atomic and Sequence with their children), their items and meta. Built from
//! the element tree of `xml.rs`; every field is optional, because real devices
//! leave things out.

use super::xml::{self, Element, XmlError};

/// `<Meta>` (and `<Chal><Meta>`): the fields dmtool uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub format: Option<String>,
    pub kind: Option<String>,
    pub size: Option<String>,
    pub next_nonce: Option<String>,
    pub max_msg_size: Option<String>,
}

/// `<Cred>`: how the sender authenticates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cred {
    pub meta: Meta,
    pub data: Option<String>,
}

/// `<SyncHdr>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    pub ver_dtd: Option<String>,
    pub ver_proto: Option<String>,
    pub session_id: Option<String>,
    pub msg_id: Option<String>,
    pub target: Option<String>,
    pub source: Option<String>,
    pub resp_uri: Option<String>,
    pub cred: Option<Cred>,
    pub meta: Meta,
}

/// An `<Item>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Item {
    pub target: Option<String>,
    pub source: Option<String>,
    pub meta: Meta,
    pub data: Option<String>,
    pub more_data: bool,
}

/// A command of the body: Get, Add, Replace, Delete, Exec, Copy, Alert, Atomic,
/// Sequence, Status, Results, …
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    pub name: String,
    pub cmd_id: Option<String>,
    /// Status and Results: what they answer.
    pub msg_ref: Option<String>,
    pub cmd_ref: Option<String>,
    /// Status: the name of the command it answers.
    pub cmd: Option<String>,
    pub target_refs: Vec<String>,
    pub source_refs: Vec<String>,
    /// Status: the code; Alert: the alert code.
    pub data: Option<String>,
    pub meta: Meta,
    /// Status 401/407: the challenge.
    pub chal: Option<Meta>,
    pub items: Vec<Item>,
    /// Atomic and Sequence: their commands.
    pub children: Vec<Command>,
    pub no_resp: bool,
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
        let root = xml::parse(text)?;
        if root.name != "SyncML" {
            return Err(XmlError {
                offset: 0,
                message: format!("the root element is <{}>, not <SyncML>", root.name),
            });
        }
        Ok(Self::from_element(&root))
    }

    pub fn from_element(root: &Element<'_>) -> Self {
        let header = root.child("SyncHdr").map(header).unwrap_or_default();
        let body = root.child("SyncBody");
        let commands = body
            .map(|body| {
                body.children
                    .iter()
                    .filter(|child| child.name != "Final")
                    .map(command)
                    .collect()
            })
            .unwrap_or_default();
        Self {
            header,
            commands,
            is_final: body.is_some_and(|body| body.child("Final").is_some()),
        }
    }

    /// Every command, Atomic and Sequence children included, depth first.
    pub fn all_commands(&self) -> Vec<&Command> {
        fn walk<'a>(commands: &'a [Command], out: &mut Vec<&'a Command>) {
            for command in commands {
                out.push(command);
                walk(&command.children, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.commands, &mut out);
        out
    }
}

fn text(element: &Element<'_>, path: &[&str]) -> Option<String> {
    element
        .text_at(path)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

fn meta(element: Option<&Element<'_>>) -> Meta {
    let Some(element) = element else {
        return Meta::default();
    };
    Meta {
        format: text(element, &["Format"]),
        kind: text(element, &["Type"]),
        size: text(element, &["Size"]),
        next_nonce: text(element, &["NextNonce"]),
        max_msg_size: text(element, &["MaxMsgSize"]),
    }
}

fn header(element: &Element<'_>) -> Header {
    Header {
        ver_dtd: text(element, &["VerDTD"]),
        ver_proto: text(element, &["VerProto"]),
        session_id: text(element, &["SessionID"]),
        msg_id: text(element, &["MsgID"]),
        target: text(element, &["Target", "LocURI"]),
        source: text(element, &["Source", "LocURI"]),
        resp_uri: text(element, &["RespURI"]),
        cred: element.child("Cred").map(|cred| Cred {
            meta: meta(cred.child("Meta")),
            data: text(cred, &["Data"]),
        }),
        meta: meta(element.child("Meta")),
    }
}

fn item(element: &Element<'_>) -> Item {
    Item {
        target: text(element, &["Target", "LocURI"]),
        source: text(element, &["Source", "LocURI"]),
        meta: meta(element.child("Meta")),
        data: element.child("Data").map(data_of),
        more_data: element.child("MoreData").is_some(),
    }
}

/// `<Data>` holds text, or elements (a DevInf, escaped or not).
fn data_of(element: &Element<'_>) -> String {
    if element.children.is_empty() {
        element.text.trim().to_owned()
    } else {
        element.inner_xml()
    }
}

fn command(element: &Element<'_>) -> Command {
    let is_container = matches!(&*element.name, "Atomic" | "Sequence");
    Command {
        name: element.name.clone().into_owned(),
        cmd_id: text(element, &["CmdID"]),
        msg_ref: text(element, &["MsgRef"]),
        cmd_ref: text(element, &["CmdRef"]),
        cmd: text(element, &["Cmd"]),
        target_refs: element
            .children_named("TargetRef")
            .map(|e| e.text.trim().to_owned())
            .collect(),
        source_refs: element
            .children_named("SourceRef")
            .map(|e| e.text.trim().to_owned())
            .collect(),
        data: element.child("Data").map(data_of),
        meta: meta(element.child("Meta")),
        chal: element.child("Chal").map(|chal| meta(chal.child("Meta"))),
        items: element.children_named("Item").map(item).collect(),
        children: if is_container {
            element
                .children
                .iter()
                .filter(|child| is_command_name(&child.name))
                .map(command)
                .collect()
        } else {
            Vec::new()
        },
        no_resp: element.child("NoResp").is_some(),
    }
}

/// The elements that are commands inside Atomic and Sequence.
fn is_command_name(name: &str) -> bool {
    matches!(
        name,
        "Add"
            | "Alert"
            | "Atomic"
            | "Copy"
            | "Delete"
            | "Exec"
            | "Get"
            | "Map"
            | "Put"
            | "Replace"
            | "Results"
            | "Search"
            | "Sequence"
            | "Status"
            | "Sync"
    )
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
        let names: Vec<&str> = message
            .all_commands()
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(names, ["Status", "Atomic", "Replace", "Get"]);
        let status = &message.commands[0];
        assert_eq!(status.data.as_deref(), Some("401"));
        assert_eq!(status.cmd.as_deref(), Some("SyncHdr"));
        let chal = status.chal.as_ref().expect("a challenge");
        assert_eq!(chal.kind.as_deref(), Some("syncml:auth-md5"));
        assert_eq!(chal.next_nonce.as_deref(), Some("bm9uY2U="));
        let replace = &message.commands[1].children[0];
        assert_eq!(replace.items[0].target.as_deref(), Some("./DMAcc/x"));
        assert_eq!(replace.items[0].meta.format.as_deref(), Some("chr"));
    }

    #[test]
    fn a_document_that_is_not_syncml_is_refused() {
        assert!(Message::parse("<html></html>").is_err());
    }
}
