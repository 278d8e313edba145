//! Where the PostGIS password comes from when the URL carries none (a password on the command
//! line is visible to every user of the machine in `ps`), in libpq's order: a password file
//! named by `repere serve --store-password-file`, the `PGPASSWORD` variable, then the line of
//! `PGPASSFILE` or `~/.pgpass` matching host, port, database and user (`*` for any; `\:` and
//! `\\` escape). As libpq does, a `.pgpass` readable by group or others is ignored, with a
//! warning.

use std::path::{Path, PathBuf};

use crate::StoreError;

/// Where to look for a password (the environment is read once, by [`Credentials::from_env`]).
#[derive(Debug, Clone, Default)]
pub struct Credentials {
    /// A file holding the password on its first line (`--store-password-file`).
    pub password_file: Option<PathBuf>,
    /// The value of `PGPASSWORD`.
    pub env_password: Option<String>,
    /// The password file of libpq: `PGPASSFILE`, else `~/.pgpass`.
    pub pgpass: Option<PathBuf>,
}

/// Where the password in use came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordSource {
    /// The URL itself.
    Url,
    /// `--store-password-file`.
    File(PathBuf),
    /// `PGPASSWORD`.
    Env,
    /// A line of `~/.pgpass` (or `PGPASSFILE`).
    PgPass(PathBuf),
    /// No password.
    None,
}

impl std::fmt::Display for PasswordSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Url => write!(f, "l'adresse --store"),
            Self::File(p) => write!(f, "le fichier {}", p.display()),
            Self::Env => write!(f, "la variable PGPASSWORD"),
            Self::PgPass(p) => write!(f, "le fichier {}", p.display()),
            Self::None => write!(f, "aucune source"),
        }
    }
}

impl Credentials {
    /// The password file given, and `PGPASSWORD`, `PGPASSFILE` and `HOME` as set now.
    pub fn from_env(password_file: Option<&Path>) -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Self {
            password_file: password_file.map(Path::to_owned),
            env_password: var("PGPASSWORD"),
            pgpass: var("PGPASSFILE")
                .map(PathBuf::from)
                .or_else(|| var("HOME").map(|h| Path::new(&h).join(".pgpass"))),
        }
    }
}

/// What [`resolve`] found: the password (if any), its source, and warnings for the operator.
#[derive(Debug)]
pub struct Resolved {
    /// The password to send.
    pub password: Option<Vec<u8>>,
    /// Where it came from.
    pub source: PasswordSource,
    /// French warnings (a password visible in `ps`, a password file readable by others).
    pub warnings: Vec<String>,
}

fn fail(label: &str, message: String) -> StoreError {
    StoreError::Backend {
        store: label.to_owned(),
        message,
    }
}

/// Whether a file can be read by its group or by others (Unix modes); `false` elsewhere.
pub fn readable_by_others(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// The password for `config` (which came from a URL of `repere serve --store`).
///
/// # Errors
/// The password file given is unreadable or empty (French, naming the file).
pub fn resolve(
    label: &str,
    config: &postgres::Config,
    creds: &Credentials,
) -> Result<Resolved, StoreError> {
    let mut warnings = Vec::new();
    if let Some(p) = config.get_password() {
        warnings.push(
            "le mot de passe PostgreSQL est écrit dans l'adresse --store, visible de tout utilisateur de la machine (ps) : préférez --store-password-file, la variable PGPASSWORD ou ~/.pgpass".to_owned(),
        );
        return Ok(Resolved {
            password: Some(p.to_vec()),
            source: PasswordSource::Url,
            warnings,
        });
    }
    if let Some(file) = &creds.password_file {
        let text = std::fs::read_to_string(file).map_err(|e| {
            fail(
                label,
                format!(
                    "fichier de mot de passe {} illisible ({})",
                    file.display(),
                    io_error_fr(&e)
                ),
            )
        })?;
        let password = text.lines().next().unwrap_or("").trim_end_matches('\r');
        if password.is_empty() {
            return Err(fail(
                label,
                format!(
                    "fichier de mot de passe {} : la première ligne est vide",
                    file.display()
                ),
            ));
        }
        if readable_by_others(file) {
            warnings.push(format!(
                "le fichier de mot de passe {} est lisible par d'autres utilisateurs : chmod 600 {}",
                file.display(),
                file.display()
            ));
        }
        return Ok(Resolved {
            password: Some(password.as_bytes().to_vec()),
            source: PasswordSource::File(file.clone()),
            warnings,
        });
    }
    if let Some(p) = &creds.env_password {
        return Ok(Resolved {
            password: Some(p.as_bytes().to_vec()),
            source: PasswordSource::Env,
            warnings,
        });
    }
    if let Some(file) = creds.pgpass.as_deref().filter(|f| f.is_file()) {
        if readable_by_others(file) {
            warnings.push(format!(
                "{} ignoré : lisible par le groupe ou par d'autres utilisateurs (chmod 600 {}, comme l'exige libpq)",
                file.display(),
                file.display()
            ));
        } else if let Ok(text) = std::fs::read_to_string(file)
            && let Some(p) = pgpass_lookup(&text, config)
        {
            return Ok(Resolved {
                password: Some(p.into_bytes()),
                source: PasswordSource::PgPass(file.to_owned()),
                warnings,
            });
        }
    }
    Ok(Resolved {
        password: None,
        source: PasswordSource::None,
        warnings,
    })
}

/// The host as `.pgpass` names it: the name or address, `localhost` for a Unix socket.
pub fn host_of(config: &postgres::Config) -> String {
    match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(_)) => "localhost".to_owned(),
        None => "localhost".to_owned(),
    }
}

/// The port (5432 unless given).
pub fn port_of(config: &postgres::Config) -> u16 {
    config.get_ports().first().copied().unwrap_or(5432)
}

/// The password of the first `.pgpass` line matching `config` (libpq's rules).
fn pgpass_lookup(text: &str, config: &postgres::Config) -> Option<String> {
    let host = host_of(config);
    let port = port_of(config).to_string();
    let user = config.get_user().unwrap_or("");
    let db = config.get_dbname().unwrap_or(user);
    let wanted = [host.as_str(), port.as_str(), db, user];
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .find_map(|line| {
            let fields = split_pgpass(line);
            if fields.len() < 5 {
                return None;
            }
            let matches = fields[..4]
                .iter()
                .zip(wanted)
                .all(|(f, w)| f == "*" || f == w);
            matches.then(|| fields[4..].join(":"))
        })
}

/// Splits a `.pgpass` line on unescaped `:`, unescaping `\:` and `\\`.
fn split_pgpass(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(n) = chars.next()
                    && let Some(last) = out.last_mut()
                {
                    last.push(n);
                }
            }
            ':' if out.len() < 5 => out.push(String::new()),
            c => {
                if let Some(last) = out.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    out
}

/// An I/O error in French (the standard texts are English).
pub(crate) fn io_error_fr(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "fichier ou dossier introuvable".into(),
        K::PermissionDenied => "permission refusée".into(),
        K::ConnectionRefused => "connexion refusée".into(),
        K::ConnectionReset => "connexion interrompue par l'autre côté".into(),
        K::ConnectionAborted => "connexion abandonnée".into(),
        K::TimedOut => "délai dépassé".into(),
        K::AddrNotAvailable => "adresse indisponible".into(),
        K::InvalidData => "contenu non valide (UTF-8 attendu)".into(),
        K::UnexpectedEof => "fin de flux inattendue".into(),
        K::StorageFull => "plus de place sur le disque".into(),
        _ => match e.raw_os_error() {
            Some(code) => format!("erreur système {code}"),
            None => "erreur d'entrée-sortie".into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(url: &str) -> postgres::Config {
        url.parse().unwrap()
    }

    #[test]
    fn pgpass_lines_match_with_wildcards_and_escapes() {
        let c = config("postgresql://repere@db.example.org:5433/inventaire");
        let text = "# comment\nother:5433:inventaire:repere:non\ndb.example.org:5433:*:repere:a\\:b\\\\c:d\n*:*:*:*:last\n";
        assert_eq!(pgpass_lookup(text, &c).as_deref(), Some("a:b\\c:d"));
        let c = config("postgresql://someone@elsewhere/x");
        assert_eq!(pgpass_lookup(text, &c).as_deref(), Some("last"));
        assert_eq!(pgpass_lookup("h:1:d:u:p\n", &c), None);
    }

    #[test]
    fn the_url_password_comes_first_with_a_warning_then_the_file_then_the_variable() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("pw");
        std::fs::write(&file, "from-file\nignored\n").unwrap();
        let creds = Credentials {
            password_file: Some(file.clone()),
            env_password: Some("from-env".into()),
            pgpass: None,
        };
        let r = resolve("t", &config("postgresql://u:inurl@h/d"), &creds).unwrap();
        assert_eq!(r.password.as_deref(), Some(&b"inurl"[..]));
        assert!(r.warnings[0].contains("visible"), "{:?}", r.warnings);
        let r = resolve("t", &config("postgresql://u@h/d"), &creds).unwrap();
        assert_eq!(r.password.as_deref(), Some(&b"from-file"[..]));
        assert_eq!(r.source, PasswordSource::File(file));
        let creds = Credentials {
            password_file: None,
            ..creds
        };
        let r = resolve("t", &config("postgresql://u@h/d"), &creds).unwrap();
        assert_eq!(r.source, PasswordSource::Env);
    }
}
