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

pub mod clock;
pub mod embedded;
pub mod explain;
pub mod finder;
pub mod input;
pub mod notifications;
pub mod pipeline;
pub mod source;
pub mod thread;
