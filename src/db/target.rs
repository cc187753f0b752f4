//! Where the job database is: `--db demo`, `sqlite:PATH` or a plain path, or
//! `mysql://user[:password]@host[:port]/database`. Parsing and redaction only: a
//! password never appears in the `Display` of a target.

use std::fmt;
use std::path::PathBuf;

use crate::error::UsageError;

/// A parsed `--db` value.
#[derive(Clone, PartialEq, Eq)]
pub enum Target {
    /// The built-in demo database, loaded into memory.
    Demo,
    /// A SQLite file, opened read-only.
    Sqlite(PathBuf),
    /// A MySQL/MariaDB server.
    Mysql(MysqlUrl),
}

/// The parts of a `mysql://` URL. `Debug` and `Display` never show the password.
#[derive(Clone, PartialEq, Eq)]
pub struct MysqlUrl {
    pub user: String,
    pub password: Option<String>,
    pub host: String,
    pub port: u16,
    pub database: String,
    /// `?ssl=true`: connect with TLS (rustls).
    pub tls: bool,
    /// `?ssl-ca=FILE`: a private CA for the server's certificate (TLS on).
    pub ssl_ca: Option<PathBuf>,
    /// Whether the URL named the user, and the host (else the client's
    /// settings may: `mysql:///dme`).
    pub user_given: bool,
    pub host_given: bool,
}

pub const DEFAULT_MYSQL_PORT: u16 = 3306;

/// The forms `--db` takes, for messages.
pub const FORMS: &str = "mysql://user@host[:port]/database, sqlite:PATH, a SQLite file, or demo";

impl Target {
    /// Parses a `--db` value.
    pub fn parse(text: &str) -> Result<Self, UsageError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(UsageError::new("--db is empty").with_hint(format!("give {FORMS}")));
        }
        if text.eq_ignore_ascii_case("demo") {
            return Ok(Self::Demo);
        }
        if let Some(rest) = strip_scheme(text, &["mysql://", "mariadb://"]) {
            return MysqlUrl::parse(rest).map(Self::Mysql);
        }
        if let Some(path) = strip_scheme(text, &["sqlite://", "sqlite:"]) {
            if path.is_empty() {
                return Err(UsageError::new(
                    "sqlite: needs a file path, e.g. sqlite:dme.db",
                ));
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        // `mysql:/…`, `mysql:user:pw@…`: a URL with a typo, not a file name. Its
        // text is not repeated: it may hold a password.
        if strip_scheme(text, &["mysql:", "mariadb:"]).is_some() {
            return Err(UsageError::new("bad MySQL URL in --db")
                .with_hint("the form is mysql://user[:password]@host[:port]/database"));
        }
        if let Some((scheme, _)) = text.split_once("://") {
            return Err(
                UsageError::new(format!("unsupported database URL scheme '{scheme}://'"))
                    .with_hint(format!("--db takes {FORMS}")),
            );
        }
        Ok(Self::Sqlite(PathBuf::from(text)))
    }
}

fn strip_scheme<'t>(text: &'t str, schemes: &[&str]) -> Option<&'t str> {
    schemes.iter().find_map(|scheme| {
        let head = text.get(..scheme.len())?;
        head.eq_ignore_ascii_case(scheme)
            .then(|| &text[scheme.len()..])
    })
}

impl MysqlUrl {
    /// Parses what follows `mysql://`.
    fn parse(rest: &str) -> Result<Self, UsageError> {
        let bad = |why: &str| {
            UsageError::new(format!("bad MySQL URL: {why}"))
                .with_hint("the form is mysql://user[:password]@host[:port]/database[?ssl=true]")
        };
        let (rest, query) = match rest.split_once('?') {
            Some((rest, query)) => (rest, Some(query)),
            None => (rest, None),
        };
        // The last '@' ends the credentials: a password may hold '@' (better written %40).
        let (credentials, location) = match rest.rsplit_once('@') {
            Some((credentials, location)) => (Some(credentials), location),
            None => (None, rest),
        };
        let (user, password) = match credentials {
            Some(credentials) => match credentials.split_once(':') {
                Some((user, password)) => (percent_decode(user)?, Some(percent_decode(password)?)),
                None => (percent_decode(credentials)?, None),
            },
            None => ("root".to_owned(), None),
        };
        let user_given = credentials.is_some();
        let (host_port, database) = location
            .split_once('/')
            .ok_or_else(|| bad("no database name (…/database)"))?;
        if database.is_empty() || database.contains('/') {
            return Err(bad("no database name (…/database)"));
        }
        let (host, port) = if host_port.is_empty() {
            // mysql:///dme: the host of ~/.my.cnf, or this machine.
            ("localhost".to_owned(), DEFAULT_MYSQL_PORT)
        } else {
            split_host_port(host_port).map_err(|why| bad(&why))?
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        if user.is_empty() {
            return Err(bad("empty user name"));
        }
        let (tls, ssl_ca) = match query {
            None => (false, None),
            Some(query) => parse_query(query).map_err(|why| bad(&why))?,
        };
        Ok(Self {
            user,
            password,
            host,
            port,
            database: percent_decode(database)?,
            tls: tls || ssl_ca.is_some(),
            ssl_ca,
            user_given,
            host_given: !host_port.is_empty(),
        })
    }

    /// This URL with what it leaves open taken from the client's settings
    /// (`~/.my.cnf`): the user, the host and port, a CA.
    pub fn with_defaults(&self, defaults: &super::my_cnf::ClientDefaults) -> Self {
        let mut url = self.clone();
        if !url.user_given
            && let Some(user) = &defaults.user
        {
            url.user.clone_from(user);
        }
        if !url.host_given {
            if let Some(host) = &defaults.host {
                url.host.clone_from(host);
            }
            if let Some(port) = defaults.port {
                url.port = port;
            }
        }
        if url.ssl_ca.is_none()
            && let Some(ca) = &defaults.ssl_ca
        {
            url.ssl_ca = Some(ca.clone());
            url.tls = true;
        }
        url
    }
}

fn split_host_port(text: &str) -> Result<(String, u16), String> {
    // [::1]:3306
    if let Some(rest) = text.strip_prefix('[') {
        let (host, after) = rest
            .split_once(']')
            .ok_or_else(|| "unclosed '[' in the host".to_owned())?;
        let port = match after.strip_prefix(':') {
            Some(port) => parse_port(port)?,
            None if after.is_empty() => DEFAULT_MYSQL_PORT,
            None => return Err(format!("unexpected '{after}' after the host")),
        };
        return Ok((host.to_owned(), port));
    }
    match text.split_once(':') {
        Some((host, port)) => Ok((host.to_owned(), parse_port(port)?)),
        None => Ok((text.to_owned(), DEFAULT_MYSQL_PORT)),
    }
}

fn parse_port(text: &str) -> Result<u16, String> {
    text.parse::<u16>()
        .ok()
        .filter(|port| *port > 0)
        .ok_or_else(|| format!("'{text}' is not a port number"))
}

/// `ssl=true|false` and `ssl-ca=FILE` (also `ssl_ca`).
fn parse_query(query: &str) -> Result<(bool, Option<PathBuf>), String> {
    let mut tls = false;
    let mut ca = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("ssl", "true" | "1")) => tls = true,
            Some(("ssl", "false" | "0")) => tls = false,
            Some(("ssl-ca" | "ssl_ca" | "sslca", path)) if !path.is_empty() => {
                let path = percent_decode(path).map_err(|e| e.to_string())?;
                ca = Some(PathBuf::from(path));
            }
            _ => {
                return Err(format!(
                    "unsupported parameter '{pair}' (ssl=true, ssl-ca=FILE)"
                ));
            }
        }
    }
    Ok((tls, ca))
}

fn percent_decode(text: &str) -> Result<String, UsageError> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text
                .get(index + 1..index + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| {
                    UsageError::new("bad MySQL URL: a '%' not followed by two hex digits")
                })?;
            decoded.push(hex);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded)
        .map_err(|_| UsageError::new("bad MySQL URL: percent-encoding is not UTF-8"))
}

/// A file path as dmtool shows it: `user:secret@` in it (a URL mistaken for a
/// path) is shown as `user:***@`.
pub fn shown_path(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    match text.split_once('@') {
        Some((before, after)) => match before.rsplit_once(':') {
            Some((user, _)) => format!("{user}:***@{after}"),
            None => text,
        },
        None => text,
    }
}

impl fmt::Display for MysqlUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret = if self.password.is_some() { ":***" } else { "" };
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        write!(
            f,
            "mysql://{}{secret}@{host}:{}/{}",
            self.user, self.port, self.database
        )?;
        match (&self.ssl_ca, self.tls) {
            (Some(ca), _) => write!(f, "?ssl-ca={}", ca.display())?,
            (None, true) => f.write_str("?ssl=true")?,
            (None, false) => {}
        }
        Ok(())
    }
}

impl fmt::Debug for MysqlUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Demo => f.write_str("the demo database"),
            Self::Sqlite(path) => write!(f, "sqlite:{}", shown_path(path)),
            Self::Mysql(url) => fmt::Display::fmt(url, f),
        }
    }
}

impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mysql(text: &str) -> MysqlUrl {
        match Target::parse(text) {
            Ok(Target::Mysql(url)) => url,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn the_forms_parse() {
        assert_eq!(Target::parse("demo"), Ok(Target::Demo));
        assert_eq!(
            Target::parse("sqlite:/tmp/x.db"),
            Ok(Target::Sqlite("/tmp/x.db".into()))
        );
        assert_eq!(Target::parse("dme.db"), Ok(Target::Sqlite("dme.db".into())));
        let url = mysql("mysql://dme:p%40ss@db.example.com:3307/dme");
        assert_eq!(url.user, "dme");
        assert_eq!(url.password.as_deref(), Some("p@ss"));
        assert_eq!(url.host, "db.example.com");
        assert_eq!(url.port, 3307);
        assert_eq!(url.database, "dme");
        assert_eq!(mysql("mysql://root@127.0.0.1/test").port, 3306);
        assert_eq!(mysql("mysql://u@[::1]:3310/db").host, "::1");
        assert!(mysql("mysql://u@h/db?ssl=true").tls);
    }

    #[test]
    fn bad_urls_are_usage_errors() {
        for text in [
            "",
            "postgres://x/y",
            "mysql://u@h",
            "mysql://u@h:notaport/db",
            "mysql://u@h/db?foo=bar",
            "mysql://u@:3306/db",
            "sqlite:",
        ] {
            assert!(Target::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn the_password_is_never_displayed() {
        let target = Target::parse("mysql://dme:hunter2@db/dme").expect("parses");
        assert_eq!(target.to_string(), "mysql://dme:***@db:3306/dme");
        assert!(!format!("{target:?}").contains("hunter2"));
        for typo in [
            "mysql:/dme:hunter2@db/dme",
            "mysql:dme:hunter2@db",
            "MariaDB:x",
        ] {
            let error = Target::parse(typo).expect_err("a typo");
            assert!(!error.to_string().contains("hunter2"), "{typo}");
        }
        let path = Target::parse("dme:hunter2@db/dme").expect("a path");
        assert!(!path.to_string().contains("hunter2"), "{path}");
    }
}
