//! What the database commands (`jobs`, `device`) share: opening the store from
//! the command line.

use anyhow::Result;

use crate::cli::DbArgs;
use crate::config::Config;
use crate::db::Store;

/// Opens the database the command line names, read-only.
pub(crate) fn open(config: &Config, args: &DbArgs) -> Result<Store> {
    let (target, options) = config.database(args)?;
    Store::open(&target, &options)
}
