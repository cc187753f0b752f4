//! What the database commands (`jobs`, `device`) share: opening the store from
//! the command line.

use anyhow::Result;

use crate::cli::DbArgs;
use crate::config::Config;
use crate::db::Store;

/// Opens the database the command line names, read-only.
pub(crate) fn open(config: &Config, args: &DbArgs) -> Result<Store> {
    let opened = config
        .database(args)
        .and_then(|(target, options)| Store::open(&target, &options));
    // A database named by the environment is said to be: the command line
    // shows no --db to look at.
    match (opened, config.database_source(args)) {
        (Err(error), Some(source)) => {
            // Shown as a target shows itself: never with its password.
            let named = crate::db::Target::parse(args.db.as_deref().unwrap_or_default())
                .map_or_else(|_| String::new(), |target| format!(": {target}"));
            Err(error.context(format!("the database {source} names{named}")))
        }
        (opened, _) => opened,
    }
}
