//! Reading DM transcripts: finding the SyncML messages in log files (log4j
//! records, raw XML, stdin, gzip; escaped, JSON lines, prefixed) and threading
//! their commands with the answers (MsgID/CmdID ↔ MsgRef/CmdRef) per session.
//! Nothing here prints.
//!
//! The pipeline, in the order data flows: `order` (rotated sets oldest first)
//! → `input` (files, stdin, gzip) → `finder` (text → messages; `record` reads
//! record headers and their times, `escaped` undoes escaping and JSON lines,
//! `salvage` keeps what is intact of damaged messages and fragments) with
//! `embedded` (hex, base64 and WBXML in logs, packages 0) → `pipeline`
//! (reader and parser threads) → `thread` (commands ↔ answers, sessions;
//! `clock` reads log time) with `notifications` (package 0 ↔ session) →
//! `source` (what the commands pull) → `explain` (a session's report).

pub(crate) mod clock;
pub(crate) mod credentials;
pub mod embedded;
pub(crate) mod escaped;
pub mod explain;
pub mod finder;
pub(crate) mod input;
pub(crate) mod ladder;
pub(crate) mod mentions;
pub mod notifications;
pub(crate) mod order;
pub(crate) mod pipeline;
pub(crate) mod record;
pub(crate) mod salvage;
pub(crate) mod source;
pub mod thread;
