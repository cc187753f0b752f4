//! Builds a [`Message`] straight from the parser's events, without an element
//! tree: each open element gets a role from its parent's role and its name,
//! and only the elements a field is read from keep their text. The rules are
//! those a reader of the tree would apply: a field is the trimmed text of the
//! first child of that name (empty text is no value); `TargetRef`,
//! `SourceRef` and `Item` are every child of that name; `<Data>` that holds
//! elements is their compact XML; every child of `SyncBody` but `Final` is a
//! command, and the commands inside `Atomic`, `Sequence` and `Sync` are its
//! children.

use std::borrow::Cow;
use std::cell::Cell;

use smol_str::SmolStr;

use super::model::{Command, Item, Message, Meta};
use super::xml::{self, Element, Handler};
use super::{intern, scratch};

/// A header field read from its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeaderField {
    VerDtd,
    VerProto,
    SessionId,
    MsgId,
    RespUri,
}

/// A command field read from its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CommandField {
    CmdId,
    MsgRef,
    CmdRef,
    Cmd,
    TargetRef,
    SourceRef,
}

/// A `<Meta>` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MetaField {
    Format,
    Type,
    Size,
    NextNonce,
    MaxMsgSize,
}

/// Whose `<Meta>` it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MetaOf {
    Header,
    Cred,
    Command,
    Chal,
    Item,
}

/// `<Target>` or `<Source>` (holding a `<LocURI>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Target,
    Source,
}

/// Whose `<Data>` it is (read as text, or as XML when it holds elements).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DataOf {
    Command,
    Item,
}

/// What an open element is to the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Root,
    Header,
    HeaderField(HeaderField),
    HeaderEnd(End),
    HeaderLocUri(End),
    /// The header's `<Source><LocName>`: the device's user name.
    HeaderSourceName,
    Cred,
    CredData,
    Meta(MetaOf),
    MetaField(MetaOf, MetaField),
    Body,
    Command {
        container: bool,
    },
    CommandField(CommandField),
    Chal,
    Item,
    ItemEnd(End),
    ItemLocUri(End),
    /// The first `<Data>` of a command or an item: read as a tree.
    Data(DataOf),
    /// `<Final/>` of the body, `<NoResp/>` of a command, `<MoreData/>` of an
    /// item: flags.
    Final,
    NoResp,
    MoreData,
    /// Nothing in it is read (an unknown element, a second `<MsgID>`, …).
    Ignored,
}

impl Role {
    /// Its text is a value.
    fn keeps_text(self) -> bool {
        matches!(
            self,
            Role::HeaderField(_)
                | Role::HeaderLocUri(_)
                | Role::HeaderSourceName
                | Role::CredData
                | Role::MetaField(..)
                | Role::CommandField(_)
                | Role::ItemLocUri(_)
        )
    }
}

/// The role of a child, and for a field read from the first child of its name
/// only, that name's bit among its parent's (a second one is ignored).
fn child_role(parent: Role, name: &str) -> (Role, u32) {
    use Role as R;
    const ALL: u32 = 0;
    match (parent, name) {
        (R::Root, "SyncHdr") => (R::Header, 1),
        (R::Root, "SyncBody") => (R::Body, 2),
        (R::Header, "VerDTD") => (R::HeaderField(HeaderField::VerDtd), 1),
        (R::Header, "VerProto") => (R::HeaderField(HeaderField::VerProto), 1 << 1),
        (R::Header, "SessionID") => (R::HeaderField(HeaderField::SessionId), 1 << 2),
        (R::Header, "MsgID") => (R::HeaderField(HeaderField::MsgId), 1 << 3),
        (R::Header, "RespURI") => (R::HeaderField(HeaderField::RespUri), 1 << 4),
        (R::Header, "Target") => (R::HeaderEnd(End::Target), 1 << 5),
        (R::Header, "Source") => (R::HeaderEnd(End::Source), 1 << 6),
        (R::Header, "Cred") => (R::Cred, 1 << 7),
        (R::Header, "Meta") => (R::Meta(MetaOf::Header), 1 << 8),
        (R::HeaderEnd(end), "LocURI") => (R::HeaderLocUri(end), 1),
        (R::HeaderEnd(End::Source), "LocName") => (R::HeaderSourceName, 1 << 1),
        (R::Cred, "Meta") => (R::Meta(MetaOf::Cred), 1),
        (R::Cred, "Data") => (R::CredData, 1 << 1),
        (R::Meta(of), field) => match field {
            "Format" => (R::MetaField(of, MetaField::Format), 1),
            "Type" => (R::MetaField(of, MetaField::Type), 1 << 1),
            "Size" => (R::MetaField(of, MetaField::Size), 1 << 2),
            "NextNonce" => (R::MetaField(of, MetaField::NextNonce), 1 << 3),
            "MaxMsgSize" => (R::MetaField(of, MetaField::MaxMsgSize), 1 << 4),
            _ => (R::Ignored, ALL),
        },
        (R::Body, "Final") => (R::Final, ALL),
        (R::Body, name) => (command_role(name), ALL),
        (R::Command { container }, name) => match name {
            "CmdID" => (R::CommandField(CommandField::CmdId), 1),
            "MsgRef" => (R::CommandField(CommandField::MsgRef), 1 << 1),
            "CmdRef" => (R::CommandField(CommandField::CmdRef), 1 << 2),
            "Cmd" => (R::CommandField(CommandField::Cmd), 1 << 3),
            "Data" => (R::Data(DataOf::Command), 1 << 4),
            "NoResp" => (R::NoResp, ALL),
            "Meta" => (R::Meta(MetaOf::Command), 1 << 5),
            "Chal" => (R::Chal, 1 << 6),
            "TargetRef" => (R::CommandField(CommandField::TargetRef), ALL),
            "SourceRef" => (R::CommandField(CommandField::SourceRef), ALL),
            "Item" => (R::Item, ALL),
            _ if container && is_command_name(name) => (command_role(name), ALL),
            _ => (R::Ignored, ALL),
        },
        (R::Chal, "Meta") => (R::Meta(MetaOf::Chal), 1),
        (R::Item, "Target") => (R::ItemEnd(End::Target), 1),
        (R::Item, "Source") => (R::ItemEnd(End::Source), 1 << 1),
        (R::Item, "Meta") => (R::Meta(MetaOf::Item), 1 << 2),
        (R::Item, "Data") => (R::Data(DataOf::Item), 1 << 3),
        (R::Item, "MoreData") => (R::MoreData, ALL),
        (R::ItemEnd(end), "LocURI") => (R::ItemLocUri(end), 1),
        _ => (R::Ignored, ALL),
    }
}

fn command_role(name: &str) -> Role {
    Role::Command {
        container: is_container(name),
    }
}

/// A command that holds commands: Atomic and Sequence (DM and DS), Sync (DS:
/// the changes of one datastore).
pub(crate) fn is_container(name: &str) -> bool {
    matches!(name, "Atomic" | "Sequence" | "Sync")
}

/// The elements that are commands inside Atomic, Sequence and Sync.
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
            | "Move"
            | "Put"
            | "Replace"
            | "Results"
            | "Search"
            | "Sequence"
            | "Status"
            | "Sync"
    )
}

/// An open element: its role, its text when the role keeps it, and which
/// first-only children it has had.
struct Frame<'a> {
    role: Role,
    text: Cow<'a, str>,
    seen: u32,
}

/// Builds one message from the events of [`xml::parse_into`].
pub(crate) struct Builder<'a> {
    message: Message,
    root: Option<Cow<'a, str>>,
    frames: Vec<Frame<'a>>,
    /// Where the commands being read are, outermost first: an index into the
    /// message's commands, then into that command's children (Atomic holds
    /// commands). Commands are built where they end up.
    path: Vec<usize>,
    /// A `<Data>` being read, as a tree (it may hold elements), with whose it is.
    data: Vec<Element<'a>>,
    data_of: Option<DataOf>,
}

/// A builder's stacks, emptied, for the next message on the same thread.
#[derive(Default)]
struct Stacks {
    frames: Vec<Frame<'static>>,
    path: Vec<usize>,
    data: Vec<Element<'static>>,
}

thread_local! {
    static STACKS: Cell<Option<Stacks>> = const { Cell::new(None) };
}

impl Default for Builder<'_> {
    /// A builder with the stacks the last one on this thread left.
    fn default() -> Self {
        let stacks = STACKS.take().unwrap_or_default();
        Self {
            message: Message::default(),
            root: None,
            frames: scratch::recycle(stacks.frames),
            path: stacks.path,
            data: scratch::recycle(stacks.data),
            data_of: None,
        }
    }
}

impl<'a> Builder<'a> {
    /// The message, and the name of the root element (to check it is `SyncML`).
    pub(crate) fn finish(mut self) -> (Message, Option<Cow<'a, str>>) {
        self.path.clear();
        STACKS.set(Some(Stacks {
            frames: scratch::recycle(self.frames),
            path: self.path,
            data: scratch::recycle(self.data),
        }));
        (self.message, self.root)
    }

    /// The innermost command being read.
    fn command(&mut self) -> Option<&mut Command> {
        let (first, rest) = self.path.split_first()?;
        let mut command = self.message.commands.get_mut(*first)?;
        for &at in rest {
            command = command.children.get_mut(at)?;
        }
        Some(command)
    }

    /// The item being read: the last of the innermost command's.
    fn item(&mut self) -> Option<&mut Item> {
        self.command()?.items.last_mut()
    }

    fn meta(&mut self, of: MetaOf) -> Option<&mut Meta> {
        match of {
            MetaOf::Header => Some(&mut self.message.header.meta),
            MetaOf::Cred => self.message.header.cred.as_deref_mut().map(|c| &mut c.meta),
            MetaOf::Command => self.command().and_then(|c| c.meta.as_deref_mut()),
            MetaOf::Chal => self.command().and_then(|c| c.chal.as_deref_mut()),
            MetaOf::Item => self.item().and_then(|i| i.meta.as_deref_mut()),
        }
    }

    /// An element opens as `role`.
    fn open(&mut self, role: Role, name: &str) {
        match role {
            Role::Cred => self.message.header.cred = Some(Box::default()),
            Role::Meta(MetaOf::Command) => {
                if let Some(command) = self.command() {
                    command.meta = Some(Box::default());
                }
            }
            Role::Meta(MetaOf::Item) => {
                if let Some(item) = self.item() {
                    item.meta = Some(Box::default());
                }
            }
            Role::Command { .. } => {
                let command = Command {
                    name: intern::value(name),
                    ..Command::default()
                };
                let siblings = match self.command() {
                    Some(parent) => &mut parent.children,
                    None => &mut self.message.commands,
                };
                siblings.push(command);
                let at = siblings.len() - 1;
                self.path.push(at);
            }
            Role::Chal => {
                if let Some(command) = self.command() {
                    command.chal = Some(Box::default());
                }
            }
            // Built in place, as the command's last item.
            Role::Item => {
                if let Some(command) = self.command() {
                    command.items.push(Item::default());
                }
            }
            Role::Final => self.message.is_final = true,
            Role::NoResp => {
                if let Some(command) = self.command() {
                    command.no_resp = true;
                }
            }
            Role::MoreData => {
                if let Some(item) = self.item() {
                    item.more_data = true;
                }
            }
            _ => {}
        }
    }

    /// An element read as `role` ends with this text.
    fn close(&mut self, role: Role, text: &str) {
        let value = || {
            let text = trim(text);
            (!text.is_empty()).then(|| intern::value(text))
        };
        match role {
            Role::HeaderField(field) => {
                let header = &mut self.message.header;
                let slot = match field {
                    HeaderField::VerDtd => &mut header.ver_dtd,
                    HeaderField::VerProto => &mut header.ver_proto,
                    HeaderField::SessionId => &mut header.session_id,
                    HeaderField::MsgId => &mut header.msg_id,
                    HeaderField::RespUri => &mut header.resp_uri,
                };
                *slot = value();
            }
            Role::HeaderLocUri(End::Target) => self.message.header.target = value(),
            Role::HeaderLocUri(End::Source) => self.message.header.source = value(),
            Role::HeaderSourceName => self.message.header.source_name = value(),
            Role::CredData => {
                if let Some(cred) = self.message.header.cred.as_mut() {
                    cred.data = value();
                }
            }
            Role::MetaField(of, field) => {
                let value = value();
                if let Some(meta) = self.meta(of) {
                    let slot = match field {
                        MetaField::Format => &mut meta.format,
                        MetaField::Type => &mut meta.kind,
                        MetaField::Size => &mut meta.size,
                        MetaField::NextNonce => &mut meta.next_nonce,
                        MetaField::MaxMsgSize => &mut meta.max_msg_size,
                    };
                    *slot = value;
                }
            }
            Role::CommandField(field) => {
                let Some(command) = self.command() else {
                    return;
                };
                match field {
                    CommandField::CmdId => command.cmd_id = value(),
                    CommandField::MsgRef => command.msg_ref = value(),
                    CommandField::CmdRef => command.cmd_ref = value(),
                    CommandField::Cmd => command.cmd = value(),
                    CommandField::TargetRef => {
                        let refs = command.refs.get_or_insert_with(Box::default);
                        refs.targets.push(intern::value(trim(text)));
                    }
                    CommandField::SourceRef => {
                        let refs = command.refs.get_or_insert_with(Box::default);
                        refs.sources.push(intern::value(trim(text)));
                    }
                }
            }
            Role::ItemLocUri(End::Target) => {
                if let Some(item) = self.item() {
                    item.target = value();
                }
            }
            Role::ItemLocUri(End::Source) => {
                if let Some(item) = self.item() {
                    item.source = value();
                }
            }
            Role::Command { .. } => {
                self.path.pop();
            }
            _ => {}
        }
    }

    /// A `<Data>` read as a tree has ended.
    fn close_data(&mut self, data: &Element<'_>) {
        let value = Some(data_of(data));
        match self.data_of {
            Some(DataOf::Command) => {
                if let Some(command) = self.command() {
                    command.data = value;
                }
            }
            Some(DataOf::Item) => {
                if let Some(item) = self.item() {
                    item.data = value;
                }
            }
            None => {}
        }
    }
}

/// `str::trim`, quicker for the usual value that starts and ends with a
/// printable ASCII character (nothing to trim).
fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// `<Data>` holds text, or elements (a DevInf, escaped or not).
fn data_of(element: &Element<'_>) -> SmolStr {
    if element.children.is_empty() {
        intern::value(trim(&element.text))
    } else {
        SmolStr::from(element.inner_xml())
    }
}

impl<'a> Handler<'a> for Builder<'a> {
    fn start(&mut self, name: Cow<'a, str>, attributes: Cow<'a, str>) {
        if !self.data.is_empty() {
            self.data.push(Element {
                name,
                attributes,
                ..Element::default()
            });
            return;
        }
        let Some(parent) = self.frames.last_mut() else {
            self.root = Some(name);
            self.frames.push(Frame {
                role: Role::Root,
                text: Cow::Borrowed(""),
                seen: 0,
            });
            return;
        };
        let (mut role, bit) = child_role(parent.role, &name);
        if bit != 0 {
            if parent.seen & bit != 0 {
                role = Role::Ignored;
            }
            parent.seen |= bit;
        }
        if let Role::Data(of) = role {
            self.data_of = Some(of);
            self.data.push(Element {
                name,
                attributes,
                ..Element::default()
            });
            return;
        }
        self.open(role, &name);
        self.frames.push(Frame {
            role,
            text: Cow::Borrowed(""),
            seen: 0,
        });
    }

    fn end(&mut self) {
        if let Some(element) = self.data.pop() {
            match self.data.last_mut() {
                Some(parent) => parent.children.push(element),
                None => self.close_data(&element),
            }
            return;
        }
        if let Some(frame) = self.frames.pop() {
            self.close(frame.role, &frame.text);
        }
    }

    fn wants_text(&self) -> bool {
        !self.data.is_empty() || self.frames.last().is_some_and(|top| top.role.keeps_text())
    }

    fn text(&mut self, piece: Cow<'a, str>) {
        if let Some(top) = self.data.last_mut() {
            xml::append(&mut top.text, piece);
        } else if let Some(top) = self.frames.last_mut()
            && top.role.keeps_text()
        {
            xml::append(&mut top.text, piece);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syncml::samples;

    /// The message as a reader of the element tree builds it: the rules
    /// this builder must keep.
    mod reference {
        use smol_str::SmolStr;

        use super::super::{data_of, is_command_name};
        use crate::syncml::model::{Command, Cred, Header, Item, Message, Meta, Refs};
        use crate::syncml::xml::Element;

        pub(crate) fn message(root: &Element<'_>) -> Message {
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
            Message {
                header,
                commands,
                is_final: body.is_some_and(|body| body.child("Final").is_some()),
            }
        }

        fn text(element: &Element<'_>, path: &[&str]) -> Option<SmolStr> {
            element
                .text_at(path)
                .filter(|text| !text.is_empty())
                .map(SmolStr::new)
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
                source_name: text(element, &["Source", "LocName"]),
                resp_uri: text(element, &["RespURI"]),
                cred: element.child("Cred").map(|cred| {
                    Box::new(Cred {
                        meta: meta(cred.child("Meta")),
                        data: text(cred, &["Data"]),
                    })
                }),
                meta: meta(element.child("Meta")),
            }
        }

        fn item(element: &Element<'_>) -> Item {
            Item {
                target: text(element, &["Target", "LocURI"]),
                source: text(element, &["Source", "LocURI"]),
                meta: element.child("Meta").map(|m| Box::new(meta(Some(m)))),
                data: element.child("Data").map(data_of),
                more_data: element.child("MoreData").is_some(),
            }
        }

        fn refs(element: &Element<'_>) -> Option<Box<Refs>> {
            let all = |name| {
                element
                    .children_named(name)
                    .map(|e| SmolStr::new(e.text.trim()))
                    .collect::<Vec<_>>()
            };
            let refs = Refs {
                targets: all("TargetRef"),
                sources: all("SourceRef"),
            };
            (!refs.targets.is_empty() || !refs.sources.is_empty()).then(|| Box::new(refs))
        }

        fn command(element: &Element<'_>) -> Command {
            let is_container = super::super::is_container(&element.name);
            Command {
                name: SmolStr::new(&element.name),
                cmd_id: text(element, &["CmdID"]),
                msg_ref: text(element, &["MsgRef"]),
                cmd_ref: text(element, &["CmdRef"]),
                cmd: text(element, &["Cmd"]),
                refs: refs(element),
                data: element.child("Data").map(data_of),
                meta: element.child("Meta").map(|m| Box::new(meta(Some(m)))),
                chal: element
                    .child("Chal")
                    .map(|chal| Box::new(meta(chal.child("Meta")))),
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
    }

    fn same_as_the_tree(text: &str, place: &str) {
        let built = Message::parse(text);
        let tree = xml::parse(text).ok().filter(|root| root.name == "SyncML");
        match (built, tree) {
            (Ok(built), Some(tree)) => {
                assert_eq!(built, reference::message(&tree), "{place}");
            }
            (built, tree) => assert_eq!(built.is_ok(), tree.is_some(), "{place}"),
        }
    }

    #[test]
    fn odd_documents_build_the_message_the_tree_gives() {
        for text in [
            "<SyncML><SyncHdr><MsgID> 1 </MsgID><MsgID>2</MsgID><SessionID></SessionID>\
             <Target><LocURI>a</LocURI><LocURI>b</LocURI></Target><Target><LocURI>c</LocURI></Target>\
             <Source>x<LocURI>s<!-- c -->t</LocURI>y</Source><Cred><Data>d</Data><Meta><Type>t</Type>\
             </Meta></Cred><Cred><Data>e</Data></Cred><Meta><MaxMsgSize>9</MaxMsgSize></Meta></SyncHdr>\
             <SyncBody><Final/><Status><CmdID>1</CmdID><Data>200</Data><Data>500</Data>\
             <Chal/><TargetRef> t </TargetRef><TargetRef/><SourceRef>s</SourceRef></Status>\
             <Atomic><CmdID>2</CmdID><Meta><Format>f</Format></Meta><Add><CmdID>3</CmdID><NoResp/>\
             <Item><Data><DevInf xmlns='x'><Man> M &amp; N </Man><Mod>m</Mod></DevInf> tail </Data>\
             <MoreData/><Data>second</Data><Meta><Size>4</Size></Meta></Item><Item/></Add>\
             <Sequence><Get><CmdID>4</CmdID></Get><Unknown><CmdID>5</CmdID></Unknown></Sequence>\
             <CmdID>6</CmdID></Atomic><Get><Replace><CmdID>7</CmdID></Replace></Get>\
             <Other/><Final>x</Final></SyncBody><SyncBody><Get/></SyncBody></SyncML>",
            "<SyncML><SyncBody><Status><Chal><Meta><Type>a</Type></Meta><Meta><Type>b</Type>\
             </Meta></Chal><Chal><Meta><NextNonce>n</NextNonce></Meta></Chal><Data><![CDATA[ <x> ]]>\
             &#65;&lt;</Data></Status></SyncBody><SyncHdr><MsgID>1</MsgID></SyncHdr></SyncML>",
            "<Other><SyncHdr><MsgID>1</MsgID></SyncHdr></Other>",
            "<SyncML/>",
        ] {
            same_as_the_tree(text, text);
        }
    }

    /// Every message of the fixtures, and of the corpus when it is there.
    #[test]
    fn every_known_message_builds_the_message_the_tree_gives() {
        let messages = samples::messages();
        for (place, text) in &messages {
            same_as_the_tree(text, place);
        }
        assert!(messages.len() >= 20, "only {} messages", messages.len());
    }
}
