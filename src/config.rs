//! Resolves the command line, the environment and the terminal into one
//! [`Config`], once. Commands get a `Config` (and the `Output` built from it) and
//! never read environment variables or ask whether stdout is a terminal. (The
//! one variable clap reads itself, `DMTOOL_DB`, is declared in `cli.rs` so that
//! `--help` shows it; it arrives here as `--db`.)

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::cli::{ColorChoice, DbArgs, GlobalArgs};
use crate::db::{ConnectOptions, Target};
use crate::error::UsageError;
use crate::output::{Decoration, Format};

/// What the program needs to know about where it runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Environment {
    pub(crate) stdout_is_terminal: bool,
    /// stdin and stderr are a terminal: a password can be asked for.
    pub(crate) can_prompt: bool,
    /// stderr is a terminal: progress can be shown.
    pub(crate) stderr_is_terminal: bool,
    /// `NO_COLOR` is set (to anything but the empty string, per no-color.org).
    pub(crate) no_color: bool,
    /// `TERM` is `dumb`.
    pub(crate) dumb_terminal: bool,
    /// `DMTOOL_DB`, when set: errors about the database it names say so.
    pub(crate) dmtool_db: Option<String>,
    /// `COLUMNS`, when it is a width: tables fit it on a terminal.
    pub(crate) columns: Option<u16>,
    /// `~/.my.cnf`'s client group and `MYSQL_PWD`, as the `mysql` client reads them.
    pub(crate) mysql_client: crate::db::my_cnf::ClientDefaults,
}

impl Environment {
    /// Reads the real process environment.
    pub(crate) fn detect() -> Self {
        Self {
            stdout_is_terminal: std::io::stdout().is_terminal(),
            can_prompt: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
            stderr_is_terminal: std::io::stderr().is_terminal(),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            dumb_terminal: std::env::var_os("TERM").is_some_and(|v| v == "dumb"),
            dmtool_db: std::env::var("DMTOOL_DB").ok().filter(|v| !v.is_empty()),
            columns: std::env::var("COLUMNS")
                .ok()
                .and_then(|v| v.trim().parse().ok())
                .filter(|width| *width >= 20),
            mysql_client: mysql_client_settings(),
        }
    }
}

/// `~/.my.cnf` (its `[client]` group; a file that cannot be read, or is
/// larger than an option file can be, is passed by) and `MYSQL_PWD`.
fn mysql_client_settings() -> crate::db::my_cnf::ClientDefaults {
    use std::io::Read;
    let mut settings = std::env::var_os("HOME")
        .map(|home| Path::new(&home).join(".my.cnf"))
        .and_then(|path| std::fs::File::open(path).ok())
        .and_then(|file| {
            let mut text = String::new();
            file.take(1 << 20).read_to_string(&mut text).ok()?;
            Some(crate::db::my_cnf::parse(&text))
        })
        .unwrap_or_default();
    settings.env_password = std::env::var("MYSQL_PWD").ok().filter(|v| !v.is_empty());
    settings
}

/// Every decision taken from the command line and the environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Config {
    pub(crate) format: Format,
    pub(crate) decoration: Decoration,
    pub(crate) verbose: bool,
    /// A password may be asked for on the terminal.
    pub(crate) can_prompt: bool,
    /// Long reads show a progress line on stderr.
    pub(crate) progress: bool,
    /// The value of `DMTOOL_DB`, if set.
    pub(crate) dmtool_db: Option<String>,
    /// `~/.my.cnf` and `MYSQL_PWD`.
    pub(crate) mysql_client: crate::db::my_cnf::ClientDefaults,
}

impl Config {
    pub(crate) fn resolve(
        args: &GlobalArgs,
        (format, verbose): (Format, bool),
        env: &Environment,
    ) -> Self {
        let color_wanted = match args.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => env.stdout_is_terminal && !env.no_color && !env.dumb_terminal,
        };
        Self {
            format,
            decoration: Decoration {
                // Machine formats are never coloured, whatever --color says.
                color: color_wanted && format == Format::Table,
                terminal: env.stdout_is_terminal,
                width: env.columns.filter(|_| env.stdout_is_terminal),
            },
            verbose,
            can_prompt: env.can_prompt,
            progress: env.stderr_is_terminal && !env.dumb_terminal,
            dmtool_db: env.dmtool_db.clone(),
            mysql_client: env.mysql_client.clone(),
        }
    }

    /// "DMTOOL_DB" when the database named comes from the environment (the
    /// value is `DMTOOL_DB`'s), for errors about it.
    pub(crate) fn database_source(&self, args: &DbArgs) -> Option<&'static str> {
        (args.db.is_some() && args.db == self.dmtool_db).then_some("DMTOOL_DB")
    }

    /// The database to read and how to connect, from `--db`/`DMTOOL_DB`,
    /// `--password-file` and `--connect-timeout`.
    pub(crate) fn database(&self, args: &DbArgs) -> Result<(Target, ConnectOptions)> {
        let Some(text) = args.db.as_deref() else {
            return Err(UsageError::new("no database given")
                .with_hint(format!(
                    "give --db ({}), set DMTOOL_DB, or try the built-in demo with --db demo",
                    crate::db::target::FORMS
                ))
                .into());
        };
        let target = Target::parse(text)?;
        if !args.connect_timeout.is_finite() || args.connect_timeout <= 0.0 {
            return Err(UsageError::new(format!(
                "--connect-timeout {} is not a positive number of seconds",
                args.connect_timeout
            ))
            .into());
        }
        if !args.query_timeout.is_finite() || args.query_timeout < 0.0 {
            return Err(UsageError::new(format!(
                "--query-timeout {} is not a number of seconds (0: no limit)",
                args.query_timeout
            ))
            .into());
        }
        let query_timeout = (args.query_timeout > 0.0)
            .then(|| Duration::from_secs_f64(args.query_timeout.min(30.0 * 86_400.0)));
        let password = args
            .password_file
            .as_deref()
            .map(read_password)
            .transpose()?;
        let can_prompt = self.can_prompt;
        let prompt = Box::new(move |text: &str| -> Result<Option<String>> {
            if !can_prompt {
                return Ok(None);
            }
            rpassword::prompt_password(text)
                .map(Some)
                .context("cannot read the password from the terminal")
        });
        Ok((
            target,
            ConnectOptions {
                connect_timeout: Duration::from_secs_f64(args.connect_timeout.min(3600.0)),
                query_timeout,
                password,
                prompt,
                verbose: self.verbose,
                client: self.mysql_client.clone(),
            },
        ))
    }
}

/// The most bytes of a small input (a password, a PIN, a nonce) read from a
/// file: more is refused, not read (`/dev/zero` is not a password file).
pub(crate) const MAX_SMALL_FILE: u64 = 4096;

/// The first line of a password file, without its line ending. A file that
/// cannot be read, or holds more than [`MAX_SMALL_FILE`] bytes, is a usage
/// error, like a missing SQLite file.
pub(crate) fn read_password(path: &Path) -> Result<String> {
    let bytes = read_small_file(path, "the password file")?;
    let text = String::from_utf8(bytes).map_err(|_| {
        UsageError::new(format!(
            "the password file {} is not UTF-8 text",
            path.display()
        ))
    })?;
    Ok(text.lines().next().unwrap_or_default().to_owned())
}

/// A small file (`what`: "the password file", "the PIN file"), read up to
/// [`MAX_SMALL_FILE`] bytes: a larger one is refused with a usage error.
pub(crate) fn read_small_file(path: &Path, what: &str) -> Result<Vec<u8>> {
    use std::io::Read;
    let cannot =
        |e: std::io::Error| UsageError::new(format!("cannot read {what} {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    file.take(MAX_SMALL_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_SMALL_FILE {
        return Err(UsageError::new(format!(
            "{what} {} holds more than {MAX_SMALL_FILE} bytes: it should hold one line",
            path.display()
        ))
        .with_hint("give the file that holds just the secret")
        .into());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(color: ColorChoice) -> GlobalArgs {
        GlobalArgs {
            color,
            quiet: false,
        }
    }

    /// The configuration of a table-printing command.
    fn resolve(args: &GlobalArgs, env: &Environment) -> Config {
        Config::resolve(args, (Format::Table, false), env)
    }

    fn terminal() -> Environment {
        Environment {
            stdout_is_terminal: true,
            ..Environment::default()
        }
    }

    #[test]
    fn auto_colours_only_a_terminal_without_no_color_or_dumb_term() {
        let auto = args(ColorChoice::Auto);
        assert!(resolve(&auto, &terminal()).decoration.color);
        assert!(!resolve(&auto, &Environment::default()).decoration.color);
        let no_color = Environment {
            no_color: true,
            ..terminal()
        };
        assert!(!resolve(&auto, &no_color).decoration.color);
        let dumb = Environment {
            dumb_terminal: true,
            ..terminal()
        };
        assert!(!resolve(&auto, &dumb).decoration.color);
    }

    #[test]
    fn always_and_never_win_over_the_environment() {
        let always = args(ColorChoice::Always);
        assert!(resolve(&always, &Environment::default()).decoration.color);
        let never = args(ColorChoice::Never);
        assert!(!resolve(&never, &terminal()).decoration.color);
    }

    #[test]
    fn machine_formats_are_never_coloured() {
        for format in [Format::Json, Format::Jsonl, Format::Csv, Format::Tsv] {
            let always = args(ColorChoice::Always);
            assert!(
                !Config::resolve(&always, (format, false), &terminal())
                    .decoration
                    .color
            );
        }
    }
}
