//! Content encodings of tiles: which one a client accepts (`Accept-Encoding`, q-values) and the
//! compression itself, done once per cached tile and encoding ([`crate::tile_cache`]), never per
//! request for a cached tile.
//!
//! - gzip: `flate2` at its default level (6), as the compression layer of the other routes;
//! - brotli: the `brotli` crate (pure Rust, the one tower-http's `compression-br` uses) at
//!   quality [`BROTLI_QUALITY`], window 2^22.
//!
//! Both are deterministic: compressing the same tile gives the same bytes, so a tile compressed
//! per request (cache off) equals the cached one.

use std::io::Write;

use axum::http::HeaderValue;

/// Brotli quality: 9 compresses tiles within a few percent of 11 at a fraction of its time (a
/// z10 tile of the Métropole in about a millisecond), and a cached tile is compressed once.
pub const BROTLI_QUALITY: u32 = 9;
const BROTLI_WINDOW_LOG2: u32 = 22;

/// A content encoding the tile routes send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Raw MVT bytes.
    Identity,
    /// `Content-Encoding: gzip`.
    Gzip,
    /// `Content-Encoding: br`.
    Brotli,
}

impl Encoding {
    /// The `Content-Encoding` value, `None` for identity.
    pub fn header(self) -> Option<HeaderValue> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some(HeaderValue::from_static("gzip")),
            Encoding::Brotli => Some(HeaderValue::from_static("br")),
        }
    }

    /// The encoding to send for an `Accept-Encoding` value (`None`: the header is absent, so
    /// identity). The highest q-value wins; at equal q-values brotli, then gzip, then identity
    /// (smaller first). `*` stands for every encoding not listed; `q=0` refuses one. When
    /// nothing listed is acceptable, identity is sent anyway (as most servers do, rather than a
    /// 406 a map cannot use).
    pub fn negotiate(accept: Option<&str>) -> Encoding {
        let Some(accept) = accept else {
            return Encoding::Identity;
        };
        let (mut br, mut gzip, mut identity, mut star) = (None, None, None, None);
        for item in accept.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let mut q = 1.0_f32;
            for param in parts {
                match param.split_once('=') {
                    Some((k, v)) if k.trim().eq_ignore_ascii_case("q") => {
                        // An unreadable q-value refuses the coding rather than guessing.
                        q = v
                            .trim()
                            .parse::<f32>()
                            .ok()
                            .filter(|q| q.is_finite())
                            .unwrap_or(0.0);
                    }
                    _ => {}
                }
            }
            let slot = match name.as_str() {
                "br" => &mut br,
                "gzip" | "x-gzip" => &mut gzip,
                "identity" => &mut identity,
                "*" => &mut star,
                _ => continue,
            };
            *slot = Some(q);
        }
        let br = br.or(star).unwrap_or(0.0);
        let gzip = gzip.or(star).unwrap_or(0.0);
        // Identity is acceptable unless refused explicitly (or by `*;q=0` without it listed).
        let identity = identity.or(star.filter(|q| *q <= 0.0)).unwrap_or(0.001);
        let mut best = (Encoding::Identity, identity);
        for (encoding, q) in [(Encoding::Gzip, gzip), (Encoding::Brotli, br)] {
            if q > 0.0 && q >= best.1 {
                best = (encoding, q);
            }
        }
        best.0
    }
}

/// `raw` in `encoding` (identity: the same bytes).
pub fn compress(encoding: Encoding, raw: &[u8]) -> Vec<u8> {
    match encoding {
        Encoding::Identity => raw.to_vec(),
        Encoding::Gzip => {
            let mut out = flate2::write::GzEncoder::new(
                Vec::with_capacity(raw.len() / 2 + 64),
                flate2::Compression::default(),
            );
            // Writing to a `Vec` cannot fail.
            let _ = out.write_all(raw);
            out.finish().unwrap_or_default()
        }
        Encoding::Brotli => {
            let mut out = Vec::with_capacity(raw.len() / 2 + 64);
            {
                let mut writer = brotli::CompressorWriter::new(
                    &mut out,
                    4096,
                    BROTLI_QUALITY,
                    BROTLI_WINDOW_LOG2,
                );
                let _ = writer.write_all(raw);
                let _ = writer.flush();
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Encoding::{self, Brotli, Gzip, Identity};

    #[test]
    fn the_best_accepted_encoding_is_chosen() {
        let n = |a: Option<&str>| Encoding::negotiate(a);
        assert_eq!(n(None), Identity);
        assert_eq!(n(Some("")), Identity);
        assert_eq!(n(Some("gzip")), Gzip);
        assert_eq!(n(Some("gzip, deflate, br, zstd")), Brotli);
        assert_eq!(n(Some("br;q=0.5, gzip")), Gzip);
        assert_eq!(n(Some("br;q=0, gzip;q=0")), Identity);
        assert_eq!(n(Some("gzip;q=0.8, identity")), Identity);
        assert_eq!(n(Some("identity")), Identity);
        assert_eq!(n(Some("*")), Brotli);
        assert_eq!(n(Some("*;q=0.5, br;q=0")), Gzip);
        assert_eq!(n(Some("identity;q=0, *;q=0")), Identity);
        assert_eq!(n(Some("GZIP; Q=1")), Gzip);
        assert_eq!(n(Some("deflate")), Identity);
        assert_eq!(n(Some("gzip;q=abc")), Identity);
        assert_eq!(n(Some("x-gzip")), Gzip);
    }
}
