//! Reading DM transcripts: finding the SyncML messages in log files (log4j
//! records, raw XML, stdin, gzip) and threading their commands with the answers
//! (MsgID/CmdID ↔ MsgRef/CmdRef) per session. Nothing here prints.

pub mod binary;
pub mod clock;
pub mod explain;
pub mod finder;
pub mod input;
pub mod notifications;
pub mod pipeline;
pub mod source;
pub mod thread;
