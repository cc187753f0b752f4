//! The SyncML DM protocol model: a message (header, commands, items) and the
//! parser that builds it from XML. Nothing here knows about files, logs or
//! terminals; `transcript` finds messages and threads them.

pub(crate) mod base64;
mod build;
pub(crate) mod hex;
pub(crate) mod intern;
pub mod model;
pub mod notification;
pub mod pretty;
pub mod provisioning;
#[cfg(test)]
pub(crate) mod samples;
pub mod scan;
mod scratch;
pub mod wbxml;
pub mod xml;

pub use model::{Command, Header, Item, Message, Meta};
