//! Mutations of valid inputs for the fuzz tests (engine loaders and parsers, server requests):
//! insertions of tokens that break parsers (quotes, separators, huge or odd numbers, BOM,
//! invalid UTF-8), deletions, replacements and duplications at random places.
#![allow(dead_code)]

use proptest::prelude::*;
use proptest::sample::Index;

/// Tokens that tend to break parsers of JSON, CSV, TOML, GTFS times and coordinates.
pub const TOKENS: &[&str] = &[
    "",
    "-",
    "0",
    "-0",
    "-0.0",
    "1e308",
    "-1e308",
    "1e-320",
    "NaN",
    "inf",
    "-inf",
    "\"",
    "'",
    ",",
    ";",
    ":",
    "\n",
    "\r\n",
    "\r",
    "{",
    "}",
    "[",
    "]",
    "null",
    "true",
    "[]",
    "{}",
    "\u{feff}",
    "é",
    "\u{202f}",
    "\u{a0}",
    "99999999:00:00",
    "1193047:00:00",
    "25:61:61",
    "48:00:01",
    "-170",
    "-80",
    "400",
    "999999999999999999999",
    "0.0000000001",
    "QN07620M",
    "76540",
    "\\",
    "\t",
    "\"type\"",
    "\"Feature\"",
    "\"Point\"",
    "\"coordinates\"",
    "=",
    "[[",
    "]]",
    "..",
    "/etc/passwd",
    "../",
    "\0",
    "#",
    "%",
    "%00",
    "%ff",
    "&",
    "?",
    "+",
    "e",
    ".",
    "00000000",
    "20241399",
    "2,5",
    "1 000",
    "s",
    "nd",
];

/// One edit of the input.
#[derive(Debug, Clone)]
pub enum Mutation {
    /// Insert a token at a place.
    Insert(Index, Index),
    /// Delete up to n bytes at a place.
    Delete(Index, u8),
    /// Replace up to n bytes at a place with a token.
    Replace(Index, u8, Index),
    /// Repeat up to n bytes at a place (up to 8 times).
    Duplicate(Index, u8, u8),
    /// Set a byte (may make the input invalid UTF-8).
    Byte(Index, u8),
}

/// A mutation.
pub fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), any::<Index>()).prop_map(|(a, t)| Mutation::Insert(a, t)),
        2 => (any::<Index>(), 1u8..32).prop_map(|(a, n)| Mutation::Delete(a, n)),
        3 => (any::<Index>(), 1u8..12, any::<Index>()).prop_map(|(a, n, t)| Mutation::Replace(a, n, t)),
        1 => (any::<Index>(), 1u8..64, 1u8..8).prop_map(|(a, n, k)| Mutation::Duplicate(a, n, k)),
        1 => (any::<Index>(), any::<u8>()).prop_map(|(a, b)| Mutation::Byte(a, b)),
    ]
}

/// One to six mutations.
pub fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..7)
}

/// Applies mutations to a base input.
pub fn apply(base: &[u8], ms: &[Mutation]) -> Vec<u8> {
    let mut out = base.to_vec();
    for m in ms {
        let at = |i: &Index, len: usize| if len == 0 { 0 } else { i.index(len + 1) };
        match m {
            Mutation::Insert(i, t) => {
                let p = at(i, out.len());
                let token = TOKENS[t.index(TOKENS.len())].as_bytes();
                out.splice(p..p, token.iter().copied());
            }
            Mutation::Delete(i, n) => {
                let p = at(i, out.len());
                let end = (p + usize::from(*n)).min(out.len());
                out.drain(p..end);
            }
            Mutation::Replace(i, n, t) => {
                let p = at(i, out.len());
                let end = (p + usize::from(*n)).min(out.len());
                let token = TOKENS[t.index(TOKENS.len())].as_bytes();
                out.splice(p..end, token.iter().copied());
            }
            Mutation::Duplicate(i, n, k) => {
                let p = at(i, out.len());
                let end = (p + usize::from(*n)).min(out.len());
                let piece = out[p..end].to_vec();
                for _ in 0..*k {
                    out.splice(end..end, piece.iter().copied());
                }
            }
            Mutation::Byte(i, b) => {
                if !out.is_empty() {
                    let p = i.index(out.len());
                    out[p] = *b;
                }
            }
        }
    }
    out
}

/// Cases per property: `REPERE_FUZZ_CASES` when set, else `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("REPERE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
