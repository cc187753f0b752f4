//! The MySQL client's own settings, read as the `mysql` client reads them: the
//! `[client]` (and `[client-mariadb]`) group of `~/.my.cnf` — user, password,
//! host, port, ssl-ca — and `MYSQL_PWD`. What `--db` and the options say
//! wins over them. Parsing only: the environment reads the file.

use std::path::PathBuf;

/// What the client settings give for a connection.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ClientDefaults {
    pub user: Option<String>,
    pub password: Option<String>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub ssl_ca: Option<PathBuf>,
    /// `MYSQL_PWD`: the password when nothing else gives one.
    pub env_password: Option<String>,
}

impl std::fmt::Debug for ClientDefaults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never a password.
        f.debug_struct("ClientDefaults")
            .field("user", &self.user)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("ssl_ca", &self.ssl_ca)
            .finish_non_exhaustive()
    }
}

/// The `[client]` and `[client-mariadb]` groups of an option file: later
/// lines win, as in the `mysql` client. Other groups, `!include` lines,
/// comments and unknown keys are passed by.
pub fn parse(text: &str) -> ClientDefaults {
    let mut defaults = ClientDefaults::default();
    let mut in_client = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with(['#', ';', '!']) {
            continue;
        }
        if let Some(group) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let group = group.trim().to_ascii_lowercase();
            in_client = group == "client" || group == "client-mariadb";
            continue;
        }
        if !in_client {
            continue;
        }
        let (key, value) = match line.split_once('=') {
            Some((key, value)) => (key.trim(), unquote(value.trim())),
            None => (line, String::new()),
        };
        match key.to_ascii_lowercase().replace('_', "-").as_str() {
            "user" => defaults.user = Some(value),
            "password" => defaults.password = Some(value),
            "host" => defaults.host = Some(value),
            "port" => defaults.port = value.parse().ok().filter(|port| *port > 0),
            "ssl-ca" => defaults.ssl_ca = Some(PathBuf::from(value)),
            _ => {}
        }
    }
    defaults
}

/// A value without its quotes (and, unquoted, without a trailing comment).
fn unquote(value: &str) -> String {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            return inner
                .replace("\\\\", "\\")
                .replace(&format!("\\{quote}"), &quote.to_string());
        }
    }
    match value.find(" #") {
        Some(at) => value[..at].trim_end().to_owned(),
        None => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_group_is_read_as_the_mysql_client_reads_it() {
        let defaults = parse(
            "# mine\n[mysqld]\nuser = mysql\n\n[client]\nuser = dme_reader\npassword = \"s3cret #1\"\n\
             host=db.example.com\nport = 3307 # the replica\nssl_ca = /etc/ssl/dme-ca.pem\n\
             !includedir /etc/mysql/conf.d/\n[mysqldump]\nuser = root\n",
        );
        assert_eq!(defaults.user.as_deref(), Some("dme_reader"));
        assert_eq!(defaults.password.as_deref(), Some("s3cret #1"));
        assert_eq!(defaults.host.as_deref(), Some("db.example.com"));
        assert_eq!(defaults.port, Some(3307));
        assert_eq!(
            defaults.ssl_ca.as_deref(),
            Some(std::path::Path::new("/etc/ssl/dme-ca.pem"))
        );
        assert!(!format!("{defaults:?}").contains("s3cret"));
    }
}
