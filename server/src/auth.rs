//! Editors' tokens (`repere serve --edit-token-file`, one `name:token` per line, re-read on
//! SIGHUP) and the throttling of wrong tokens.
//!
//! - a token has at least [`MIN_TOKEN_CHARS`] characters, and one token names one editor (the
//!   same token under two names is refused: its edits would be recorded under either);
//! - a presented token is compared with every known one in constant time (SHA-256 digests
//!   compared byte by byte without early exit, all of them), so the answer time says nothing of
//!   how much of a token was right;
//! - wrong tokens are counted per client address ([`FailedTokens`]): after
//!   [`MAX_FAILURES`] within [`FAILURE_WINDOW`], that address gets 429 without its tokens being
//!   looked at until the window ends; each failure is logged with the address (up to the limit,
//!   then once when the address is blocked).

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

/// Shortest token accepted, in characters.
pub const MIN_TOKEN_CHARS: usize = 24;
/// Wrong tokens an address may send within [`FAILURE_WINDOW`] before it is blocked.
pub const MAX_FAILURES: u32 = 10;
/// The window of [`MAX_FAILURES`]; a blocked address is blocked until it ends.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(60);
/// Addresses tracked at most (beyond, those whose window ended are forgotten first).
const TRACKED_MAX: usize = 10_000;

/// Why a token file was refused.
#[derive(Debug, thiserror::Error)]
pub enum TokenFileError {
    /// The file could not be read.
    #[error("{path} : illisible ({})", repere_engine::text::io_error_fr(source))]
    Unreadable {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A line is not `name:token`.
    #[error("{path} : ligne {line} : attendu `nom:jeton`")]
    Syntax {
        /// The file.
        path: String,
        /// Line, from 1.
        line: usize,
    },
    /// A line has an empty name or a token shorter than [`MIN_TOKEN_CHARS`].
    #[error(
        "{path} : ligne {line} : nom vide ou jeton de moins de {MIN_TOKEN_CHARS} caractères (par exemple : openssl rand -base64 24)"
    )]
    Weak {
        /// The file.
        path: String,
        /// Line, from 1.
        line: usize,
    },
    /// A token already given to another line (and editor).
    #[error(
        "{path} : ligne {line} : ce jeton est déjà celui de la ligne {first_line} ({first_name}) ; un jeton par éditeur, sinon ses modifications seraient attribuées à l'un ou l'autre"
    )]
    Duplicate {
        /// The file.
        path: String,
        /// Line, from 1.
        line: usize,
        /// The line that has it first.
        first_line: usize,
        /// The editor of that line.
        first_name: String,
    },
    /// No token at all.
    #[error("{path} : aucun jeton")]
    Empty {
        /// The file.
        path: String,
    },
}

/// One editor: the digest of the token, and the name.
#[derive(Debug, Clone)]
struct Editor {
    digest: [u8; 32],
    name: String,
}

/// Editors allowed to write (`--edit-token-file`, one `name:token` per line). Only digests
/// of the tokens are kept.
#[derive(Debug, Clone, Default)]
pub struct EditTokens(Vec<Editor>);

fn digest(token: &str) -> [u8; 32] {
    let d = Sha256::digest(token.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(&d);
    out
}

/// Whether two digests are equal, looking at every byte whatever the first difference.
fn same(a: &[u8; 32], b: &[u8; 32]) -> bool {
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl EditTokens {
    /// Reads a token file: one `name:token` per line, `#` comments and blank lines ignored.
    ///
    /// # Errors
    /// The line and what is wrong (French), or the file unreadable.
    pub fn read(path: &Path) -> Result<Self, TokenFileError> {
        let shown = || path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| TokenFileError::Unreadable {
            path: shown(),
            source,
        })?;
        let mut seen: BTreeMap<String, (usize, String)> = BTreeMap::new();
        let mut editors = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((name, token)) = line.split_once(':') else {
                return Err(TokenFileError::Syntax {
                    path: shown(),
                    line: i + 1,
                });
            };
            let (name, token) = (name.trim(), token.trim());
            if name.is_empty() || token.chars().count() < MIN_TOKEN_CHARS {
                return Err(TokenFileError::Weak {
                    path: shown(),
                    line: i + 1,
                });
            }
            if let Some((first_line, first_name)) = seen.get(token) {
                return Err(TokenFileError::Duplicate {
                    path: shown(),
                    line: i + 1,
                    first_line: *first_line,
                    first_name: first_name.clone(),
                });
            }
            seen.insert(token.to_owned(), (i + 1, name.to_owned()));
            editors.push(Editor {
                digest: digest(token),
                name: name.to_owned(),
            });
        }
        if editors.is_empty() {
            return Err(TokenFileError::Empty { path: shown() });
        }
        Ok(Self(editors))
    }

    /// The editor's name for a token: every known token is compared, in constant time.
    pub fn author(&self, token: &str) -> Option<&str> {
        let d = digest(token);
        let mut found = None;
        for e in &self.0 {
            if same(&e.digest, &d) {
                found = Some(e.name.as_str());
            }
        }
        found
    }

    /// How many editors.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is no editor (never true for a file read by [`EditTokens::read`]).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A warning when a token file can be read by other users of the machine (group or others).
pub fn permission_warning(path: &Path) -> Option<String> {
    repere_store::pg_password::readable_by_others(path).then(|| {
        format!(
            "attention : le fichier de jetons {} est lisible par d'autres utilisateurs de la machine ; chmod 600 {}",
            path.display(),
            path.display()
        )
    })
}

/// The client's address, when the connection loop recorded it (`repere serve`); `None` for a
/// router called without a socket (tests), which then counts as one address.
#[derive(Debug, Clone, Copy)]
pub struct PeerAddr(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for PeerAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// Wrong tokens per client address.
#[derive(Debug, Default)]
pub struct FailedTokens {
    by_addr: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

/// What [`FailedTokens::fail`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Counted; the address may still try (`n` failures in the window).
    Counted(u32),
    /// This failure reached the limit: the address is blocked for the rest of the window.
    NowBlocked,
}

impl FailedTokens {
    /// How long `ip` stays blocked, `None` when it may present a token.
    pub fn blocked(&self, ip: IpAddr) -> Option<Duration> {
        let map = self.by_addr.lock().ok()?;
        let (start, n) = map.get(&ip)?;
        let left = FAILURE_WINDOW.checked_sub(start.elapsed())?;
        (*n >= MAX_FAILURES && !left.is_zero()).then_some(left)
    }

    /// Counts a wrong token from `ip`.
    pub fn fail(&self, ip: IpAddr) -> Failure {
        let Ok(mut map) = self.by_addr.lock() else {
            return Failure::NowBlocked;
        };
        if map.len() >= TRACKED_MAX {
            map.retain(|_, (start, _)| start.elapsed() < FAILURE_WINDOW);
            if map.len() >= TRACKED_MAX {
                map.clear();
            }
        }
        let entry = map.entry(ip).or_insert((Instant::now(), 0));
        if entry.0.elapsed() >= FAILURE_WINDOW {
            *entry = (Instant::now(), 0);
        }
        entry.1 += 1;
        if entry.1 >= MAX_FAILURES {
            Failure::NowBlocked
        } else {
            Failure::Counted(entry.1)
        }
    }
}

/// The address used for a request without one.
pub fn peer_or_unknown(peer: PeerAddr) -> IpAddr {
    peer.0.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}
