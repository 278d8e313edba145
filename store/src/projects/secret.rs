//! The private edit link of a project: a random secret of 256 bits given once to its owner,
//! kept only as its SHA-256, and compared in constant time.

use sha2::{Digest, Sha256};

/// Bytes of a secret (256 bits).
const SECRET_BYTES: usize = 32;
/// Bytes of a public read id (96 bits).
const ID_BYTES: usize = 12;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn random_hex(n: usize) -> Result<String, crate::StoreError> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf)
        .map_err(|e| crate::StoreError::backend("générateur aléatoire du système", e))?;
    Ok(hex(&buf))
}

/// A new secret (64 hex digits) and its hash as stored.
///
/// # Errors
/// [`crate::StoreError::Backend`] when the system's random generator fails.
pub fn new_secret() -> Result<(String, String), crate::StoreError> {
    let secret = random_hex(SECRET_BYTES)?;
    let hash = hash_secret(&secret);
    Ok((secret, hash))
}

/// A new public read id (`p` and 24 hex digits).
///
/// # Errors
/// [`crate::StoreError::Backend`] when the system's random generator fails.
pub fn new_project_id() -> Result<String, crate::StoreError> {
    Ok(format!("p{}", random_hex(ID_BYTES)?))
}

/// The SHA-256 of a secret, 64 hex digits.
///
/// # Examples
/// ```
/// assert_eq!(
///     repere_store::projects::secret::hash_secret("abc"),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn hash_secret(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

/// Whether `given` is the secret whose hash is `stored`: the hashes are compared byte by byte
/// over their whole length whatever differs (no early exit), so the time taken tells nothing
/// of how much of a guess was right.
pub fn verify_secret(given: &str, stored: &str) -> bool {
    let h = hash_secret(given);
    let (a, b) = (h.as_bytes(), stored.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_long_and_verified_by_their_hash_only() {
        let (s1, h1) = new_secret().unwrap();
        let (s2, _) = new_secret().unwrap();
        assert_eq!(s1.len(), 64);
        assert_ne!(s1, s2);
        assert_ne!(s1, h1, "the hash is not the secret");
        assert!(verify_secret(&s1, &h1));
        assert!(!verify_secret(&s2, &h1));
        assert!(!verify_secret("", &h1));
        assert!(!verify_secret(&s1, "court"));
        let id = new_project_id().unwrap();
        assert_eq!(id.len(), 25);
        assert!(id.starts_with('p'));
    }
}
