//! Reading DM transcripts: finding the SyncML messages in log files (log4j
//! records, raw XML, stdin, gzip) and threading their commands with the answers
//! (MsgID/CmdID ↔ MsgRef/CmdRef) per session. Nothing here prints.
//!
//! The pipeline, in the order data flows: `input` (files, stdin, gzip) →
//! `finder` (text → messages) with `embedded` (hex, base64 and WBXML in logs,
//! packages 0) → `pipeline` (reader and parser threads) → `thread` (commands ↔
//! answers, sessions; `clock` reads log time) with `notifications` (package 0
//! ↔ session) → `source` (what the commands pull) → `explain` (a session's
//! report).

pub(crate) mod clock;
pub mod embedded;
pub(crate) mod escaped;
pub mod explain;
pub mod finder;
pub(crate) mod input;
pub mod notifications;
pub(crate) mod order;
pub(crate) mod pipeline;
pub(crate) mod record;
pub(crate) mod salvage;
pub(crate) mod source;
pub mod thread;
